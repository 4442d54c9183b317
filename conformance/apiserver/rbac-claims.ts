/**
 * The RBAC claims of the README baseline table ("view cannot read Secrets; only admin can exec; nobody edits
 * NetworkPolicies, quotas or limits, or mints tokens; no escalate, bind or impersonate") and the rule that no
 * tenant identity is cluster-admin-equivalent, written as a can-i matrix: each row an access check, each cell
 * the expected answer per tier. The expectations are stated here, independently of constructs/rbac, so a
 * loosened Role shows up as a wrong cell. Pure: the `rbac` judge asks the API server, the jest test asks
 * {@link rulesAllow} over TENANT_ROLE_RULES.
 */
import type { BulwarkConfig } from "../../config/model";
import { idpGroupSubject } from "../../config/cluster";
import type { TenantTier } from "../../config/tenants";
import { TENANT_TIERS, tenantTierGroup } from "../../config/tenants";
import type { RbacRule } from "../../constructs/rbac/tenant-roles";

/** Where a check is asked: the identity's own tenant namespace, another tenant's, or cluster-wide. */
export type Scope = "own" | "other" | "cluster";

/** One access check (a SubjectAccessReview's resourceAttributes, with the namespace chosen by scope). */
export interface AccessCheck {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly scope: Scope;
}

/** A row of the matrix. */
export interface Claim {
  /** The README claim (or control) the row proves. */
  readonly claim: string;
  readonly check: AccessCheck;
  /** Expected answer per tier. */
  readonly allowed: Readonly<Record<TenantTier, boolean>>;
}

const NOBODY = { admin: false, edit: false, view: false } as const;
const EVERYONE = { admin: true, edit: true, view: true } as const;
const MUTATING = ["create", "update", "patch", "delete", "deletecollection"] as const;

const rows = (claim: string, checks: readonly AccessCheck[], allowed: Claim["allowed"]): Claim[] => checks.map((check) => ({ claim, check, allowed }));
const own = (verb: string, group: string, resource: string, subresource?: string): AccessCheck => ({
  verb,
  group,
  resource,
  scope: "own",
  ...(subresource ? { subresource } : {}),
});

