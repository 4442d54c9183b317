/**
 * The control catalog: every control Bulwark claims, where it comes from, how it is enforced, the test
 * that proves it, and an evidence predicate over the plan, the synthesized objects and the policy suites.
 * Sources: NSA/CISA Kubernetes Hardening Guidance (v1.2) and the EKS Best Practices Guide are cited by
 * section title; CIS Amazon EKS Benchmark ids are given only where the recommendation maps one to one.
 */
import { Chart, Size, Testing } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { idpGroupSubject } from "../config/cluster";
import { PolicySet } from "../constructs/gatekeeper/engine/evaluator";
import type { PolicyDefinition } from "../constructs/gatekeeper/policy";
import { loadPolicies } from "../constructs/gatekeeper/policy";
import { HardenedWorkload } from "../constructs/workload/hardened-workload";
import type { K8sObject } from "./evidence";
import { allObjects, asArray, field, findObject, nameOf, objectRef, objectsOfKind, plannedKubernetes, resources } from "./evidence";
import { analyzeNetwork } from "./network";
import { analyzeRbac } from "./rbac";
import type { CheckOutcome, ChecklistItem, Control, ControlSources, EvidenceContext, Layer } from "./types";

const T_CLUSTER = "test/lib/hardened-cluster.test.ts";
const T_BASELINE = "test/baseline/tenant-namespace.test.ts";
const T_SUITES = "test/gatekeeper/suites.test.ts";
const T_RELEASE = "test/deploy/gatekeeper-release.test.ts";
const T_REPORT = "test/report/report.test.ts";
const T_CHECK = "test/gatekeeper/check-cli.test.ts";
const T_WORKLOAD = "test/workload/hardened-workload.test.ts";

const NSA = {
  podSecurity: "Kubernetes Pod security",
  nonRoot: "Kubernetes Pod security: Non-root containers and rootless container engines",
  immutable: "Kubernetes Pod security: Immutable container file systems",
  images: "Kubernetes Pod security: Building secure container images",
  psEnforcement: "Kubernetes Pod security: Pod security enforcement",
  saTokens: "Kubernetes Pod security: Protecting Pod service account tokens",
  namespaces: "Network separation and hardening: Namespaces",
  netpol: "Network separation and hardening: Network policies",
  resourcePolicies: "Network separation and hardening: Resource policies",
  controlPlane: "Network separation and hardening: Control plane hardening",
  workerSegmentation: "Network separation and hardening: Worker node segmentation",
  encryption: "Network separation and hardening: Encryption",
  secrets: "Network separation and hardening: Secrets",
  cloudInfra: "Network separation and hardening: Protecting sensitive cloud infrastructure",
  authn: "Authentication and authorization: Authentication",
  rbac: "Authentication and authorization: Role-based access control",
  logging: "Audit logging and threat detection: Logging",
  threat: "Audit logging and threat detection: Threat detection",
  upgrading: "Upgrading and application security practices",
} as const;

const BP = {
  iam: "Identity and Access Management",
  pod: "Pod Security",
  multiTenancy: "Multi-tenancy",
  detective: "Detective Controls",
  network: "Network Security",
  encryption: "Data Encryption and Secrets Management",
  runtime: "Runtime Security",
  infra: "Infrastructure Security",
  image: "Image Security",
  compliance: "Regulatory Compliance",
  incident: "Incident Response and Forensics",
} as const;

// ---------------------------------------------------------------------------------------------------
// Outcome helpers.

function ok(evidence: readonly string[], verifiedBy: readonly string[] = []): CheckOutcome {
  return { state: "ok", evidence: [...evidence].sort(), verifiedBy: [...verifiedBy].sort() };
}

function partial(detail: string, evidence: readonly string[] = []): CheckOutcome {
  return { state: "partial", evidence: [...evidence].sort(), detail };
}

function missing(detail: string, evidence: readonly string[] = []): CheckOutcome {
  return { state: "missing", evidence: [...evidence].sort(), detail };
}

/** ok when every problem list is empty, else missing with the problems. */
function requireAll(evidence: readonly string[], problems: readonly string[], verifiedBy: readonly string[] = []): CheckOutcome {
  return problems.length === 0 ? ok(evidence, verifiedBy) : missing(problems.join("; "), evidence);
}

const eksCluster = (ctx: EvidenceContext) => resources(ctx, "aws:eks/cluster:Cluster")[0];
const ref = (type: string, name: string) => `${type.split(":").pop()}/${name}`;

// ---------------------------------------------------------------------------------------------------
// Control builders.

interface Meta {
  readonly id: string;
  readonly title: string;
  readonly layer: Layer;
  readonly checklist: ChecklistItem;
  readonly nsa?: string;
  readonly cis?: string;
  readonly bp?: string;
}

function sources(meta: Meta): ControlSources {
  return {
    checklist: meta.checklist,
    ...(meta.nsa ? { nsa: meta.nsa } : {}),
    ...(meta.cis ? { cis: meta.cis } : {}),
    ...(meta.bp ? { eksBestPractices: meta.bp } : {}),
  };
}

function control(meta: Meta, mechanism: "resource" | "construct" | "constraint", name: string, test: string, check: Control["check"]): Control {
  return { id: meta.id, title: meta.title, layer: meta.layer, sources: sources(meta), enforcement: { mechanism, name }, test, check };
}

let policyCache: ReadonlyMap<string, PolicyDefinition> | undefined;
function policy(id: string): PolicyDefinition {
  policyCache ??= new Map(loadPolicies().map((p) => [p.name, p]));
  const found = policyCache.get(id);
  if (!found) throw new Error(`catalog: no policy folder ${id} under constructs/gatekeeper/policies`);
  return found;
}

/**
 * A Gatekeeper-enforced control: the stack synthesizes the template and a constraint of the policy's
 * kind, the plan deploys the constraint, its enforcementAction is deny (warn/dryrun: partial) and the
 * policy's suite passed in this run (verified).
 */
function constraintCheck(policyIds: readonly string[]): (ctx: EvidenceContext) => CheckOutcome {
  return (ctx) => {
    const evidence: string[] = [];
    const problems: string[] = [];
    const gaps: string[] = [];
    const verified: string[] = [];
    for (const id of policyIds) {
      const p = policy(id);
      const templates = objectsOfKind(ctx.charts, "ConstraintTemplate").filter((t) => nameOf(t) === p.kind.toLowerCase());
      const constraints = objectsOfKind(ctx.charts, p.kind);
      if (templates.length === 0) problems.push(`no ConstraintTemplate ${p.kind.toLowerCase()} synthesized`);
      if (constraints.length === 0) problems.push(`no ${p.kind} constraint synthesized`);
      for (const c of constraints) {
        evidence.push(`${p.kind}/${nameOf(c)}`);
        if (!plannedKubernetes(ctx, p.kind, nameOf(c))) problems.push(`${p.kind}/${nameOf(c)} is not in the plan`);
        const action = String(field(c, "spec", "enforcementAction") ?? "deny");
        if (action !== "deny") gaps.push(`${p.kind}/${nameOf(c)} enforcementAction is ${action}, not deny`);
      }
      const suite = ctx.suites[id];
      if (!suite) gaps.push(`no suite results for ${id}`);
      else if (suite.failures.length > 0) gaps.push(`suite ${id} fails: ${suite.failures.slice(0, 2).join("; ")}`);
      else verified.push(`suite ${id} (${suite.cases} cases)`);
    }
    if (problems.length > 0) return missing(problems.join("; "), evidence);
    if (gaps.length > 0) return partial(gaps.join("; "), evidence);
    return ok(evidence, verified);
  };
}

function constraintControl(meta: Meta, policyIds: readonly string[]): Control {
  return {
    id: meta.id,
    title: meta.title,
    layer: meta.layer,
    sources: sources(meta),
    enforcement: { mechanism: "constraint", name: policyIds.join(", ") },
    test: T_SUITES,
    check: constraintCheck(policyIds),
  };
}

function organizational(meta: Meta): Control {
  return { id: meta.id, title: meta.title, layer: meta.layer, sources: sources(meta), enforcement: { mechanism: "organizational", name: "process" } };
}

