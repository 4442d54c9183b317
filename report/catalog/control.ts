/**
 * What every catalog file shares: the sources, the test files, outcome helpers and control builders.
 * Sources: NSA/CISA Kubernetes Hardening Guidance (v1.2) and the EKS Best Practices Guide are cited by
 * section title; CIS Amazon EKS Benchmark ids are given only where the recommendation maps one to one.
 */
import type { PolicyDefinition } from "../../constructs/gatekeeper/policy";
import { nameOf, objectRef, plannedKubernetes } from "../evidence";
import { analyzeNetwork } from "../network";
import type { K8sObjectOf, ObjectProps } from "../plan-view";
import { gatekeeperObjects, objectsOf, planResources } from "../plan-view";
import type { CheckOutcome, ChecklistItem, Control, ControlSources, EvidenceContext, Layer, TestRef } from "../types";

export const T_CLUSTER = "test/lib/hardened-cluster.test.ts";
export const T_NETWORK = "test/lib/network.test.ts";
export const T_KMS = "test/lib/kms.test.ts";
export const T_NODES = "test/lib/nodes.test.ts";
export const T_ADDONS = "test/lib/addons.test.ts";
export const T_ACCOUNT = "test/lib/account.test.ts";
export const T_BASELINE = "test/baseline/tenant-namespace.test.ts";
export const T_SUITES = "test/gatekeeper/suites.test.ts";
export const T_RELEASE = "test/deploy/gatekeeper-release.test.ts";
export const T_REPORT = "test/report/report.test.ts";
export const T_MUTATIONS = "test/report/mutations.test.ts";
export const T_CHECK = "test/gatekeeper/check-cli.test.ts";
export const T_WORKLOAD = "test/workload/hardened-workload.test.ts";

export const NSA = {
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

export const BP = {
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

export function ok(evidence: readonly string[], verifiedBy: readonly string[] = []): CheckOutcome {
  return { state: "ok", evidence: [...evidence].sort(), verifiedBy: [...verifiedBy].sort() };
}

export function partial(detail: string, evidence: readonly string[] = []): CheckOutcome {
  return { state: "partial", evidence: [...evidence].sort(), detail };
}

export function missing(detail: string, evidence: readonly string[] = []): CheckOutcome {
  return { state: "missing", evidence: [...evidence].sort(), detail };
}

/** ok when every problem list is empty, else missing with the problems. */
export function requireAll(evidence: readonly string[], problems: readonly string[], verifiedBy: readonly string[] = []): CheckOutcome {
  return problems.length === 0 ? ok(evidence, verifiedBy) : missing(problems.join("; "), evidence);
}

/** The stack's EKS cluster in the plan, typed. */
export const eksCluster = (ctx: EvidenceContext) => planResources(ctx.plan, "aws:eks/cluster:Cluster")[0];

/** How the report names a planned resource: `Type/name`. */
export const ref = (resource: { readonly type: string; readonly name: string }) => `${resource.type.split(":").pop()}/${resource.name}`;

// ---------------------------------------------------------------------------------------------------
// Control builders.

export interface Meta {
  readonly id: string;
  readonly title: string;
  readonly layer: Layer;
  readonly checklist: ChecklistItem;
  readonly nsa?: string;
  readonly cis?: string;
  readonly bp?: string;
  /** A component Bulwark deploys only on some targets (see {@link Control.needs}). @default none */
  readonly needs?: Control["needs"];
}

function sources(meta: Meta): ControlSources {
  return {
    checklist: meta.checklist,
    ...(meta.nsa ? { nsa: meta.nsa } : {}),
    ...(meta.cis ? { cis: meta.cis } : {}),
    ...(meta.bp ? { eksBestPractices: meta.bp } : {}),
  };
}

export function control(meta: Meta, mechanism: "resource" | "construct" | "constraint", name: string, test: TestRef, check: Control["check"]): Control {
  return {
    id: meta.id,
    title: meta.title,
    layer: meta.layer,
    sources: sources(meta),
    enforcement: { mechanism, name },
    test,
    check,
    ...(meta.needs ? { needs: meta.needs } : {}),
  };
}

export function organizational(meta: Meta): Control {
  return { id: meta.id, title: meta.title, layer: meta.layer, sources: sources(meta), enforcement: { mechanism: "organizational", name: "process" } };
}

/** The policy `id` of the evidence (its folder name); throws, so the row is missing, when there is none. */
export function policy(ctx: EvidenceContext, id: string): PolicyDefinition {
  const found = ctx.policies.find((p) => p.name === id);
  if (!found) throw new Error(`catalog: no policy folder ${id} under constructs/gatekeeper/policies`);
  return found;
}

/** Runs `check(tenant)` for every tenant; ok when none reports a problem. */
export function everyTenant(
  ctx: EvidenceContext,
  check: (ns: string) => { evidence: string[]; problems: string[] },
  verifiedBy: readonly string[] = [],
): CheckOutcome {
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

/** The synthesized object of `kind` named `name` in namespace `ns`, typed, if any. */
export function findObject<K extends keyof ObjectProps>(ctx: EvidenceContext, kind: K, ns: string | undefined, name: string): K8sObjectOf<K> | undefined {
  return objectsOf(ctx.charts, kind).find((o) => o.metadata?.name === name && o.metadata?.namespace === ns);
}

/** One tenant object's evidence: it is synthesized, passes `test`, and is in the plan. */
export function tenantObject<K extends keyof ObjectProps>(
  ctx: EvidenceContext,
  kind: K,
  ns: string | undefined,
  name: string,
  test: (o: K8sObjectOf<K>) => string | undefined,
) {
  const object = findObject(ctx, kind, ns, name);
  if (!object) return { evidence: [] as string[], problems: [`${kind}/${ns ? `${ns}/` : ""}${name} is not synthesized`] };
  const problem = test(object) ?? (plannedKubernetes(ctx, kind, name, ns) ? undefined : "not in the plan");
  return { evidence: [objectRef(object)], problems: problem ? [`${objectRef(object)}: ${problem}`] : [] };
}

/** The reachability analysis of the stack's NetworkPolicies, the API server modelled as the VPC CIDR. */
export function network(ctx: EvidenceContext) {
  const cidr = planResources(ctx.plan, "aws:ec2/vpc:Vpc")[0]?.inputs.cidrBlock;
  return analyzeNetwork(ctx.charts, typeof cidr === "string" ? cidr : undefined);
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
      const p = policy(ctx, id);
      const templates = gatekeeperObjects(ctx.charts, "ConstraintTemplate").filter((t) => nameOf(t) === p.kind.toLowerCase());
      const constraints = gatekeeperObjects(ctx.charts, p.kind);
      if (templates.length === 0) problems.push(`no ConstraintTemplate ${p.kind.toLowerCase()} synthesized`);
      if (constraints.length === 0) problems.push(`no ${p.kind} constraint synthesized`);
      for (const c of constraints) {
        evidence.push(`${p.kind}/${nameOf(c)}`);
        if (!plannedKubernetes(ctx, p.kind, nameOf(c))) problems.push(`${p.kind}/${nameOf(c)} is not in the plan`);
        const action = String(c.spec?.enforcementAction ?? "deny");
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

export function constraintControl(meta: Meta, policyIds: readonly string[]): Control {
  // The suite of the first policy: its cases fail when the template stops denying what it should.
  return control(meta, "constraint", policyIds.join(", "), { file: T_SUITES, name: `suite of ${policyIds[0]} › case %s passes` }, constraintCheck(policyIds));
}