/** The matrix's rows. Controls (every tier reaches its namespace) keep an all-deny cluster from passing. */
export const RBAC_CLAIMS: readonly Claim[] = [
  ...rows("control: every tier reads its namespace's Pods", [own("get", "", "pods"), own("list", "", "pods")], EVERYONE),
  ...rows("control: edit and admin run workloads", [own("create", "apps", "deployments"), own("update", "", "configmaps")], {
    admin: true,
    edit: true,
    view: false,
  }),
  ...rows("control: admin delegates the tenant's roles", [own("create", "rbac.authorization.k8s.io", "rolebindings")], {
    admin: true,
    edit: false,
    view: false,
  }),
  ...rows(
    "view cannot read Secrets",
    ["get", "list", "watch"].map((v) => own(v, "", "secrets")),
    { admin: true, edit: true, view: false },
  ),
  ...rows(
    "only admin can exec, attach, port-forward",
    ["exec", "attach", "portforward"].map((s) => own("create", "", "pods", s)),
    { admin: true, edit: false, view: false },
  ),
  ...rows(
    "nobody edits NetworkPolicies, ResourceQuotas or LimitRanges",
    MUTATING.flatMap((v) => [own(v, "networking.k8s.io", "networkpolicies"), own(v, "", "resourcequotas"), own(v, "", "limitranges")]),
    NOBODY,
  ),
  ...rows(
    "nobody escalates or binds",
    ["roles", "clusterroles"].flatMap((r) => ["escalate", "bind"].map((v) => own(v, "rbac.authorization.k8s.io", r))),
    NOBODY,
  ),
  ...rows(
    "nobody impersonates",
    [
      own("impersonate", "", "users"),
      own("impersonate", "", "groups"),
      own("impersonate", "", "serviceaccounts"),
      { verb: "impersonate", group: "", resource: "users", scope: "cluster" },
    ],
    NOBODY,
  ),
  ...rows("nobody mints service-account tokens", [own("create", "", "serviceaccounts", "token")], NOBODY),
  ...rows(
    "no tenant identity is cluster-admin-equivalent",
    [
      own("*", "*", "*"),
      { verb: "*", group: "*", resource: "*", scope: "cluster" },
      { verb: "list", group: "", resource: "secrets", scope: "cluster" },
      { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", scope: "cluster" },
      { verb: "get", group: "", resource: "pods", scope: "other" },
      { verb: "get", group: "", resource: "secrets", scope: "other" },
    ],
    NOBODY,
  ),
];

/** An identity as the API server sees it after authentication. */
export interface Identity {
  readonly tenant: string;
  readonly tier: TenantTier;
  /** `idp` (OIDC user in an IdP group, prefixes applied) or `access-entry` (IAM principal in `bulwark:<tenant>:<tier>`). */
  readonly via: "idp" | "access-entry";
  readonly user: string;
  readonly groups: readonly string[];
}

/** Every tenant identity of a stack: one per IdP group and, where the tier has IAM principals, per access entry. */
export function tenantIdentities(config: BulwarkConfig): Identity[] {
  const userPrefix = config.cluster.identityProvider?.usernamePrefix ?? "oidc:";
  return config.tenants.flatMap((tenant) =>
    TENANT_TIERS.flatMap((tier): Identity[] => [
      ...(tenant.groups[tier] ?? []).map((group) => ({
        tenant: tenant.name,
        tier,
        via: "idp" as const,
        user: `${userPrefix}${group}-member`,
        groups: [idpGroupSubject(config.cluster, group), "system:authenticated"],
      })),
      ...(tenant.awsPrincipals?.[tier] ?? []).map((arn) => ({
        tenant: tenant.name,
        tier,
        via: "access-entry" as const,
        user: arn,
        groups: [tenantTierGroup(tenant.name, tier), "system:authenticated"],
      })),
    ]),
  );
}

/** The namespace a check is asked in for an identity (`undefined` = cluster-wide). */
export function namespaceOf(scope: Scope, tenant: string, tenants: readonly string[]): string | undefined {
  if (scope === "cluster") return undefined;
  if (scope === "own") return tenant;
  const other = tenants.find((t) => t !== tenant);
  if (!other) throw new Error("scope 'other' needs at least two tenants");
  return other;
}

/** Whether namespaced RBAC rules grant a check (Kubernetes' rule matching: `*` matches all, subresources by `res/sub`). */
export function rulesAllow(rules: readonly RbacRule[], check: AccessCheck): boolean {
  if (check.scope !== "own") return false; // Roles grant nothing outside their namespace
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  const has = (list: readonly string[], value: string): boolean => list.includes("*") || list.includes(value);
  return rules.some((r) => has(r.verbs, check.verb) && has(r.apiGroups, check.group) && has(r.resources, resource));
}

/** One answered cell. */
export interface Cell {
  readonly identity: Identity;
  readonly claim: Claim;
  readonly expected: boolean;
  readonly actual: boolean;
}

/** The matrix as a text table: a row per check, a column per identity; `ok`/`NO` for allowed/denied, `!` marks a wrong cell. */
export function formatMatrix(cells: readonly Cell[]): string {
  const identities = [...new Map(cells.map((c) => [`${c.identity.tenant}:${c.identity.tier}:${c.identity.via}`, c.identity])).keys()];
  const rowsByCheck = new Map<string, Map<string, Cell>>();
  for (const cell of cells) {
    const { verb, group, resource, subresource, scope } = cell.claim.check;
    const key = `${verb} ${group || "core"}/${resource}${subresource ? `/${subresource}` : ""} (${scope})`;
    const row = rowsByCheck.get(key) ?? new Map<string, Cell>();
    row.set(`${cell.identity.tenant}:${cell.identity.tier}:${cell.identity.via}`, cell);
    rowsByCheck.set(key, row);
  }
  const width = Math.max(...[...rowsByCheck.keys()].map((k) => k.length));
  const header = `${"check".padEnd(width)}  ${identities.map((_, i) => `c${i + 1}`.padEnd(4)).join("")}`;
  const legend = identities.map((id, i) => `  c${i + 1} = ${id}`).join("\n");
  const lines = [...rowsByCheck].map(([key, row]) => {
    const marks = identities.map((id) => {
      const cell = row.get(id);
      if (!cell) return "-".padEnd(4);
      return `${cell.actual ? "ok" : "NO"}${cell.actual === cell.expected ? "" : "!"}`.padEnd(4);
    });
    return `${key.padEnd(width)}  ${marks.join("")}`;
  });
  return [header, ...lines, "columns:", legend].join("\n");
}
