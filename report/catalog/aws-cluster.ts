/** AWS layer, the cluster itself: API endpoint, encryption, deletion protection, logging, identity, versions. */
import { ADDON_NAMES, unpinnedAddons } from "../../config/cluster";
import type { AddonKey } from "../../config/cluster";
import { supportNotice, supportPhase } from "../../config/kubernetes-versions";
import { asArray } from "../evidence";
import { planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, eksCluster, missing, NSA, ok, partial, ref, requireAll, T_ACCOUNT, T_ADDONS, T_CLUSTER, T_KMS, T_NETWORK } from "./control";

/** The control plane: private endpoint, firewall, Secrets encryption, keys, deletion protection, logs. */
export const awsClusterControls: Control[] = [
  control(
    {
      id: "AWS-API-PRIVATE",
      title: "Kubernetes API endpoint is private (no public access, or only from listed CIDRs)",
      layer: "aws",
      checklist: "restrict API access",
      nsa: NSA.controlPlane,
      cis: "5.4.2 Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
      bp: BP.infra,
    },
    "resource",
    "aws:eks/cluster:Cluster vpcConfig",
    { file: T_CLUSTER, name: "control plane endpoint › private access on, public access off by default" },
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const vpc = c.inputs.vpcConfig;
      const publicCidrs = asArray(vpc?.publicAccessCidrs).map(String);
      const problems: string[] = [];
      if (vpc?.endpointPrivateAccess !== true) problems.push("endpointPrivateAccess is not true");
      if (vpc?.endpointPublicAccess !== false) {
        if (publicCidrs.length === 0 || publicCidrs.includes("0.0.0.0/0")) problems.push("endpointPublicAccess is open to the world");
        else return partial(`public endpoint reachable from ${publicCidrs.join(", ")}`, [ref(c)]);
      }
      return requireAll([ref(c)], problems);
    },
  ),
  control(
    {
      id: "AWS-API-FIREWALL",
      title: "Control-plane security group admits 443 only from the nodes and admin networks",
      layer: "aws",
      checklist: "restrict API access",
      nsa: NSA.controlPlane,
      cis: "5.4.1 Restrict Access to the Control Plane Endpoint",
      bp: BP.infra,
    },
    "resource",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    { file: T_NETWORK, name: "firewalled control plane › the cluster security group admits 443 only from the node SG and the configured admin CIDRs and SGs" },
    (ctx) => {
      const sg = asArray(eksCluster(ctx)?.inputs.vpcConfig?.securityGroupIds).map(String)[0];
      if (!sg) return missing("the cluster has no control-plane security group");
      const rules = planResources(ctx.plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sg);
      if (rules.length === 0) return missing("no ingress rules on the control-plane security group");
      const problems = rules
        .filter((r) => r.inputs.fromPort !== 443 || r.inputs.toPort !== 443 || r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0")
        .map((r) => `${r.name} admits more than 443 from a node or admin source`);
      return requireAll(rules.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-SECRETS-ENCRYPTION",
      title: "Kubernetes Secrets envelope-encrypted with a customer-managed KMS key that rotates",
      layer: "aws",
      checklist: "encrypt data at rest and rotate keys",
      nsa: NSA.encryption,
      cis: "5.3.1 Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS",
      bp: BP.encryption,
    },
    "resource",
    "aws:eks/cluster:Cluster encryptionConfig + aws:kms/key:Key",
    { file: T_KMS, name: "KMS › one customer-managed key per purpose, rotated, 30-day deletion window, each used for its purpose" },
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const enc = c.inputs.encryptionConfig;
      if (!asArray(enc?.resources).includes("secrets")) return missing("encryptionConfig.resources does not include secrets", [ref(c)]);
      const keyArn = String(enc?.provider?.keyArn ?? "");
      // The mock engine gives each key an ARN ending in a uuid; match the key whose description says Secrets.
      const keys = planResources(ctx.plan, "aws:kms/key:Key").filter((k) => /secret/i.test(String(k.inputs.description)));
      if (!keyArn.startsWith("arn:aws:kms:") || keys.length === 0) return missing("Secrets are not encrypted with a planned KMS key", [ref(c)]);
      const rotating = keys.filter((k) => k.inputs.enableKeyRotation === true);
      if (rotating.length === 0) return partial("the Secrets KMS key does not rotate", keys.map(ref));
      return ok([ref(c), ...rotating.map(ref)]);
    },
  ),
  control(
    {
      id: "AWS-KMS-ROTATION",
      title: "Every KMS key rotates automatically and cannot lock out its account",
      layer: "aws",
      checklist: "encrypt data at rest and rotate keys",
      nsa: NSA.encryption,
      bp: BP.encryption,
    },
    "resource",
    "aws:kms/key:Key",
    { file: T_KMS, name: "KMS › one customer-managed key per purpose, rotated, 30-day deletion window, each used for its purpose" },
    (ctx) => {
      const keys = planResources(ctx.plan, "aws:kms/key:Key");
      if (keys.length === 0) return missing("no KMS keys in the plan");
      const problems = keys.flatMap((k) => [
        ...(k.inputs.enableKeyRotation === true ? [] : [`${k.name}: enableKeyRotation is not true`]),
        ...(k.inputs.bypassPolicyLockoutSafetyCheck === true ? [`${k.name}: bypasses the policy lockout check`] : []),
      ]);
      return requireAll(keys.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-KMS-PROTECTED",
      title: "KMS keys, the cluster and its audit log group are protected from deletion",
      layer: "aws",
      checklist: "encrypt data at rest and rotate keys",
      bp: BP.encryption,
    },
    "resource",
    "Pulumi protect + deletionProtection",
    { file: T_CLUSTER, name: "version and safety › the cluster, the KMS keys and the audit log group are protected and retained on delete" },
    (ctx) => {
      const c = eksCluster(ctx);
      const keys = planResources(ctx.plan, "aws:kms/key:Key");
      const audit = planResources(ctx.plan, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/eks/"));
      const all = [...(c ? [c] : []), ...keys, ...audit];
      if (!c || keys.length === 0 || audit.length === 0) return missing("cluster, keys or audit log group missing from the plan");
      const problems = all.filter((r) => !r.protect).map((r) => `${r.name} is not protected`);
      if (c.inputs.deletionProtection !== true) problems.push("cluster deletionProtection is not true");
      return requireAll(all.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-AUDIT-LOGS",
      title: "All five control-plane log types (api, audit, authenticator, controllerManager, scheduler) enabled",
      layer: "aws",
      checklist: "audit logging",
      nsa: NSA.logging,
      cis: "2.1.1 Enable audit Logs",
      bp: BP.detective,
    },
    "resource",
    "aws:eks/cluster:Cluster enabledClusterLogTypes",
    { file: T_CLUSTER, name: "audit logging › all five control-plane log types go to /aws/eks/<cluster>/cluster, created first, KMS-encrypted, 365 days" },
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const types = asArray(c.inputs.enabledClusterLogTypes).map(String);
      const absent = ["api", "audit", "authenticator", "controllerManager", "scheduler"].filter((t) => !types.includes(t));
      if (absent.length === 5) return missing("no control-plane log types enabled", [ref(c)]);
      if (absent.length > 0) return partial(`log types not enabled: ${absent.join(", ")}`, [ref(c)]);
      return ok([ref(c)]);
    },
  ),
  control(
    {
      id: "AWS-AUDIT-LOG-GROUP",
      title: "Control-plane logs kept in a KMS-encrypted log group for at least 365 days",
      layer: "aws",
      checklist: "audit logging",
      nsa: NSA.logging,
      bp: BP.detective,
    },
    "resource",
    "aws:cloudwatch/logGroup:LogGroup",
    { file: T_CLUSTER, name: "audit logging › all five control-plane log types go to /aws/eks/<cluster>/cluster, created first, KMS-encrypted, 365 days" },
    (ctx) => {
      const name = `/aws/eks/${ctx.config.cluster.name}/cluster`;
      const group = planResources(ctx.plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === name);
      if (!group) return missing(`no log group ${name} in the plan`);
      const problems: string[] = [];
      if (!group.inputs.kmsKeyId) problems.push("not KMS-encrypted");
      const days = Number(group.inputs.retentionInDays ?? 0);
      if (days !== 0 && days < 365) return partial(`retention ${days} days is below 365`, [ref(group)]);
      return requireAll([ref(group)], problems);
    },
  ),
  control(
    { id: "AWS-FLOW-LOGS", title: "VPC flow logs capture ALL traffic", layer: "aws", checklist: "audit logging", nsa: NSA.threat, bp: BP.detective },
    "resource",
    "aws:ec2/flowLog:FlowLog",
    { file: T_NETWORK, name: "network › a created VPC has flow logs of all traffic to a KMS-encrypted log group; its default SG is emptied" },
    (ctx) => {
      const logs = planResources(ctx.plan, "aws:ec2/flowLog:FlowLog");
      if (logs.length === 0) return missing("no VPC flow log in the plan");
      return requireAll(
        logs.map(ref),
        logs.filter((l) => l.inputs.trafficType !== "ALL").map((l) => `${l.name}: trafficType is not ALL`),
      );
    },
  ),
  control(
    {
      id: "AWS-GUARDDUTY",
      title: "GuardDuty EKS audit-log and runtime monitoring enabled",
      layer: "aws",
      checklist: "audit logging",
      nsa: NSA.threat,
      bp: BP.detective,
    },
    "resource",
    "aws:guardduty/detectorFeature:DetectorFeature",
    { file: T_ACCOUNT, name: "optional controls › GuardDuty: EKS audit-log and runtime monitoring with the managed agent" },
    (ctx) => {
      const features = planResources(ctx.plan, "aws:guardduty/detectorFeature:DetectorFeature");
      const enabled = (name: string) => features.find((f) => f.inputs.name === name && f.inputs.status === "ENABLED");
      const absent = ["EKS_AUDIT_LOGS", "RUNTIME_MONITORING"].filter((n) => !enabled(n));
      if (absent.length === 2) return missing("GuardDuty EKS protection is not enabled (bulwark:cluster.guardDuty.enabled)");
      if (absent.length > 0) return partial(`GuardDuty features not enabled: ${absent.join(", ")}`, features.map(ref));
      return ok(features.map(ref));
    },
  ),
];

/** Versions: the control plane and nodes in standard support and in step; add-ons pinned. */
export const awsLifecycleControls: Control[] = [
  control(
    {
      id: "AWS-VERSION-SUPPORTED",
      title: "Kubernetes version pinned, in standard support, the same on control plane and nodes",
      layer: "aws",
      checklist: "keeping Kubernetes up to date",
      nsa: NSA.upgrading,
      bp: BP.infra,
    },
    "resource",
    "aws:eks/cluster:Cluster version + aws:eks/nodeGroup:NodeGroup version",
    { file: T_CLUSTER, name: "version and safety › upgrade policy STANDARD and EKS deletion protection by default" },
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const version = String(c.inputs.version);
      const problems: string[] = [];
      if (version !== ctx.config.cluster.kubernetesVersion)
        problems.push(`cluster version ${version} is not the configured ${ctx.config.cluster.kubernetesVersion}`);
      for (const g of planResources(ctx.plan, "aws:eks/nodeGroup:NodeGroup"))
        if (String(g.inputs.version) !== version) problems.push(`${g.name} runs ${String(g.inputs.version)}`);
      // A skew or a wrong version is missing whatever the support tier; extended support alone is partial.
      if (problems.length === 0 && c.inputs.upgradePolicy?.supportType === "EXTENDED") return partial("on EKS extended support", [ref(c)]);
      // The versions table's dates on the report's day: extended support, or its end within 90 days, is a named gap.
      const notice = supportNotice(ctx.config.cluster.kubernetesVersion, ctx.today);
      if (problems.length === 0 && notice) return partial(notice, [ref(c)]);
      if (supportPhase(ctx.config.cluster.kubernetesVersion, ctx.today).phase === "ended")
        problems.push(`Kubernetes ${version} is past Amazon EKS extended support`);
      return requireAll([ref(c)], problems);
    },
  ),
  control(
    {
      id: "AWS-ADDONS-PINNED",
      title: "EKS add-ons pinned to explicit versions (upgrades are reviewed changes)",
      layer: "aws",
      checklist: "keeping Kubernetes up to date",
      nsa: NSA.upgrading,
      bp: BP.infra,
    },
    "resource",
    "aws:eks/addon:Addon addonVersion",
    { file: T_ADDONS, name: "add-ons › five managed add-ons, versions pinned; vpc-cni enforces NetworkPolicies" },
    (ctx) => {
      const addons = planResources(ctx.plan, "aws:eks/addon:Addon");
      if (addons.length === 0) return missing("no EKS add-ons in the plan");
      const unpinned = addons.filter((a) => !a.inputs.addonVersion);
      // Unpinned only where the versions table has no sourced version and the stack pins none: a named gap.
      const expected = new Set(
        unpinnedAddons(ctx.config.cluster.kubernetesVersion, ctx.config.cluster.addonVersions).map((key: AddonKey) => ADDON_NAMES[key] as string),
      );
      const unexpected = unpinned.filter((a) => !expected.has(String(a.inputs.addonName)));
      if (unexpected.length > 0) return missing(unexpected.map((a) => `${a.name} has no pinned version`).join("; "), addons.map(ref));
      if (unpinned.length > 0)
        return partial(
          `${unpinned
            .map((a) => String(a.inputs.addonName))
            .sort()
            .join(", ")} unpinned: EKS default at create (no sourced version in config/kubernetes-versions.ts)`,
          addons.map(ref),
        );
      return requireAll(addons.map(ref), []);
    },
  ),
];