/** Runs `check(tenant)` for every tenant; ok when none reports a problem. */
function everyTenant(ctx: EvidenceContext, check: (ns: string) => { evidence: string[]; problems: string[] }, verifiedBy: readonly string[] = []): CheckOutcome {
  if (ctx.config.tenants.length === 0) return missing("the stack has no tenants");
  const evidence: string[] = [];
  const problems: string[] = [];
  for (const t of ctx.config.tenants) {
    const r = check(t.name);
    evidence.push(...r.evidence);
    problems.push(...r.problems);
  }
  return requireAll(evidence, problems, verifiedBy);
}

function tenantObject(ctx: EvidenceContext, kind: string, ns: string | undefined, name: string, test: (o: K8sObject) => string | undefined) {
  const object = findObject(ctx, kind, ns, name);
  if (!object) return { evidence: [] as string[], problems: [`${kind}/${ns ? `${ns}/` : ""}${name} is not synthesized`] };
  const problem = test(object) ?? (plannedKubernetes(ctx, kind, name, ns) ? undefined : "not in the plan");
  return { evidence: [objectRef(object)], problems: problem ? [`${objectRef(object)}: ${problem}`] : [] };
}

function network(ctx: EvidenceContext) {
  const vpc = resources(ctx, "aws:ec2/vpc:Vpc")[0];
  return analyzeNetwork(ctx.charts, typeof field(vpc?.inputs, "cidrBlock") === "string" ? String(field(vpc?.inputs, "cidrBlock")) : undefined);
}

// ---------------------------------------------------------------------------------------------------
// AWS layer: predicates over the offline plan.

