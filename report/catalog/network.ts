/** AWS layer, the network: private subnets, node firewall, the default security group, endpoints, the CNI. */
import { asArray } from "../evidence";
import { list, planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, eksCluster, missing, NSA, ok, partial, ref, requireAll, T_ADDONS, T_NETWORK } from "./control";

/** Whether the vpc-cni add-on's configurationValues (JSON) turn the network policy agent on. */
function networkPolicyEnabled(configurationValues: string | undefined): boolean {
  let values: { readonly enableNetworkPolicy?: unknown } | null;
  try {
    values = JSON.parse(String(configurationValues ?? "{}")) as { readonly enableNetworkPolicy?: unknown } | null;
  } catch {
    values = {};
  }
  return String(typeof values === "object" && values !== null ? values.enableNetworkPolicy : undefined) === "true";
}

export const networkControls: Control[] = [
  control(
    {
      id: "AWS-NODES-PRIVATE",
      title: "Nodes and the control-plane ENIs live in private subnets (no public IPs)",
      layer: "aws",
      checklist: "node isolation",
      nsa: NSA.workerSegmentation,
      cis: "5.4.3 Ensure clusters are created with Private Nodes",
      bp: BP.infra,
    },
    "resource",
    "aws:ec2/subnet:Subnet + aws:eks/nodeGroup:NodeGroup",
    { file: T_NETWORK, name: "network › a created VPC spans 3 AZs with private subnets; the cluster and nodes use only those" },
    (ctx) => {
      const subnets = planResources(ctx.plan, "aws:ec2/subnet:Subnet");
      const publicIps = subnets.filter((s) => s.inputs.mapPublicIpOnLaunch === true);
      const groups = planResources(ctx.plan, "aws:eks/nodeGroup:NodeGroup");
      const clusterSubnets = JSON.stringify(asArray(eksCluster(ctx)?.inputs.vpcConfig?.subnetIds).map(String).sort());
      const problems = [
        ...publicIps.map((s) => `${s.name} maps public IPs on launch`),
        ...groups
          .filter((g) => JSON.stringify(asArray(g.inputs.subnetIds).map(String).sort()) !== clusterSubnets)
          .map((g) => `${g.name} is not in the cluster's private subnets`),
      ];
      if (subnets.length === 0 || groups.length === 0) problems.push("no subnets or node groups in the plan");
      return requireAll([...subnets.filter((s) => /private/.test(s.name)), ...groups].map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-KUBELET-FIREWALL",
      title: "The kubelet (10250) is reachable only from the control plane and node-to-node; nothing from outside the VPC",
      layer: "aws",
      checklist: "kubelet access",
      nsa: NSA.workerSegmentation,
      bp: BP.infra,
    },
    "resource",
    "node security group ingress rules",
    { file: T_NETWORK, name: "firewalled control plane › no security group anywhere admits ingress from the internet, and none has inline rules" },
    (ctx) => {
      const templates = planResources(ctx.plan, "aws:ec2/launchTemplate:LaunchTemplate");
      const nodeSgs = new Set(templates.flatMap((t) => asArray(t.inputs.vpcSecurityGroupIds).map(String)));
      const rules = planResources(ctx.plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
        nodeSgs.has(String(r.inputs.securityGroupId)),
      );
      if (rules.length === 0) return missing("no node security group rules in the plan");
      const problems = rules
        .filter((r) => !r.inputs.referencedSecurityGroupId)
        .map((r) => `${r.name} admits a CIDR (${String(r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6)}) to the nodes`);
      return requireAll(rules.map(ref), problems);
    },
  ),
  control(
    { id: "AWS-DEFAULT-SG-CLOSED", title: "The VPC's default security group has no rules", layer: "aws", checklist: "node isolation", bp: BP.infra },
    "resource",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    { file: T_NETWORK, name: "network › a created VPC has flow logs of all traffic to a KMS-encrypted log group; its default SG is emptied" },
    (ctx) => {
      const sgs = planResources(ctx.plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
      if (sgs.length === 0) return missing("the default security group is not managed (it allows all traffic within itself)");
      return requireAll(
        sgs.map(ref),
        sgs.filter((s) => list(s.inputs.ingress).length + list(s.inputs.egress).length > 0).map((s) => `${s.name} has rules`),
      );
    },
  ),
  control(
    {
      id: "AWS-VPC-ENDPOINTS",
      title: "AWS APIs the nodes need (STS, ECR, logs, EKS auth, S3) reached through private VPC endpoints",
      layer: "aws",
      checklist: "node isolation",
      nsa: NSA.workerSegmentation,
      bp: BP.network,
    },
    "resource",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    { file: T_NETWORK, name: "network › egress vpcEndpointsOnly: no internet gateway, no NAT, no default route; AWS APIs through VPC endpoints" },
    (ctx) => {
      const endpoints = planResources(ctx.plan, "aws:ec2/vpcEndpoint:VpcEndpoint");
      const services = endpoints.map((e) => String(e.inputs.serviceName).split(".").slice(3).join("."));
      const absent = ["sts", "ecr.api", "ecr.dkr", "logs", "s3"].filter((s) => !services.includes(s));
      if (endpoints.length === 0) return missing("no VPC endpoints in the plan");
      if (absent.length > 0) return partial(`no endpoint for ${absent.join(", ")}`, endpoints.map(ref));
      return ok(endpoints.map(ref));
    },
  ),
  control(
    {
      id: "AWS-CNI-NETWORK-POLICY",
      title: "The VPC CNI enforces NetworkPolicies (network policy agent enabled)",
      layer: "aws",
      checklist: "default deny network policies",
      nsa: NSA.netpol,
      cis: "5.4.4 Ensure Network Policy is Enabled and set as appropriate",
      bp: BP.network,
    },
    "resource",
    "aws:eks/addon:Addon vpc-cni",
    { file: T_ADDONS, name: "add-ons › five managed add-ons, versions pinned; vpc-cni enforces NetworkPolicies" },
    (ctx) => {
      const cni = planResources(ctx.plan, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni");
      if (!cni) return missing("no vpc-cni add-on in the plan");
      return requireAll(
        [ref(cni)],
        networkPolicyEnabled(cni.inputs.configurationValues) ? [] : ["enableNetworkPolicy is not true: NetworkPolicies would be ignored"],
      );
    },
  ),
];
