/** Cluster layer, RBAC: the tenant Roles and bindings, and the attack-path analysis over them. */
import { idpGroupSubject } from "../../config/cluster";
import { objectRef } from "../evidence";
import { list, objectsOf } from "../plan-view";
import { analyzeRbac } from "../rbac";
import type { Control, EvidenceContext } from "../types";
import { BP, control, everyTenant, missing, NSA, requireAll, T_BASELINE, T_MUTATIONS, T_REPORT, tenantObject } from "./control";

/** The tenant bindings of one namespace: each configured tier's RoleBinding binds its prefixed IdP groups. */
function tenantBindings(ctx: EvidenceContext, ns: string): { evidence: string[]; problems: string[] } {
  const tenant = ctx.config.tenants.find((t) => t.name === ns);
  const evidence: string[] = [];
  const problems: string[] = [];
  for (const [tier, groups] of Object.entries(tenant?.groups ?? {})) {
    if (!groups || groups.length === 0) continue;
    const r = tenantObject(ctx, "RoleBinding", ns, `tenant-${tier}`, (o) => {
      const names = list(o.subjects).map((s) => String(s.name));
      const want = groups.map((g) => idpGroupSubject(ctx.config.cluster, g));
      if (names.some((n) => n.startsWith("system:"))) return "binds a system: group";
      return want.every((w) => names.includes(w)) ? undefined : `does not bind ${want.join(", ")}`;
    });
    evidence.push(...r.evidence);
    problems.push(...r.problems);
  }
  return { evidence, problems };
}

/** The tenant identities' capabilities of one kind, from the attack-path analysis. */
function tenantCapabilities(ctx: EvidenceContext, capability: string) {
  const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
  const tenants = new Set(rbac.tenantIdentities);
  return { rbac, found: rbac.capabilities.filter((c) => c.capability === capability && tenants.has(c.subject)) };
}