const awsControls: Control[] = [
  control(
    { id: "AWS-API-PRIVATE", title: "Kubernetes API endpoint is private (no public access, or only from listed CIDRs)", layer: "aws", checklist: "restrict API access", nsa: NSA.controlPlane, cis: "5.4.2 Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled", bp: BP.infra },
    "resource", "aws:eks/cluster:Cluster vpcConfig", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const vpc = field(c.inputs, "vpcConfig");
      const publicCidrs = asArray(field(vpc, "publicAccessCidrs")).map(String);
      const problems: string[] = [];
      if (field(vpc, "endpointPrivateAccess") !== true) problems.push("endpointPrivateAccess is not true");
      if (field(vpc, "endpointPublicAccess") !== false) {
        if (publicCidrs.length === 0 || publicCidrs.includes("0.0.0.0/0")) problems.push("endpointPublicAccess is open to the world");
        else return partial(`public endpoint reachable from ${publicCidrs.join(", ")}`, [ref(c.type, c.name)]);
      }
      return requireAll([ref(c.type, c.name)], problems);
    },
  ),
  control(
    { id: "AWS-API-FIREWALL", title: "Control-plane security group admits 443 only from the nodes and admin networks", layer: "aws", checklist: "restrict API access", nsa: NSA.controlPlane, cis: "5.4.1 Restrict Access to the Control Plane Endpoint", bp: BP.infra },
    "resource", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      const sg = asArray(field(c?.inputs, "vpcConfig", "securityGroupIds")).map(String)[0];
      if (!sg) return missing("the cluster has no control-plane security group");
      const rules = resources(ctx, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => field(r.inputs, "securityGroupId") === sg);
      if (rules.length === 0) return missing("no ingress rules on the control-plane security group");
      const problems = rules
        .filter((r) => field(r.inputs, "fromPort") !== 443 || field(r.inputs, "toPort") !== 443 || field(r.inputs, "cidrIpv4") === "0.0.0.0/0" || field(r.inputs, "cidrIpv6") === "::/0")
        .map((r) => `${r.name} admits more than 443 from a node or admin source`);
      return requireAll(rules.map((r) => ref(r.type, r.name)), problems);
    },
  ),
  control(
    { id: "AWS-SECRETS-ENCRYPTION", title: "Kubernetes Secrets envelope-encrypted with a customer-managed KMS key that rotates", layer: "aws", checklist: "encrypt data at rest and rotate keys", nsa: NSA.encryption, cis: "5.3.1 Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS", bp: BP.encryption },
    "resource", "aws:eks/cluster:Cluster encryptionConfig + aws:kms/key:Key", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const enc = field(c.inputs, "encryptionConfig");
      if (!asArray(field(enc, "resources")).includes("secrets")) return missing("encryptionConfig.resources does not include secrets", [ref(c.type, c.name)]);
      const keyArn = String(field(enc, "provider", "keyArn") ?? "");
      // The mock engine gives each key an ARN ending in a uuid; match the key whose description says Secrets.
      const keys = resources(ctx, "aws:kms/key:Key").filter((k) => /secret/i.test(String(field(k.inputs, "description"))));
      if (!keyArn.startsWith("arn:aws:kms:") || keys.length === 0) return missing("Secrets are not encrypted with a planned KMS key", [ref(c.type, c.name)]);
      const rotating = keys.filter((k) => field(k.inputs, "enableKeyRotation") === true);
      if (rotating.length === 0) return partial("the Secrets KMS key does not rotate", keys.map((k) => ref(k.type, k.name)));
      return ok([ref(c.type, c.name), ...rotating.map((k) => ref(k.type, k.name))]);
    },
  ),
  control(
    { id: "AWS-KMS-ROTATION", title: "Every KMS key rotates automatically and cannot lock out its account", layer: "aws", checklist: "encrypt data at rest and rotate keys", nsa: NSA.encryption, bp: BP.encryption },
    "resource", "aws:kms/key:Key", T_CLUSTER,
    (ctx) => {
      const keys = resources(ctx, "aws:kms/key:Key");
      if (keys.length === 0) return missing("no KMS keys in the plan");
      const problems = keys.flatMap((k) => [
        ...(field(k.inputs, "enableKeyRotation") === true ? [] : [`${k.name}: enableKeyRotation is not true`]),
        ...(field(k.inputs, "bypassPolicyLockoutSafetyCheck") === true ? [`${k.name}: bypasses the policy lockout check`] : []),
      ]);
      return requireAll(keys.map((k) => ref(k.type, k.name)), problems);
    },
  ),
  control(
    { id: "AWS-KMS-PROTECTED", title: "KMS keys, the cluster and its audit log group are protected from deletion", layer: "aws", checklist: "encrypt data at rest and rotate keys", bp: BP.encryption },
    "resource", "Pulumi protect + deletionProtection", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      const keys = resources(ctx, "aws:kms/key:Key");
      const audit = resources(ctx, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(field(g.inputs, "name")).startsWith("/aws/eks/"));
      const all = [...(c ? [c] : []), ...keys, ...audit];
      if (!c || keys.length === 0 || audit.length === 0) return missing("cluster, keys or audit log group missing from the plan");
      const problems = all.filter((r) => !r.protect).map((r) => `${r.name} is not protected`);
      if (field(c.inputs, "deletionProtection") !== true) problems.push("cluster deletionProtection is not true");
      return requireAll(all.map((r) => ref(r.type, r.name)), problems);
    },
  ),
  control(
    { id: "AWS-AUDIT-LOGS", title: "All five control-plane log types (api, audit, authenticator, controllerManager, scheduler) enabled", layer: "aws", checklist: "audit logging", nsa: NSA.logging, cis: "2.1.1 Enable audit Logs", bp: BP.detective },
    "resource", "aws:eks/cluster:Cluster enabledClusterLogTypes", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const types = asArray(field(c.inputs, "enabledClusterLogTypes")).map(String);
      const absent = ["api", "audit", "authenticator", "controllerManager", "scheduler"].filter((t) => !types.includes(t));
      if (absent.length === 5) return missing("no control-plane log types enabled", [ref(c.type, c.name)]);
      if (absent.length > 0) return partial(`log types not enabled: ${absent.join(", ")}`, [ref(c.type, c.name)]);
      return ok([ref(c.type, c.name)]);
    },
  ),
  control(
    { id: "AWS-AUDIT-LOG-GROUP", title: "Control-plane logs kept in a KMS-encrypted log group for at least 365 days", layer: "aws", checklist: "audit logging", nsa: NSA.logging, bp: BP.detective },
    "resource", "aws:cloudwatch/logGroup:LogGroup", T_CLUSTER,
    (ctx) => {
      const name = `/aws/eks/${ctx.config.cluster.name}/cluster`;
      const group = resources(ctx, "aws:cloudwatch/logGroup:LogGroup").find((g) => field(g.inputs, "name") === name);
      if (!group) return missing(`no log group ${name} in the plan`);
      const problems: string[] = [];
      if (!field(group.inputs, "kmsKeyId")) problems.push("not KMS-encrypted");
      const days = Number(field(group.inputs, "retentionInDays") ?? 0);
      if (days !== 0 && days < 365) return partial(`retention ${days} days is below 365`, [ref(group.type, group.name)]);
      return requireAll([ref(group.type, group.name)], problems);
    },
  ),
  control(
    { id: "AWS-FLOW-LOGS", title: "VPC flow logs capture ALL traffic", layer: "aws", checklist: "audit logging", nsa: NSA.threat, bp: BP.detective },
    "resource", "aws:ec2/flowLog:FlowLog", T_CLUSTER,
    (ctx) => {
      const logs = resources(ctx, "aws:ec2/flowLog:FlowLog");
      if (logs.length === 0) return missing("no VPC flow log in the plan");
      return requireAll(logs.map((l) => ref(l.type, l.name)), logs.filter((l) => field(l.inputs, "trafficType") !== "ALL").map((l) => `${l.name}: trafficType is not ALL`));
    },
  ),
  control(
    { id: "AWS-GUARDDUTY", title: "GuardDuty EKS audit-log and runtime monitoring enabled", layer: "aws", checklist: "audit logging", nsa: NSA.threat, bp: BP.detective },
    "resource", "aws:guardduty/detectorFeature:DetectorFeature", T_CLUSTER,
    (ctx) => {
      const features = resources(ctx, "aws:guardduty/detectorFeature:DetectorFeature");
      const enabled = (name: string) => features.find((f) => field(f.inputs, "name") === name && field(f.inputs, "status") === "ENABLED");
      const absent = ["EKS_AUDIT_LOGS", "RUNTIME_MONITORING"].filter((n) => !enabled(n));
      if (absent.length === 2) return missing("GuardDuty EKS protection is not enabled (bulwark:cluster.guardDuty.enabled)");
      if (absent.length > 0) return partial(`GuardDuty features not enabled: ${absent.join(", ")}`, features.map((f) => ref(f.type, f.name)));
      return ok(features.map((f) => ref(f.type, f.name)));
    },
  ),
  control(
    { id: "AWS-AUTH-MODE", title: "Access entries only (authenticationMode API), no implicit cluster-creator admin", layer: "aws", checklist: "RBAC least privilege", nsa: NSA.authn, cis: "5.5.1 Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater", bp: BP.iam },
    "resource", "aws:eks/cluster:Cluster accessConfig", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const access = field(c.inputs, "accessConfig");
      const problems: string[] = [];
      if (field(access, "authenticationMode") !== "API") problems.push(`authenticationMode is ${String(field(access, "authenticationMode"))}, not API (aws-auth ConfigMap still honoured)`);
      if (field(access, "bootstrapClusterCreatorAdminPermissions") !== false) problems.push("the cluster creator is made cluster-admin");
      return requireAll([ref(c.type, c.name)], problems);
    },
  ),
  control(
    { id: "AWS-ADMIN-ACCESS-SCOPED", title: "Cluster-scoped EKS admin access only for the configured admin principals", layer: "aws", checklist: "RBAC least privilege", nsa: NSA.rbac, cis: "4.1.1 Ensure that the cluster-admin role is only used where required", bp: BP.iam },
    "resource", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", T_CLUSTER,
    (ctx) => {
      const admins = new Set(ctx.config.cluster.adminPrincipals ?? []);
      const assocs = resources(ctx, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
      const clusterScoped = assocs.filter((a) => field(a.inputs, "accessScope", "type") === "cluster");
      const problems = clusterScoped.filter((a) => !admins.has(String(field(a.inputs, "principalArn")))).map((a) => `${a.name}: cluster-scoped access for a non-admin principal`);
      return requireAll(assocs.map((a) => ref(a.type, a.name)), problems);
    },
  ),
  control(
    { id: "AWS-TENANT-ACCESS-SCOPED", title: "Tenant IAM principals get namespace-scoped view access only; their rights come from the tenant Roles", layer: "aws", checklist: "RBAC least privilege", nsa: NSA.rbac, bp: BP.multiTenancy },
    "resource", "aws:eks/accessEntry:AccessEntry kubernetesGroups", T_CLUSTER,
    (ctx) => {
      const tenantArns = new Set(ctx.config.tenants.flatMap((t) => Object.values(t.awsPrincipals ?? {}).flatMap((a) => a ?? [])));
      const assocs = resources(ctx, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => tenantArns.has(String(field(a.inputs, "principalArn"))));
      const entries = resources(ctx, "aws:eks/accessEntry:AccessEntry").filter((e) => tenantArns.has(String(field(e.inputs, "principalArn"))));
      const problems = assocs
        .filter((a) => field(a.inputs, "accessScope", "type") !== "namespace" || !String(field(a.inputs, "policyArn")).endsWith("/AmazonEKSViewPolicy"))
        .map((a) => `${a.name}: not a namespace-scoped AmazonEKSViewPolicy`);
      if (entries.length < tenantArns.size) problems.push(`${tenantArns.size - entries.length} tenant principals have no access entry`);
      return requireAll([...entries, ...assocs].map((r) => ref(r.type, r.name)).concat(tenantArns.size === 0 ? ["no tenant IAM principals configured"] : []), problems);
    },
  ),
  control(
    { id: "AWS-OIDC-IDP", title: "Humans authenticate through the company IdP (OIDC) with prefixed usernames and groups", layer: "aws", checklist: "third-party authentication", nsa: NSA.authn, bp: BP.iam },
    "resource", "aws:eks/identityProviderConfig:IdentityProviderConfig", T_CLUSTER,
    (ctx) => {
      const idp = resources(ctx, "aws:eks/identityProviderConfig:IdentityProviderConfig")[0];
      if (!idp) return missing("no OIDC identity provider config (bulwark:cluster.identityProvider)");
      const oidc = field(idp.inputs, "oidc");
      const problems: string[] = [];
      if (!String(field(oidc, "issuerUrl") ?? "").startsWith("https://")) problems.push("issuerUrl is not https");
      if (!field(oidc, "groupsPrefix")) problems.push("no groupsPrefix: an IdP group could be named system:masters");
      if (!field(oidc, "usernamePrefix")) problems.push("no usernamePrefix");
      return requireAll([ref(idp.type, idp.name)], problems);
    },
  ),
  control(
    { id: "AWS-WORKLOAD-IDENTITY", title: "Pods get AWS credentials via IRSA / Pod Identity, add-ons via their own roles, not the node role", layer: "aws", checklist: "service-account tokens", bp: BP.iam },
    "resource", "aws:iam/openIdConnectProvider + eks-pod-identity-agent + add-on roles", T_CLUSTER,
    (ctx) => {
      const oidc = resources(ctx, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
      const agent = resources(ctx, "aws:eks/addon:Addon").filter((a) => field(a.inputs, "addonName") === "eks-pod-identity-agent");
      const cni = resources(ctx, "aws:eks/addon:Addon").filter((a) => field(a.inputs, "addonName") === "vpc-cni");
      const nodeRole = resources(ctx, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => /nodes/.test(a.name) && String(field(a.inputs, "policyArn")).endsWith("AmazonEKS_CNI_Policy"));
      const problems: string[] = [];
      if (oidc.length === 0) problems.push("no IAM OIDC provider (IRSA)");
      if (agent.length === 0) problems.push("no eks-pod-identity-agent add-on");
      if (cni.some((a) => !field(a.inputs, "serviceAccountRoleArn"))) problems.push("vpc-cni runs on the node role");
      if (nodeRole.length > 0) problems.push("AmazonEKS_CNI_Policy is attached to the node role");
      return requireAll([...oidc, ...agent, ...cni].map((r) => ref(r.type, r.name)), problems);
    },
  ),
  control(
    { id: "AWS-IMDSV2", title: "Nodes require IMDSv2 with a hop limit of 1: pods cannot reach the node's instance credentials", layer: "aws", checklist: "block the metadata endpoint", nsa: NSA.cloudInfra, bp: BP.iam },
    "resource", "aws:ec2/launchTemplate:LaunchTemplate metadataOptions", T_CLUSTER,
    (ctx) => {
      const templates = resources(ctx, "aws:ec2/launchTemplate:LaunchTemplate");
      if (templates.length === 0) return missing("no node launch template in the plan");
      const problems = templates.flatMap((t) => {
        const m = field(t.inputs, "metadataOptions");
        return [
          ...(field(m, "httpTokens") === "required" ? [] : [`${t.name}: httpTokens is not required`]),
          ...(Number(field(m, "httpPutResponseHopLimit")) === 1 ? [] : [`${t.name}: hop limit is not 1`]),
        ];
      });
      return requireAll(templates.map((t) => ref(t.type, t.name)), problems);
    },
  ),
  control(
    { id: "AWS-NODE-VOLUMES-ENCRYPTED", title: "Node volumes encrypted with the customer-managed EBS key", layer: "aws", checklist: "encrypt data at rest and rotate keys", nsa: NSA.encryption, bp: BP.encryption },
    "resource", "aws:ec2/launchTemplate:LaunchTemplate blockDeviceMappings", T_CLUSTER,
    (ctx) => {
      const templates = resources(ctx, "aws:ec2/launchTemplate:LaunchTemplate");
      if (templates.length === 0) return missing("no node launch template in the plan");
      const problems = templates.flatMap((t) =>
        asArray(field(t.inputs, "blockDeviceMappings"))
          .filter((d) => String(field(d, "ebs", "encrypted")) !== "true" || !field(d, "ebs", "kmsKeyId"))
          .map((d) => `${t.name} ${String(field(d, "deviceName"))}: not KMS-encrypted`),
      );
      return requireAll(templates.map((t) => ref(t.type, t.name)), problems);
    },
  ),
  control(
    { id: "AWS-NODE-OS", title: "Managed node groups run Bottlerocket, a minimal container OS", layer: "aws", checklist: "node isolation", nsa: NSA.workerSegmentation, bp: BP.infra },
    "resource", "aws:eks/nodeGroup:NodeGroup amiType", T_CLUSTER,
    (ctx) => {
      const groups = resources(ctx, "aws:eks/nodeGroup:NodeGroup");
      if (groups.length === 0) return missing("no managed node group in the plan");
      return requireAll(groups.map((g) => ref(g.type, g.name)), groups.filter((g) => !String(field(g.inputs, "amiType")).startsWith("BOTTLEROCKET_")).map((g) => `${g.name}: amiType is not Bottlerocket`));
    },
  ),
  control(
    { id: "AWS-NODES-PRIVATE", title: "Nodes and the control-plane ENIs live in private subnets (no public IPs)", layer: "aws", checklist: "node isolation", nsa: NSA.workerSegmentation, cis: "5.4.3 Ensure clusters are created with Private Nodes", bp: BP.infra },
    "resource", "aws:ec2/subnet:Subnet + aws:eks/nodeGroup:NodeGroup", T_CLUSTER,
    (ctx) => {
      const subnets = resources(ctx, "aws:ec2/subnet:Subnet");
      const publicIps = subnets.filter((s) => field(s.inputs, "mapPublicIpOnLaunch") === true);
      const c = eksCluster(ctx);
      const groups = resources(ctx, "aws:eks/nodeGroup:NodeGroup");
      const clusterSubnets = JSON.stringify(asArray(field(c?.inputs, "vpcConfig", "subnetIds")).map(String).sort());
      const problems = [
        ...publicIps.map((s) => `${s.name} maps public IPs on launch`),
        ...groups.filter((g) => JSON.stringify(asArray(field(g.inputs, "subnetIds")).map(String).sort()) !== clusterSubnets).map((g) => `${g.name} is not in the cluster's private subnets`),
      ];
      if (subnets.length === 0 || groups.length === 0) problems.push("no subnets or node groups in the plan");
      return requireAll([...subnets.filter((s) => /private/.test(s.name)), ...groups].map((r) => ref(r.type, r.name)), problems);
    },
  ),
  control(
    { id: "AWS-KUBELET-FIREWALL", title: "The kubelet (10250) is reachable only from the control plane and node-to-node; nothing from outside the VPC", layer: "aws", checklist: "kubelet access", nsa: NSA.workerSegmentation, bp: BP.infra },
    "resource", "node security group ingress rules", T_CLUSTER,
    (ctx) => {
      const templates = resources(ctx, "aws:ec2/launchTemplate:LaunchTemplate");
      const nodeSgs = new Set(templates.flatMap((t) => asArray(field(t.inputs, "vpcSecurityGroupIds")).map(String)));
      const rules = resources(ctx, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => nodeSgs.has(String(field(r.inputs, "securityGroupId"))));
      if (rules.length === 0) return missing("no node security group rules in the plan");
      const problems = rules.filter((r) => !field(r.inputs, "referencedSecurityGroupId")).map((r) => `${r.name} admits a CIDR (${String(field(r.inputs, "cidrIpv4") ?? field(r.inputs, "cidrIpv6"))}) to the nodes`);
      return requireAll(rules.map((r) => ref(r.type, r.name)), problems);
    },
  ),
  control(
    { id: "AWS-DEFAULT-SG-CLOSED", title: "The VPC's default security group has no rules", layer: "aws", checklist: "node isolation", bp: BP.infra },
    "resource", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", T_CLUSTER,
    (ctx) => {
      const sgs = resources(ctx, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
      if (sgs.length === 0) return missing("the default security group is not managed (it allows all traffic within itself)");
      return requireAll(sgs.map((s) => ref(s.type, s.name)), sgs.filter((s) => asArray(field(s.inputs, "ingress")).length + asArray(field(s.inputs, "egress")).length > 0).map((s) => `${s.name} has rules`));
    },
  ),
  control(
    { id: "AWS-VPC-ENDPOINTS", title: "AWS APIs the nodes need (STS, ECR, logs, EKS auth, S3) reached through private VPC endpoints", layer: "aws", checklist: "node isolation", nsa: NSA.workerSegmentation, bp: BP.network },
    "resource", "aws:ec2/vpcEndpoint:VpcEndpoint", T_CLUSTER,
    (ctx) => {
      const endpoints = resources(ctx, "aws:ec2/vpcEndpoint:VpcEndpoint");
      const services = endpoints.map((e) => String(field(e.inputs, "serviceName")).split(".").slice(3).join("."));
      const absent = ["sts", "ecr.api", "ecr.dkr", "logs", "s3"].filter((s) => !services.includes(s));
      if (endpoints.length === 0) return missing("no VPC endpoints in the plan");
      if (absent.length > 0) return partial(`no endpoint for ${absent.join(", ")}`, endpoints.map((e) => ref(e.type, e.name)));
      return ok(endpoints.map((e) => ref(e.type, e.name)));
    },
  ),
  control(
    { id: "AWS-CNI-NETWORK-POLICY", title: "The VPC CNI enforces NetworkPolicies (network policy agent enabled)", layer: "aws", checklist: "default deny network policies", nsa: NSA.netpol, cis: "5.4.4 Ensure Network Policy is Enabled and set as appropriate", bp: BP.network },
    "resource", "aws:eks/addon:Addon vpc-cni", T_CLUSTER,
    (ctx) => {
      const cni = resources(ctx, "aws:eks/addon:Addon").find((a) => field(a.inputs, "addonName") === "vpc-cni");
      if (!cni) return missing("no vpc-cni add-on in the plan");
      let values: unknown;
      try {
        values = JSON.parse(String(field(cni.inputs, "configurationValues") ?? "{}"));
      } catch {
        values = {};
      }
      return requireAll([ref(cni.type, cni.name)], String(field(values, "enableNetworkPolicy")) === "true" ? [] : ["enableNetworkPolicy is not true: NetworkPolicies would be ignored"]);
    },
  ),
  control(
    { id: "AWS-VERSION-SUPPORTED", title: "Kubernetes version pinned, in standard support, the same on control plane and nodes", layer: "aws", checklist: "keeping Kubernetes up to date", nsa: NSA.upgrading, bp: BP.infra },
    "resource", "aws:eks/cluster:Cluster version + aws:eks/nodeGroup:NodeGroup version", T_CLUSTER,
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const version = String(field(c.inputs, "version"));
      const problems: string[] = [];
      if (version !== ctx.config.cluster.kubernetesVersion) problems.push(`cluster version ${version} is not the configured ${ctx.config.cluster.kubernetesVersion}`);
      for (const g of resources(ctx, "aws:eks/nodeGroup:NodeGroup")) if (String(field(g.inputs, "version")) !== version) problems.push(`${g.name} runs ${String(field(g.inputs, "version"))}`);
      if (field(c.inputs, "upgradePolicy", "supportType") === "EXTENDED") return partial("on EKS extended support", [ref(c.type, c.name)]);
      return requireAll([ref(c.type, c.name)], problems);
    },
  ),
  control(
    { id: "AWS-ADDONS-PINNED", title: "EKS add-ons pinned to explicit versions (upgrades are reviewed changes)", layer: "aws", checklist: "keeping Kubernetes up to date", nsa: NSA.upgrading, bp: BP.infra },
    "resource", "aws:eks/addon:Addon addonVersion", T_CLUSTER,
    (ctx) => {
      const addons = resources(ctx, "aws:eks/addon:Addon");
      if (addons.length === 0) return missing("no EKS add-ons in the plan");
      return requireAll(addons.map((a) => ref(a.type, a.name)), addons.filter((a) => !field(a.inputs, "addonVersion")).map((a) => `${a.name} has no pinned version`));
    },
  ),
  control(
    { id: "AWS-ECR-SCAN", title: "ECR repositories scan images on push", layer: "build", checklist: "image scanning and provenance", nsa: NSA.images, cis: "5.1.1 Ensure Image Vulnerability Scanning using Amazon ECR image scanning or a third party provider", bp: BP.image },
    "resource", "aws:ecr/repository:Repository imageScanningConfiguration", T_CLUSTER,
    (ctx) => {
      const repos = resources(ctx, "aws:ecr/repository:Repository");
      if (repos.length === 0) return missing("no ECR repositories (bulwark:cluster.ecrRepositories)");
      return requireAll(repos.map((r) => ref(r.type, r.name)), repos.filter((r) => field(r.inputs, "imageScanningConfiguration", "scanOnPush") !== true).map((r) => `${r.name}: scanOnPush is not true`));
    },
  ),
  control(
    { id: "AWS-ECR-IMMUTABLE", title: "ECR image tags are immutable and repositories KMS-encrypted", layer: "build", checklist: "image scanning and provenance", nsa: NSA.images, bp: BP.image },
    "resource", "aws:ecr/repository:Repository imageTagMutability", T_CLUSTER,
    (ctx) => {
      const repos = resources(ctx, "aws:ecr/repository:Repository");
      if (repos.length === 0) return missing("no ECR repositories (bulwark:cluster.ecrRepositories)");
      const problems = repos.flatMap((r) => [
        ...(field(r.inputs, "imageTagMutability") === "IMMUTABLE" ? [] : [`${r.name}: tags are mutable`]),
        ...(asArray(field(r.inputs, "encryptionConfigurations")).some((e) => field(e, "encryptionType") === "KMS") ? [] : [`${r.name}: not KMS-encrypted`]),
      ]);
      return requireAll(repos.map((r) => ref(r.type, r.name)), problems);
    },
  ),
];

// ---------------------------------------------------------------------------------------------------
// Cluster layer: predicates over the synthesized objects (and the plan that deploys them).

const clusterControls: Control[] = [
  control(
    { id: "K8S-NS-POD-SECURITY", title: "Every tenant namespace enforces, audits and warns Pod Security restricted (or its configured level), version-pinned", layer: "cluster", checklist: "Pod Security Standards", nsa: NSA.psEnforcement, cis: "4.2 Pod Security Standards", bp: BP.pod },
    "construct", "TenantNamespace (Namespace labels)", T_BASELINE,
    (ctx) =>
      everyTenant(ctx, (ns) => {
        const tenant = ctx.config.tenants.find((t) => t.name === ns);
        const level = tenant?.podSecurity ?? "restricted";
        return tenantObject(ctx, "Namespace", undefined, ns, (o) => {
          const labels = (field(o, "metadata", "labels") ?? {}) as Record<string, string>;
          if (labels["pod-security.kubernetes.io/enforce"] !== level) return `enforce is ${labels["pod-security.kubernetes.io/enforce"] ?? "unset"}, not ${level}`;
          if (labels["pod-security.kubernetes.io/audit"] !== "restricted" || labels["pod-security.kubernetes.io/warn"] !== "restricted") return "audit/warn are not restricted";
          if (!/^v1\.\d+$/.test(labels["pod-security.kubernetes.io/enforce-version"] ?? "")) return "enforce-version is not pinned";
          return undefined;
        });
      }),
  ),
  control(
    { id: "K8S-DEFAULT-DENY", title: "Every tenant namespace has a default-deny NetworkPolicy for ingress and egress", layer: "cluster", checklist: "default deny network policies", nsa: NSA.netpol, cis: "4.3.2 Ensure that all Namespaces have Network Policies defined", bp: BP.network },
    "construct", "TenantNetworkPolicies (default-deny-all)", T_BASELINE,
    (ctx) => {
      const analysis = network(ctx);
      return everyTenant(
        ctx,
        (ns) =>
          tenantObject(ctx, "NetworkPolicy", ns, "default-deny-all", (o) => {
            const types = asArray(field(o, "spec", "policyTypes"));
            if (!types.includes("Ingress") || !types.includes("Egress")) return "does not cover both Ingress and Egress";
            if (Object.keys((field(o, "spec", "podSelector") ?? {}) as object).length > 0) return "does not select every pod";
            if (asArray(field(o, "spec", "ingress")).length + asArray(field(o, "spec", "egress")).length > 0) return "has allow rules";
            return analysis.unisolated.includes(ns) ? "the namespace is not isolated" : undefined;
          }),
        ["network reachability analysis"],
      );
    },
  ),
  control(
    { id: "K8S-NO-CROSS-TENANT", title: "No tenant namespace can open connections to another tenant's pods", layer: "cluster", checklist: "default deny network policies", nsa: NSA.namespaces, bp: BP.multiTenancy },
    "construct", "TenantNetworkPolicies", T_REPORT,
    (ctx) => {
      const analysis = network(ctx);
      const cross = analysis.edges.filter((e) => e.to.startsWith("ns:"));
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      return requireAll(analysis.namespaces.map((n) => `Namespace/${n.name}`), cross.map((e) => `${e.from} reaches ${e.to.slice(3)} on ${e.ports}`), ["network reachability analysis"]);
    },
  ),
  control(
    { id: "K8S-DNS-EGRESS-ONLY", title: "Tenant egress allows DNS only to kube-dns on port 53", layer: "cluster", checklist: "default deny network policies", nsa: NSA.netpol, bp: BP.network },
    "construct", "TenantNetworkPolicies (allow-dns-egress)", T_BASELINE,
    (ctx) => {
      const analysis = network(ctx);
      return everyTenant(
        ctx,
        (ns) => {
          const dns = analysis.edges.find((e) => e.from === ns && e.to === "dns");
          const r = tenantObject(ctx, "NetworkPolicy", ns, "allow-dns-egress", () => undefined);
          if (!dns) r.problems.push(`${ns}: pods cannot resolve names (no DNS egress)`);
          else if (dns.ports !== "53/TCP, 53/UDP") r.problems.push(`${ns}: DNS egress is open on ${dns.ports}`);
          return r;
        },
        ["network reachability analysis"],
      );
    },
  ),
  control(
    { id: "K8S-METADATA-BLOCKED", title: "No tenant NetworkPolicy allows egress to the instance metadata endpoint 169.254.169.254", layer: "cluster", checklist: "block the metadata endpoint", nsa: NSA.cloudInfra, bp: BP.iam },
    "construct", "TenantNetworkPolicies (allow-granted-egress)", T_REPORT,
    (ctx) => {
      const analysis = network(ctx);
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      const open = analysis.edges.filter((e) => e.to === "metadata");
      return requireAll(analysis.namespaces.map((n) => `Namespace/${n.name}`), open.map((e) => `${e.from} reaches the metadata endpoint on ${e.ports}`), ["network reachability analysis"]);
    },
  ),
  control(
    { id: "K8S-API-EGRESS-BLOCKED", title: "Tenant pods reach neither the API server's VPC addresses nor the whole internet through NetworkPolicies", layer: "cluster", checklist: "restrict API access", nsa: NSA.netpol, bp: BP.network },
    "construct", "TenantNetworkPolicies", T_REPORT,
    (ctx) => {
      const analysis = network(ctx);
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      const open = analysis.edges.filter((e) => e.to === "apiserver" || e.to === "internet");
      return requireAll(analysis.namespaces.map((n) => `Namespace/${n.name}`), open.map((e) => `${e.from} reaches ${e.to} on ${e.ports}`), ["network reachability analysis"]);
    },
  ),
  control(
    { id: "K8S-QUOTA", title: "Every tenant has a ResourceQuota; NodePorts and LoadBalancers are zero unless granted", layer: "cluster", checklist: "node isolation", nsa: NSA.resourcePolicies, bp: BP.multiTenancy },
    "construct", "TenantNamespace (ResourceQuota tenant-quota)", T_BASELINE,
    (ctx) =>
      everyTenant(ctx, (ns) =>
        tenantObject(ctx, "ResourceQuota", ns, "tenant-quota", (o) => {
          const hard = (field(o, "spec", "hard") ?? {}) as Record<string, string>;
          if (!hard["limits.cpu"] || !hard["limits.memory"]) return "no CPU/memory limit quota";
          const tenant = ctx.config.tenants.find((t) => t.name === ns);
          const nodePorts = String(tenant?.quota?.servicesNodePorts ?? 0);
          return hard["services.nodeports"] === nodePorts ? undefined : `services.nodeports is ${hard["services.nodeports"] ?? "unlimited"}`;
        }),
      ),
  ),
  control(
    { id: "K8S-LIMITRANGE", title: "Every tenant has a LimitRange with default requests/limits and a per-container ceiling", layer: "cluster", checklist: "node isolation", nsa: NSA.resourcePolicies, bp: BP.multiTenancy },
    "construct", "TenantNamespace (LimitRange tenant-limits)", T_BASELINE,
    (ctx) =>
      everyTenant(ctx, (ns) =>
        tenantObject(ctx, "LimitRange", ns, "tenant-limits", (o) => {
          const limit = asArray(field(o, "spec", "limits")).find((l) => field(l, "type") === "Container");
          return limit && field(limit, "default") && field(limit, "max") ? undefined : "no Container default and max";
        }),
      ),
  ),
  control(
    { id: "K8S-DEFAULT-SA-NO-TOKEN", title: "The default ServiceAccount of every tenant namespace mounts no API token", layer: "cluster", checklist: "service-account tokens", nsa: NSA.saTokens, cis: "4.1.5 Ensure that default service accounts are not actively used", bp: BP.iam },
    "construct", "TenantNamespace (ServiceAccount default)", T_BASELINE,
    (ctx) => everyTenant(ctx, (ns) => tenantObject(ctx, "ServiceAccount", ns, "default", (o) => (o.automountServiceAccountToken === false ? undefined : "automountServiceAccountToken is not false"))),
  ),
  control(
    { id: "K8S-TENANT-RBAC", title: "Every tenant has admin/edit/view Roles bound to its IdP groups (prefixed), never system: groups", layer: "cluster", checklist: "third-party authentication", nsa: NSA.rbac, bp: BP.multiTenancy },
    "construct", "TenantRoles", T_BASELINE,
    (ctx) =>
      everyTenant(ctx, (ns) => {
        const tenant = ctx.config.tenants.find((t) => t.name === ns);
        const evidence: string[] = [];
        const problems: string[] = [];
        for (const [tier, groups] of Object.entries(tenant?.groups ?? {})) {
          if (!groups || groups.length === 0) continue;
          const r = tenantObject(ctx, "RoleBinding", ns, `tenant-${tier}`, (o) => {
            const names = asArray(o.subjects).map((s) => String(field(s, "name")));
            const want = groups.map((g) => idpGroupSubject(ctx.config.cluster, g));
            if (names.some((n) => n.startsWith("system:"))) return "binds a system: group";
            return want.every((w) => names.includes(w)) ? undefined : `does not bind ${want.join(", ")}`;
          });
          evidence.push(...r.evidence);
          problems.push(...r.problems);
        }
        return { evidence, problems };
      }),
  ),
  control(
    { id: "K8S-RBAC-NO-WILDCARD-SYNTH", title: "No synthesized Role grants `*` verbs, resources or API groups", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, cis: "4.1.3 Minimize wildcard use in Roles and ClusterRoles", bp: BP.iam },
    "construct", "TenantRoles (TENANT_ROLE_RULES)", T_BASELINE,
    (ctx) => {
      const roles = [...objectsOfKind(ctx.charts, "Role"), ...objectsOfKind(ctx.charts, "ClusterRole")];
      if (roles.length === 0) return missing("no Roles synthesized");
      const problems = roles.filter((r) => asArray(r.rules).some((rule) => ["verbs", "resources", "apiGroups"].some((k) => asArray(field(rule, k)).includes("*")))).map((r) => `${objectRef(r)} uses *`);
      return requireAll(roles.map(objectRef), problems);
    },
  ),
  control(
    { id: "K8S-RBAC-NO-ESCALATION-SYNTH", title: "No tenant identity can bind, escalate or impersonate", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, cis: "4.1.8 Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster", bp: BP.iam },
    "construct", "TenantRoles", T_REPORT,
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      const tenants = new Set(rbac.tenantIdentities);
      const bad = rbac.capabilities.filter((c) => c.capability === "bind-escalate-impersonate" && tenants.has(c.subject));
      return requireAll(rbac.tenantIdentities, bad.map((c) => `${c.subject} can bind/escalate/impersonate in ${c.scope} via ${c.via}`), ["RBAC attack-path analysis"]);
    },
  ),
  control(
    { id: "K8S-RBAC-SECRETS", title: "Only tenant admin and edit tiers read Secrets, and only in their own namespace", layer: "cluster", checklist: "secrets management", nsa: NSA.secrets, cis: "4.1.2 Minimize access to secrets", bp: BP.encryption },
    "construct", "TenantRoles (tenant-view has no secrets)", T_REPORT,
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      const tenants = new Set(rbac.tenantIdentities);
      const readers = rbac.capabilities.filter((c) => c.capability === "read-secrets" && tenants.has(c.subject));
      const problems = readers.filter((c) => c.scope === "*" || /tenant-view/.test(c.via)).map((c) => `${c.subject} reads Secrets in ${c.scope} via ${c.via}`);
      return requireAll(readers.map((c) => `${c.subject} in ${c.scope}`), problems, ["RBAC attack-path analysis"]);
    },
  ),
  control(
    { id: "K8S-RBAC-EXEC", title: "Only the tenant admin tier can exec/attach into pods, and only in its namespace", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, bp: BP.iam },
    "construct", "TenantRoles (exec only in tenant-admin)", T_REPORT,
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      const tenants = new Set(rbac.tenantIdentities);
      const exec = rbac.capabilities.filter((c) => c.capability === "exec-pods" && tenants.has(c.subject));
      const problems = exec.filter((c) => c.scope === "*" || !/tenant-admin/.test(c.via)).map((c) => `${c.subject} can exec in ${c.scope} via ${c.via}`);
      return requireAll(exec.map((c) => `${c.subject} in ${c.scope}`), problems, ["RBAC attack-path analysis"]);
    },
  ),
  control(
    { id: "K8S-RBAC-CREATE-PODS", title: "Pod creation is namespace-scoped for every tenant identity", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, cis: "4.1.4 Minimize access to create pods", bp: BP.iam },
    "construct", "TenantRoles", T_REPORT,
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      const tenants = new Set(rbac.tenantIdentities);
      const creators = rbac.capabilities.filter((c) => c.capability === "create-pods" && tenants.has(c.subject));
      return requireAll(creators.map((c) => `${c.subject} in ${c.scope}`), creators.filter((c) => c.scope === "*").map((c) => `${c.subject} creates pods cluster-wide via ${c.via}`), ["RBAC attack-path analysis"]);
    },
  ),
  control(
    { id: "K8S-NO-TENANT-PATH-TO-ADMIN", title: "No path from any tenant identity (IdP group, IAM principal, ServiceAccount) to cluster-admin", layer: "cluster", checklist: "attack paths", nsa: NSA.rbac, cis: "4.1.1 Ensure that the cluster-admin role is only used where required", bp: BP.multiTenancy },
    "construct", "TenantRoles + access entries", T_REPORT,
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      if (rbac.tenantIdentities.length === 0) return missing("no tenant identities found to analyse");
      return requireAll(rbac.tenantIdentities, rbac.tenantPathsToClusterAdmin.map((p) => p.steps.join(" -> ")), ["RBAC attack-path analysis"]);
    },
  ),
  control(
    { id: "K8S-TENANT-NO-POLICY-EDIT", title: "Tenants cannot edit their NetworkPolicies, quotas or limits, nor mint ServiceAccount tokens", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, bp: BP.multiTenancy },
    "construct", "TenantRoles", T_BASELINE,
    (ctx) => {
      const roles = objectsOfKind(ctx.charts, "Role");
      if (roles.length === 0) return missing("no Roles synthesized");
      const forbidden = ["networkpolicies", "resourcequotas", "limitranges", "serviceaccounts/token"];
      const writes = ["create", "update", "patch", "delete", "deletecollection", "*"];
      const problems = roles.flatMap((r) =>
        asArray(r.rules)
          .filter((rule) => asArray(field(rule, "verbs")).some((v) => writes.includes(String(v))) && asArray(field(rule, "resources")).some((res) => forbidden.includes(String(res)) || res === "*"))
          .map(() => `${objectRef(r)} may modify ${forbidden.join("/")}`),
      );
      return requireAll(roles.map(objectRef), problems);
    },
  ),
  control(
    { id: "K8S-GATEKEEPER-HARDENED", title: "Gatekeeper runs fail-closed, replicated with a PDB, with audit, and exempts only listed namespaces", layer: "cluster", checklist: "Pod Security Standards", nsa: NSA.psEnforcement, bp: BP.pod },
    "resource", "kubernetes:helm.sh/v3:Release gatekeeper", T_RELEASE,
    (ctx) => {
      const release = resources(ctx, "kubernetes:helm.sh/v3:Release").find((r) => field(r.inputs, "chart") === "gatekeeper");
      if (!release) return missing("no Gatekeeper Helm release in the plan");
      const v = field(release.inputs, "values");
      const problems: string[] = [];
      if (field(v, "validatingWebhookFailurePolicy") !== "Fail") problems.push("webhook fails open");
      if (Number(field(v, "replicas")) < 2) problems.push("fewer than 2 replicas");
      if (field(v, "disableAudit") === true) problems.push("audit disabled");
      if (!field(release.inputs, "version")) problems.push("chart version not pinned");
      if (asArray(field(v, "controllerManager", "exemptNamespaces")).some((n) => String(n).includes("*"))) problems.push("wildcard namespace exemption");
      return requireAll([ref(release.type, release.name)], problems);
    },
  ),
  control(
    { id: "K8S-POD-EXPANSION", title: "Pod rules also apply to the pod templates of every workload controller (ExpansionTemplates)", layer: "cluster", checklist: "Pod Security Standards", nsa: NSA.psEnforcement, bp: BP.pod },
    "construct", "gatekeeper-templates (ExpansionTemplate)", T_SUITES,
    (ctx) => {
      const expansions = objectsOfKind(ctx.charts, "ExpansionTemplate");
      const kinds = new Set(expansions.flatMap((e) => asArray(field(e, "spec", "applyTo")).flatMap((a) => asArray(field(a, "kinds")).map(String))));
      const absent = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].filter((k) => !kinds.has(k));
      const notPlanned = expansions.filter((e) => !plannedKubernetes(ctx, "ExpansionTemplate", nameOf(e))).map((e) => `${objectRef(e)} not in the plan`);
      return requireAll(expansions.map(objectRef), [...absent.map((k) => `${k} pod templates are not expanded`), ...notPlanned]);
    },
  ),
];

