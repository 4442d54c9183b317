/**
 * RBAC and identity attack paths, from the synthesized Roles and bindings and the plan's EKS access
 * entries and access-policy associations. Answers: who can read Secrets, create Pods, exec into Pods,
 * bind/escalate/impersonate, where; and is there any path from a tenant identity to cluster-admin.
 *
 * Paths to cluster-admin: a cluster-wide grant of `*` on `*`; cluster-wide impersonation of users or
 * groups (impersonate system:masters); cluster-wide escalate on ClusterRoles, or bind on ClusterRoles
 * with create on ClusterRoleBindings; the EKS cluster-admin access policy; or creating Pods (or
 * impersonating ServiceAccounts) in a namespace whose ServiceAccount has such a path.
 */
import type { BulwarkConfig } from "../config/model";
import { idpGroupSubject } from "../config/cluster";
import type { SynthesizedChart } from "../constructs/synthesize";
import type { Plan } from "../lib/plan/engine";
import type { K8sObject } from "./evidence";
import { asArray, field, nameOf, namespaceOf, objectRef, objectsOfKind } from "./evidence";

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** Kubernetes' default user-facing ClusterRoles, as far as the capabilities below are concerned. */
const CORE_WORKLOAD = [
  "pods",
  "pods/exec",
  "pods/attach",
  "pods/portforward",
  "secrets",
  "configmaps",
  "services",
  "serviceaccounts",
  "persistentvolumeclaims",
];
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
export const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  admin: [
    { apiGroups: [""], resources: CORE_WORKLOAD, verbs: WRITE },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
    { apiGroups: ["apps", "batch"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets", "jobs", "cronjobs"], verbs: WRITE },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: WRITE },
  ],
  edit: [
    { apiGroups: [""], resources: CORE_WORKLOAD, verbs: WRITE },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
    { apiGroups: ["apps", "batch"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets", "jobs", "cronjobs"], verbs: WRITE },
  ],
  view: [{ apiGroups: ["", "apps", "batch"], resources: ["pods", "configmaps", "services", "deployments", "jobs"], verbs: ["get", "list", "watch"] }],
};

/** EKS access policies (access entries) mapped to the ClusterRole they correspond to. */
const EKS_ACCESS_POLICIES: Readonly<Record<string, string>> = {
  AmazonEKSClusterAdminPolicy: "cluster-admin",
  AmazonEKSAdminPolicy: "admin",
  AmazonEKSEditPolicy: "edit",
  AmazonEKSViewPolicy: "view",
};

/** One grant of rules to a subject, in a namespace or cluster-wide (`*`). */
export interface Grant {
  readonly subject: string;
  readonly scope: string;
  readonly via: string;
  readonly rules: readonly PolicyRule[];
}

export const CAPABILITIES = ["read-secrets", "create-pods", "exec-pods", "bind-escalate-impersonate", "cluster-admin"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface CapabilityRow {
  readonly subject: string;
  readonly capability: Capability;
  readonly scope: string;
  readonly via: string;
}

export interface AttackPath {
  readonly subject: string;
  /** Steps from the subject to cluster-admin. */
  readonly steps: readonly string[];
}

export interface RbacAnalysis {
  readonly capabilities: readonly CapabilityRow[];
  readonly tenantIdentities: readonly string[];
  /** Paths from a tenant identity to cluster-admin: there must be none. */
  readonly tenantPathsToClusterAdmin: readonly AttackPath[];
  /** Every subject with a path to cluster-admin (platform admins included: expected, listed for review). */
  readonly clusterAdmins: readonly AttackPath[];
}

function toRule(raw: unknown): PolicyRule {
  const list = (key: string) => asArray(field(raw, key)).map(String);
  const names = list("resourceNames");
  return { apiGroups: list("apiGroups"), resources: list("resources"), verbs: list("verbs"), ...(names.length > 0 ? { resourceNames: names } : {}) };
}

function allows(rule: PolicyRule, verb: string, group: string, resource: string): boolean {
  const any = (values: readonly string[], value: string) => values.includes("*") || values.includes(value);
  return any(rule.verbs, verb) && any(rule.apiGroups, group) && any(rule.resources, resource);
}

function can(rules: readonly PolicyRule[], verb: string, group: string, resource: string): boolean {
  return rules.some((r) => allows(r, verb, group, resource));
}

function subjectKey(raw: unknown, bindingNamespace: string | undefined): string {
  const kind = String(field(raw, "kind"));
  const name = String(field(raw, "name"));
  if (kind === "ServiceAccount") return `ServiceAccount:${String(field(raw, "namespace") ?? bindingNamespace ?? "")}/${name}`;
  return `${kind}:${name}`;
}

/** The grants of every binding in the objects and every EKS access entry in the plan. */
export function collectGrants(objects: readonly K8sObject[], plan: Plan | undefined): Grant[] {
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const roles = new Map(byKind("Role").map((r) => [`${namespaceOf(r)}/${nameOf(r)}`, asArray(r.rules).map(toRule)]));
  const clusterRoles = new Map<string, readonly PolicyRule[]>(Object.entries(BUILT_IN_CLUSTER_ROLES));
  for (const r of byKind("ClusterRole")) clusterRoles.set(nameOf(r), asArray(r.rules).map(toRule));
  const grants: Grant[] = [];
  for (const binding of [...byKind("RoleBinding"), ...byKind("ClusterRoleBinding")]) {
    const ns = binding.kind === "RoleBinding" ? namespaceOf(binding) : undefined;
    const refKind = String(field(binding, "roleRef", "kind"));
    const refName = String(field(binding, "roleRef", "name"));
    const rules = refKind === "Role" ? roles.get(`${ns}/${refName}`) : clusterRoles.get(refName);
    for (const s of asArray(binding.subjects)) {
      grants.push({ subject: subjectKey(s, ns), scope: ns ?? "*", via: `${objectRef(binding)} -> ${refKind}/${refName}`, rules: rules ?? [] });
    }
  }
  // EKS access entries: the principal is in its Kubernetes groups, and gets each associated access policy.
  const planned = plan?.resources ?? [];
  for (const entry of planned.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry")) {
    const arn = String(field(entry.inputs, "principalArn"));
    for (const group of asArray(field(entry.inputs, "kubernetesGroups")).map(String)) {
      for (const g of grants.filter((x) => x.subject === `Group:${group}`))
        grants.push({ ...g, subject: `IAM:${arn}`, via: `access entry ${entry.name} (group ${group}) -> ${g.via}` });
    }
  }
  for (const assoc of planned.filter((r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")) {
    const arn = String(field(assoc.inputs, "principalArn"));
    const policy = String(field(assoc.inputs, "policyArn")).split("/").pop() ?? "";
    const role = EKS_ACCESS_POLICIES[policy];
    const rules = role ? BUILT_IN_CLUSTER_ROLES[role] : [];
    const scopes = field(assoc.inputs, "accessScope", "type") === "cluster" ? ["*"] : asArray(field(assoc.inputs, "accessScope", "namespaces")).map(String);
    for (const scope of scopes) grants.push({ subject: `IAM:${arn}`, scope, via: `access policy ${policy} (${assoc.name})`, rules });
  }
  return grants;
}

function capabilitiesOf(grant: Grant): Capability[] {
  const r = grant.rules;
  const caps: Capability[] = [];
  if (can(r, "get", "", "secrets") || can(r, "list", "", "secrets")) caps.push("read-secrets");
  const controllers = [
    ["", "pods"],
    ["apps", "deployments"],
    ["apps", "statefulsets"],
    ["apps", "daemonsets"],
    ["apps", "replicasets"],
    ["batch", "jobs"],
    ["batch", "cronjobs"],
  ];
  if (controllers.some(([g, res]) => can(r, "create", g, res))) caps.push("create-pods");
  if (can(r, "create", "", "pods/exec") || can(r, "create", "", "pods/attach")) caps.push("exec-pods");
  const rbac = "rbac.authorization.k8s.io";
  if (
    ["roles", "clusterroles"].some((res) => can(r, "bind", rbac, res) || can(r, "escalate", rbac, res)) ||
    ["users", "groups", "serviceaccounts"].some((res) => can(r, "impersonate", "", res))
  ) {
    caps.push("bind-escalate-impersonate");
  }
  if (directClusterAdminStep(grant) !== undefined) caps.push("cluster-admin");
  return caps;
}

/** Why this grant alone is cluster-admin, or undefined. */
function directClusterAdminStep(grant: Grant): string | undefined {
  if (grant.scope !== "*") return undefined;
  const r = grant.rules;
  const rbac = "rbac.authorization.k8s.io";
  if (r.some((rule) => rule.verbs.includes("*") && rule.resources.includes("*") && rule.apiGroups.includes("*") && !rule.resourceNames))
    return `has * on * cluster-wide via ${grant.via}`;
  if (can(r, "impersonate", "", "users") || can(r, "impersonate", "", "groups"))
    return `can impersonate users/groups (system:masters) cluster-wide via ${grant.via}`;
  if (can(r, "escalate", rbac, "clusterroles")) return `can escalate ClusterRoles cluster-wide via ${grant.via}`;
  if (can(r, "bind", rbac, "clusterroles") && can(r, "create", rbac, "clusterrolebindings"))
    return `can bind cluster-admin in a new ClusterRoleBinding via ${grant.via}`;
  return undefined;
}

/** Tenant identities of the stack: IdP groups, access-entry groups and IAM principals of tenants, their ServiceAccounts. */
export function tenantIdentities(config: BulwarkConfig, grants: readonly Grant[]): string[] {
  const ids = new Set<string>();
  const tenantNamespaces = new Set(config.tenants.map((t) => t.name));
  for (const t of config.tenants) {
    for (const groups of Object.values(t.groups)) for (const g of groups ?? []) ids.add(`Group:${idpGroupSubject(config.cluster, g)}`);
    for (const arns of Object.values(t.awsPrincipals ?? {})) for (const arn of arns ?? []) ids.add(`IAM:${arn}`);
  }
  for (const g of grants) {
    if (g.subject.startsWith("Group:bulwark:") && tenantNamespaces.has(g.subject.split(":")[2])) ids.add(g.subject);
    if (g.subject.startsWith("ServiceAccount:") && tenantNamespaces.has(g.subject.slice("ServiceAccount:".length).split("/")[0])) ids.add(g.subject);
  }
  return [...ids].sort();
}

/** Finds a path from `subject` to cluster-admin, following pod creation into ServiceAccounts. */
function pathToClusterAdmin(subject: string, grants: readonly Grant[], seen: Set<string> = new Set()): string[] | undefined {
  if (seen.has(subject)) return undefined;
  seen.add(subject);
  const own = grants.filter((g) => g.subject === subject);
  for (const g of own) {
    const step = directClusterAdminStep(g);
    if (step) return [`${subject} ${step}`];
  }
  // Pod creation (or SA impersonation) in a namespace yields that namespace's ServiceAccounts' rights.
  const serviceAccounts = [...new Set(grants.map((g) => g.subject).filter((s) => s.startsWith("ServiceAccount:")))].sort();
  for (const g of own) {
    const caps = capabilitiesOf(g);
    const impersonatesSAs = can(g.rules, "impersonate", "", "serviceaccounts");
    if (!caps.includes("create-pods") && !impersonatesSAs) continue;
    for (const sa of serviceAccounts) {
      const saNamespace = sa.slice("ServiceAccount:".length).split("/")[0];
      if (g.scope !== "*" && g.scope !== saNamespace) continue;
      const rest = pathToClusterAdmin(sa, grants, seen);
      if (rest) return [`${subject} can ${impersonatesSAs ? "impersonate" : "run a pod as"} ${sa} in ${saNamespace} via ${g.via}`, ...rest];
    }
  }
  return undefined;
}

/** The whole RBAC/identity analysis of one stack. */
export function analyzeRbac(
  config: BulwarkConfig,
  charts: readonly SynthesizedChart[],
  plan: Plan | undefined,
  extraObjects: readonly K8sObject[] = [],
): RbacAnalysis {
  const objects = [...["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].flatMap((k) => objectsOfKind(charts, k)), ...extraObjects];
  const grants = collectGrants(objects, plan);
  const rows = new Map<string, CapabilityRow>();
  for (const g of grants) {
    for (const capability of capabilitiesOf(g)) {
      const row = { subject: g.subject, capability, scope: g.scope, via: g.via };
      rows.set(`${g.subject}|${capability}|${g.scope}|${g.via}`, row);
    }
  }
  const capabilities = [...rows.values()].sort((a, b) =>
    `${a.capability}|${a.subject}|${a.scope}|${a.via}`.localeCompare(`${b.capability}|${b.subject}|${b.scope}|${b.via}`),
  );
  const tenants = tenantIdentities(config, grants);
  const subjects = [...new Set([...grants.map((g) => g.subject), ...tenants])].sort();
  const clusterAdmins: AttackPath[] = [];
  for (const s of subjects) {
    const steps = pathToClusterAdmin(s, grants);
    if (steps) clusterAdmins.push({ subject: s, steps });
  }
  const tenantSet = new Set(tenants);
  return { capabilities, tenantIdentities: tenants, tenantPathsToClusterAdmin: clusterAdmins.filter((p) => tenantSet.has(p.subject)), clusterAdmins };
}
