/**
 * Controls of the cluster-wide guardrails and the traffic path in: the VPC CNI ClusterNetworkPolicies tenants
 * cannot override, the AWS Load Balancer Controller's internal defaults, and encrypted default storage.
 */
import { INSTANCE_METADATA_CIDRS } from "../../config/tenants";
import { allObjects } from "../evidence";
import { planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, missing, NSA, ref, requireAll } from "./control";

const T_GUARDRAILS = "test/network/cluster-network-guardrails.test.ts";
const T_LBC = "test/addons/load-balancer-controller.test.ts";
const T_STORAGE = "test/addons/encrypted-storage-class.test.ts";

interface ClusterNetworkPolicy {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly tier?: string; readonly egress?: readonly { readonly action?: string; readonly to?: readonly { readonly networks?: readonly string[] }[] }[] };
}

export const guardrailControls: Control[] = [
  control(
    { id: "K8S-NETWORK-GUARDRAILS", title: "Guardrails tenants cannot override: no tenant pod reaches the instance metadata endpoints, no undeclared cross-tenant ingress, default deny as the baseline tier", layer: "cluster", checklist: "block the metadata endpoint", nsa: NSA.cloudInfra, bp: BP.multiTenancy },
    "construct", "ClusterNetworkGuardrails (ClusterNetworkPolicy, chart cluster-network)", { file: T_GUARDRAILS, name: "the dev stack's guardrails › Admin tier: tenant pods never reach the IPv4 or IPv6 instance metadata endpoint" },
    (ctx) => {
      const policies = allObjects(ctx.charts).filter((o) => (o as ClusterNetworkPolicy).kind === "ClusterNetworkPolicy") as ClusterNetworkPolicy[];
      const named = (name: string) => policies.find((p) => p.metadata?.name === name);
      const problems: string[] = [];
      const metadata = named("bulwark-deny-instance-metadata");
      const denied = new Set((metadata?.spec?.egress ?? []).filter((r) => r.action === "Deny").flatMap((r) => (r.to ?? []).flatMap((t) => t.networks ?? [])));
      if (metadata?.spec?.tier !== "Admin" || !denied.has(INSTANCE_METADATA_CIDRS.ipv4) || !denied.has(INSTANCE_METADATA_CIDRS.ipv6)) problems.push("no Admin-tier deny of both instance metadata endpoints");
      for (const tenant of ctx.config.tenants) if (named(`bulwark-isolate-${tenant.name}`)?.spec?.tier !== "Admin") problems.push(`no Admin-tier isolation of ${tenant.name}`);
      if (named("bulwark-baseline-default-deny")?.spec?.tier !== "Baseline") problems.push("no Baseline-tier default deny");
      return requireAll(policies.map((p) => `ClusterNetworkPolicy/${p.metadata?.name}`), problems);
    },
  ),
  control(
    { id: "AWS-LB-CONTROLLER-INTERNAL", title: "Load balancers are internal by default: the AWS Load Balancer Controller handles every new LoadBalancer Service, defaults to internal, and the default IngressClass forces internal ALBs", layer: "aws", checklist: "restrict API access", nsa: NSA.netpol, bp: BP.network },
    "resource", "LoadBalancerController (helm aws-load-balancer-controller, Pod Identity)", { file: T_LBC, name: "LoadBalancerController › internal by default for Services and Ingresses; every new LoadBalancer Service goes to it; IP targets" },
    (ctx) => {
      const release = planResources(ctx.plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller");
      if (!release) return missing("no AWS Load Balancer Controller release in the plan");
      const values = release.inputs.values ?? {};
      const association = planResources(ctx.plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.serviceAccount === "aws-load-balancer-controller");
      const problems = [
        ...(values.enableServiceMutatorWebhook === true ? [] : ["the Service mutator webhook is off: in-tree load balancers ignore the scheme annotation"]),
        ...(values.defaultLoadBalancerScheme === "internal" ? [] : ["the default scheme is not internal"]),
        ...(values.ingressClassParams?.spec?.scheme === "internal" ? [] : ["the default IngressClass does not force internal ALBs"]),
        ...(association ? [] : ["no Pod Identity association for the controller"]),
      ];
      return requireAll([ref(release), ...(association ? [ref(association)] : [])], problems);
    },
  ),
  control(
    { id: "AWS-STORAGE-ENCRYPTED", title: "The default StorageClass is gp3 encrypted with the customer-managed EBS key", layer: "aws", checklist: "encrypt data at rest and rotate keys", nsa: NSA.encryption, bp: BP.encryption },
    "resource", "EncryptedStorageClass (StorageClass gp3-encrypted)", { file: T_STORAGE, name: "EncryptedStorageClass › is the default class: gp3 through the EBS CSI driver, encrypted with the customer-managed key" },
    (ctx) => {
      const classes = planResources(ctx.plan, "kubernetes:storage.k8s.io/v1:StorageClass");
      const defaults = classes.filter((c) => c.inputs.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
      if (defaults.length === 0) return missing("no default StorageClass in the plan: PVCs get EKS's unencrypted gp2 or none");
      const problems = defaults.filter((c) => c.inputs.parameters?.encrypted !== "true" || !c.inputs.parameters?.kmsKeyId).map((c) => `${c.name} is not KMS-encrypted`);
      if (defaults.length > 1) problems.push("more than one default StorageClass");
      return requireAll(defaults.map(ref), problems);
    },
  ),
];