// ---------------------------------------------------------------------------------------------------
// Gatekeeper constraints (cluster and workload layers).

const gatekeeperControls: Control[] = [
  constraintControl({ id: "GK-ALLOWED-REGISTRIES", title: "Images only from the allowed registries (exact prefix match)", layer: "workload", checklist: "image policies", nsa: NSA.images, cis: "5.1.4 Minimize Container Registries to only those approved", bp: BP.image }, ["allowed-registries"]),
  constraintControl({ id: "GK-IMAGE-TAGS", title: "No `:latest` or untagged images", layer: "workload", checklist: "image policies", nsa: NSA.images, bp: BP.image }, ["image-tags"]),
  constraintControl({ id: "GK-CONTAINER-RESOURCES", title: "Every container sets CPU and memory requests and limits", layer: "workload", checklist: "node isolation", nsa: NSA.resourcePolicies, bp: BP.multiTenancy }, ["container-resources"]),
  constraintControl({ id: "GK-SA-TOKEN", title: "Pods mount an API token only with an allowlisted ServiceAccount", layer: "workload", checklist: "service-account tokens", nsa: NSA.saTokens, cis: "4.1.6 Ensure that Service Account Tokens are only mounted where necessary", bp: BP.iam }, ["service-account-token"]),
  constraintControl({ id: "GK-NO-NODEPORT", title: "No NodePort Services", layer: "workload", checklist: "node isolation", nsa: NSA.workerSegmentation, bp: BP.network }, ["service-no-nodeport"]),
  constraintControl({ id: "GK-NO-EXTERNAL-IPS", title: "No Service externalIPs (CVE-2020-8554 traffic interception)", layer: "workload", checklist: "default deny network policies", nsa: NSA.netpol, bp: BP.network }, ["service-no-external-ips"]),
  constraintControl({ id: "GK-INTERNAL-LB", title: "LoadBalancer Services are internal unless the namespace is listed", layer: "workload", checklist: "restrict API access", nsa: NSA.netpol, bp: BP.network }, ["service-internal-load-balancer"]),
  constraintControl({ id: "GK-INGRESS-TLS", title: "Ingresses terminate TLS", layer: "workload", checklist: "encrypt data at rest and rotate keys", nsa: NSA.encryption, bp: BP.encryption }, ["ingress-tls"]),
  constraintControl({ id: "GK-RBAC-NO-WILDCARDS", title: "Admission denies Roles/ClusterRoles with `*`", layer: "cluster", checklist: "RBAC least privilege", nsa: NSA.rbac, cis: "4.1.3 Minimize wildcard use in Roles and ClusterRoles", bp: BP.iam }, ["rbac-no-wildcards"]),
  constraintControl({ id: "GK-RBAC-NO-ESCALATION", title: "Admission denies escalate, bind and impersonate in RBAC rules", layer: "cluster", checklist: "attack paths", nsa: NSA.rbac, cis: "4.1.8 Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster", bp: BP.iam }, ["rbac-no-escalation-verbs", "rbac-no-sensitive-grants", "rbac-reserved-identities"]),
  constraintControl({ id: "GK-CLUSTER-ADMIN-BINDING", title: "Admission denies cluster-admin bindings beyond the break-glass list", layer: "cluster", checklist: "attack paths", nsa: NSA.rbac, cis: "4.1.1 Ensure that the cluster-admin role is only used where required", bp: BP.iam }, ["rbac-cluster-admin-binding"]),
  constraintControl({ id: "GK-RBAC-PUBLIC-SUBJECTS", title: "Admission denies bindings to system:anonymous, system:unauthenticated, system:authenticated", layer: "cluster", checklist: "restrict API access", nsa: NSA.rbac, bp: BP.iam }, ["rbac-no-public-subjects"]),
  constraintControl({ id: "GK-NS-POD-SECURITY", title: "Admission requires Pod Security labels on every namespace (no privileged)", layer: "cluster", checklist: "Pod Security Standards", nsa: NSA.psEnforcement, bp: BP.pod }, ["namespace-pod-security"]),
  constraintControl({ id: "GK-NS-OWNER", title: "Every namespace carries an owner label", layer: "cluster", checklist: "static YAML analysis", bp: BP.multiTenancy }, ["namespace-owner"]),
  constraintControl({ id: "GK-REQUIRED-LABELS", title: "Workloads carry the required labels", layer: "workload", checklist: "static YAML analysis", bp: BP.compliance }, ["required-labels"]),
  constraintControl({ id: "PSS-PRIVILEGED", title: "No privileged containers", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, cis: "4.2 Pod Security Standards", bp: BP.pod }, ["pss-privileged"]),
  constraintControl({ id: "PSS-HOST-NAMESPACES", title: "No hostNetwork, hostPID or hostIPC", layer: "workload", checklist: "node isolation", nsa: NSA.podSecurity, cis: "4.2 Pod Security Standards", bp: BP.pod }, ["pss-host-namespaces"]),
  constraintControl({ id: "PSS-HOST-PATH", title: "No hostPath volumes; only the restricted volume types", layer: "workload", checklist: "node isolation", nsa: NSA.podSecurity, bp: BP.pod }, ["pss-host-path-volumes", "pss-restricted-volumes", "persistent-volume-no-host-path"]),
  constraintControl({ id: "PSS-HOST-PORTS", title: "No host ports; no host probes or lifecycle handlers", layer: "workload", checklist: "node isolation", nsa: NSA.podSecurity, bp: BP.pod }, ["pss-host-ports", "pss-host-probes"]),
  constraintControl({ id: "PSS-PRIVILEGE-ESCALATION", title: "allowPrivilegeEscalation is false", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, cis: "4.2 Pod Security Standards", bp: BP.pod }, ["pss-allow-privilege-escalation"]),
  constraintControl({ id: "PSS-NON-ROOT", title: "Containers run as non-root with a non-zero UID", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.nonRoot, cis: "4.2 Pod Security Standards", bp: BP.pod }, ["pss-run-as-non-root", "pss-run-as-user"]),
  constraintControl({ id: "PSS-CAPABILITIES", title: "Capabilities: baseline additions only, restricted drops ALL", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, cis: "4.2 Pod Security Standards", bp: BP.pod }, ["pss-capabilities-baseline", "pss-capabilities-restricted"]),
  constraintControl({ id: "PSS-SECCOMP", title: "seccomp RuntimeDefault or Localhost; never Unconfined", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, bp: BP.runtime }, ["pss-seccomp-baseline", "pss-seccomp-restricted"]),
  constraintControl({ id: "PSS-MAC", title: "AppArmor and SELinux cannot be weakened", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, bp: BP.runtime }, ["pss-apparmor", "pss-selinux"]),
  constraintControl({ id: "PSS-PROC-SYSCTLS", title: "Default /proc mount and only safe sysctls", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.podSecurity, bp: BP.pod }, ["pss-proc-mount", "pss-proc-mount-restricted", "pss-sysctls"]),
  constraintControl({ id: "PSS-WINDOWS-HOST-PROCESS", title: "No Windows HostProcess containers", layer: "workload", checklist: "node isolation", nsa: NSA.podSecurity, bp: BP.pod }, ["pss-windows-host-process"]),
];