/** What the synthesized Roles grant, read rule by rule. */
const roleControls: Control[] = [
  control(
    {
      id: "K8S-TENANT-RBAC",
      title: "Every tenant has admin/edit/view Roles bound to its IdP groups (prefixed), never system: groups",
      layer: "cluster",
      checklist: "third-party authentication",
      nsa: NSA.rbac,
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantRoles",
    { file: T_BASELINE, name: "tenant %s › RBAC tiers are bound to the tenant's IdP groups (with the OIDC prefix)" },
    (ctx) => everyTenant(ctx, (ns) => tenantBindings(ctx, ns)),
  ),
  control(
    {
      id: "K8S-RBAC-NO-WILDCARD-SYNTH",
      title: "No synthesized Role grants `*` verbs, resources or API groups",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      cis: "4.1.3 Minimize wildcard use in Roles and ClusterRoles",
      bp: BP.iam,
    },
    "construct",
    "TenantRoles (TENANT_ROLE_RULES)",
    { file: T_BASELINE, name: "least-privilege RBAC › no Role has * in verbs, resources or apiGroups, nor escalate, bind or impersonate" },
    (ctx) => {
      const roles = [...objectsOf(ctx.charts, "Role"), ...objectsOf(ctx.charts, "ClusterRole")];
      if (roles.length === 0) return missing("no Roles synthesized");
      const problems = roles
        .filter((r) => list(r.rules).some((rule) => [rule.verbs, rule.resources, rule.apiGroups].some((values) => list(values).includes("*"))))
        .map((r) => `${objectRef(r)} uses *`);
      return requireAll(roles.map(objectRef), problems);
    },
  ),
];

/** What tenant identities can do, from the attack-path analysis. */
const pathControls: Control[] = [
  control(
    {
      id: "K8S-RBAC-NO-ESCALATION-SYNTH",
      title: "No tenant identity can bind, escalate or impersonate",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      cis: "4.1.8 Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
      bp: BP.iam,
    },
    "construct",
    "TenantRoles",
    {
      file: T_REPORT,
      name: "removing a control turns its row red › a tenant ClusterRoleBinding to cluster-admin in the manifests: the attack-path row is missing",
    },
    (ctx) => {
      const { rbac, found } = tenantCapabilities(ctx, "bind-escalate-impersonate");
      return requireAll(
        rbac.tenantIdentities,
        found.map((c) => `${c.subject} can bind/escalate/impersonate in ${c.scope} via ${c.via}`),
        ["RBAC attack-path analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-RBAC-SECRETS",
      title: "Only tenant admin and edit tiers read Secrets, and only in their own namespace",
      layer: "cluster",
      checklist: "secrets management",
      nsa: NSA.secrets,
      cis: "4.1.2 Minimize access to secrets",
      bp: BP.encryption,
    },
    "construct",
    "TenantRoles (tenant-view has no secrets)",
    { file: T_REPORT, name: "removing a control turns its row red › a wildcard Role or a view tier reading Secrets: the RBAC rows are missing" },
    (ctx) => {
      const readers = tenantCapabilities(ctx, "read-secrets").found;
      const problems = readers.filter((c) => c.scope === "*" || /tenant-view/.test(c.via)).map((c) => `${c.subject} reads Secrets in ${c.scope} via ${c.via}`);
      return requireAll(
        readers.map((c) => `${c.subject} in ${c.scope}`),
        problems,
        ["RBAC attack-path analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-RBAC-EXEC",
      title: "Only the tenant admin tier can exec/attach into pods, and only in its namespace",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      bp: BP.iam,
    },
    "construct",
    "TenantRoles (exec only in tenant-admin)",
    { file: T_MUTATIONS, name: "removing one control turns its row missing › K8S-RBAC-EXEC without exec for admins only (view may exec)" },
    (ctx) => {
      const exec = tenantCapabilities(ctx, "exec-pods").found;
      const problems = exec.filter((c) => c.scope === "*" || !/tenant-admin/.test(c.via)).map((c) => `${c.subject} can exec in ${c.scope} via ${c.via}`);
      return requireAll(
        exec.map((c) => `${c.subject} in ${c.scope}`),
        problems,
        ["RBAC attack-path analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-RBAC-CREATE-PODS",
      title: "Pod creation is namespace-scoped for every tenant identity",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      cis: "4.1.4 Minimize access to create pods",
      bp: BP.iam,
    },
    "construct",
    "TenantRoles",
    { file: T_MUTATIONS, name: "removing one control turns its row missing › K8S-RBAC-CREATE-PODS without namespace-scoped pod creation" },
    (ctx) => {
      const creators = tenantCapabilities(ctx, "create-pods").found;
      return requireAll(
        creators.map((c) => `${c.subject} in ${c.scope}`),
        creators.filter((c) => c.scope === "*").map((c) => `${c.subject} creates pods cluster-wide via ${c.via}`),
        ["RBAC attack-path analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-NO-TENANT-PATH-TO-ADMIN",
      title: "No path from any tenant identity (IdP group, IAM principal, ServiceAccount) to cluster-admin",
      layer: "cluster",
      checklist: "attack paths",
      nsa: NSA.rbac,
      cis: "4.1.1 Ensure that the cluster-admin role is only used where required",
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantRoles + access entries",
    {
      file: T_REPORT,
      name: "removing a control turns its row red › a tenant ClusterRoleBinding to cluster-admin in the manifests: the attack-path row is missing",
    },
    (ctx) => {
      const rbac = analyzeRbac(ctx.config, ctx.charts, ctx.plan);
      if (rbac.tenantIdentities.length === 0) return missing("no tenant identities found to analyse");
      return requireAll(
        rbac.tenantIdentities,
        rbac.tenantPathsToClusterAdmin.map((p) => p.steps.join(" -> ")),
        ["RBAC attack-path analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-TENANT-NO-POLICY-EDIT",
      title: "Tenants cannot edit their NetworkPolicies, quotas or limits, nor mint ServiceAccount tokens",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantRoles",
    { file: T_BASELINE, name: "least-privilege RBAC › only admin may exec into pods in %s; nobody may edit NetworkPolicies, quotas or mint tokens" },
    (ctx) => {
      const roles = objectsOf(ctx.charts, "Role");
      if (roles.length === 0) return missing("no Roles synthesized");
      const forbidden = ["networkpolicies", "resourcequotas", "limitranges", "serviceaccounts/token"];
      const writes = ["create", "update", "patch", "delete", "deletecollection", "*"];
      const problems = roles.flatMap((r) =>
        list(r.rules)
          .filter(
            (rule) =>
              list(rule.verbs).some((v) => writes.includes(String(v))) && list(rule.resources).some((res) => forbidden.includes(String(res)) || res === "*"),
          )
          .map(() => `${objectRef(r)} may modify ${forbidden.join("/")}`),
      );
      return requireAll(roles.map(objectRef), problems);
    },
  ),
];

export const rbacControls: Control[] = [...roleControls, ...pathControls];