// ---------------------------------------------------------------------------------------------------
// Workload and build layers: the constructs app teams use, checked against the stack's own policies.

function policySetOf(ctx: EvidenceContext): PolicySet {
  return PolicySet.fromObjects(ctx.charts.filter((c) => c.name.startsWith("gatekeeper-")).flatMap((c) => c.objects));
}

const denials = (set: PolicySet, objects: readonly K8sObject[]) =>
  objects.flatMap((o) => set.evaluate(o).filter((v) => v.enforcementAction === "deny").map((v) => `${objectRef(o)}: ${v.policy}: ${v.message}`));

const buildControls: Control[] = [
  control(
    { id: "WL-HARDENED-WORKLOAD", title: "HardenedWorkload output passes every deny constraint of the stack (restricted pods by construction)", layer: "workload", checklist: "Pod Security Standards", nsa: NSA.immutable, bp: BP.pod },
    "construct", "HardenedWorkload", T_WORKLOAD,
    (ctx) => {
      const tenant = ctx.config.tenants[0];
      const registry = ctx.config.policy.allowedRegistries[0];
      if (!tenant || !registry) return missing("the stack has no tenant or allowed registry to build a sample workload for");
      const chart = new Chart(Testing.app(), "report-sample", { disableResourceNameHashes: true });
      new HardenedWorkload(chart, "sample", {
        name: "sample",
        namespace: tenant.name,
        image: `${registry}sample/app:1.0.0${ctx.config.policy.requireImageDigest ? "@sha256:0000000000000000000000000000000000000000000000000000000000000000" : ""}`,
        resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
        labels: Object.fromEntries((ctx.config.policy.requiredLabels ?? []).map((l) => [l, "sample"])),
      });
      const objects = chart.toJson() as K8sObject[];
      return requireAll(objects.map((o) => `${objectRef(o)} (sample)`), denials(policySetOf(ctx), objects), ["offline Gatekeeper engine"]);
    },
  ),
  control(
    { id: "BLD-STATIC-CHECK", title: "Static analysis: the stack's own manifests pass its synthesized Gatekeeper policies offline (`npm run check`)", layer: "build", checklist: "static YAML analysis", nsa: NSA.upgrading, bp: BP.compliance },
    "construct", "constructs/gatekeeper/check/ (same CEL as the cluster)", T_CHECK,
    (ctx) => {
      const tenantObjects = allObjects(ctx.charts.filter((c) => c.name.startsWith("tenant-")));
      if (tenantObjects.length === 0) return missing("no tenant manifests synthesized");
      return requireAll([`${tenantObjects.length} tenant objects`], denials(policySetOf(ctx), tenantObjects), ["offline Gatekeeper engine"]);
    },
  ),
  control(
    { id: "BLD-IMAGE-PROVENANCE", title: "Images pinned by digest (provenance); signatures are not verified by Bulwark", layer: "build", checklist: "image scanning and provenance", nsa: NSA.images, bp: BP.image },
    "constraint", "image-tags (requireImageDigest)", T_SUITES,
    (ctx) => {
      const constraint = objectsOfKind(ctx.charts, policy("image-tags").kind)[0];
      if (!constraint) return missing("no image-tags constraint synthesized");
      const digest = ctx.config.policy.requireImageDigest === true;
      const evidence = [`${String(constraint.kind)}/${nameOf(constraint)}`];
      // Immutable ECR tags make a tag a stable name, but only a digest (plus signature checks) proves provenance.
      return digest ? partial("digests are required; image signatures are not verified (no admission controller for signatures)", evidence) : partial("bulwark:policy.requireImageDigest is false: tags, not digests; image signatures are not verified", evidence);
    },
  ),
];

// ---------------------------------------------------------------------------------------------------
// Organizational guidance: no code can enforce these; never counted as enforced.

const organizationalControls: Control[] = [
  organizational({ id: "ORG-THREAT-MODEL", title: "Threat-model the cluster and tenant workloads; revisit on architecture changes", layer: "cluster", checklist: "attack paths", nsa: NSA.threat, bp: BP.multiTenancy }),
  organizational({ id: "ORG-TRAINING", title: "Train platform and app teams on Kubernetes security and this blueprint's opt-outs", layer: "build", checklist: "RBAC least privilege", bp: BP.compliance }),
  organizational({ id: "ORG-SECURITY-ANNOUNCEMENTS", title: "Subscribe to Kubernetes security announcements and AWS EKS security bulletins", layer: "cluster", checklist: "keeping Kubernetes up to date", nsa: NSA.upgrading, bp: BP.infra }),
  organizational({ id: "ORG-UPGRADE-CADENCE", title: "Upgrade the minor version before standard support ends (plan, test, roll out)", layer: "aws", checklist: "keeping Kubernetes up to date", nsa: NSA.upgrading, bp: BP.infra }),
  organizational({ id: "ORG-INCIDENT-RESPONSE", title: "Incident-response runbooks: isolate a pod or node, preserve evidence, rotate credentials", layer: "cluster", checklist: "audit logging", nsa: NSA.threat, bp: BP.incident }),
  organizational({ id: "ORG-ACCESS-REVIEW", title: "Review IdP group membership and admin principals periodically", layer: "aws", checklist: "third-party authentication", nsa: NSA.authn, bp: BP.iam }),
  organizational({ id: "ORG-SECRETS-HYGIENE", title: "Keep long-lived credentials out of Secrets; prefer IRSA / Pod Identity and an external secret store", layer: "workload", checklist: "secrets management", nsa: NSA.secrets, cis: "4.4.2 Consider external secret storage", bp: BP.encryption }),
];

/** The catalog, in report order. */
export const CONTROLS: readonly Control[] = [...awsControls, ...clusterControls, ...gatekeeperControls, ...buildControls, ...organizationalControls];

/** Policy folder ids the catalog maps to constraints (for coverage checks). */
export function catalogPolicyIds(): string[] {
  return [...new Set(CONTROLS.filter((c) => c.enforcement.mechanism === "constraint").flatMap((c) => c.enforcement.name.split(", ").map((s) => s.split(" ")[0])))].sort();
}

