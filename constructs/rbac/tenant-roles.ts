import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import type { TenantTier } from "../../config/tenants";
import { TENANT_TIERS } from "../../config/tenants";
import { MANAGED_BY_LABEL } from "../baseline/defaults";

/** A namespaced RBAC rule, always with explicit verbs, resources and API groups (never `*`). */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ["get", "list", "watch"] as const;
const WRITE = ["create", "update", "patch", "delete", "deletecollection"] as const;

/** What every tier may read. Secrets are deliberately absent: view cannot read them. */
const VIEW_RULES: readonly RbacRule[] = [
  {
    apiGroups: [""],
    resources: [
      "configmaps",
      "endpoints",
      "events",
      "limitranges",
      "persistentvolumeclaims",
      "pods",
      "pods/log",
      "pods/status",
      "resourcequotas",
      "serviceaccounts",
      "services",
    ],
    verbs: READ,
  },
  { apiGroups: ["apps"], resources: ["daemonsets", "deployments", "replicasets", "statefulsets"], verbs: READ },
  { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: READ },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
];

/** What edit adds: running the team's workloads, including their Secrets. No exec, no RBAC. */
const EDIT_RULES: readonly RbacRule[] = [
  ...VIEW_RULES,
  { apiGroups: [""], resources: ["secrets"], verbs: READ },
  { apiGroups: [""], resources: ["configmaps", "persistentvolumeclaims", "pods", "secrets", "services"], verbs: WRITE },
  { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets"], verbs: WRITE },
  { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale"], verbs: ["get", "update", "patch"] },
  { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: WRITE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: WRITE },
];

/**
 * What admin adds: interactive access to pods, service accounts, and delegating the tenant's roles.
 * NetworkPolicies, quotas and limits stay read-only: the platform owns the namespace's envelope.
 * Binding is safe without `bind`: Kubernetes only lets a subject bind a role whose permissions it holds.
 */
const ADMIN_RULES: readonly RbacRule[] = [
  ...EDIT_RULES,
  { apiGroups: [""], resources: ["pods/attach", "pods/exec", "pods/portforward"], verbs: ["create", "get"] },
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: WRITE },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"], verbs: READ },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: WRITE },
];

/** The rules of each tier. */
export const TENANT_ROLE_RULES: Readonly<Record<TenantTier, readonly RbacRule[]>> = {
  admin: ADMIN_RULES,
  edit: EDIT_RULES,
  view: VIEW_RULES,
};

/** Verbs no tenant role may hold: they let a subject grant itself more than it has. */
export const FORBIDDEN_VERBS = ["escalate", "bind", "impersonate", "*"] as const;

/** Name of a tier's Role and RoleBinding in the tenant namespace. */
export function tenantRoleName(tier: TenantTier): string {
  return `tenant-${tier}`;
}

export interface TenantRolesProps {
  /** The tenant namespace. */
  readonly namespace: string;
  /**
   * Kubernetes group names bound to each tier, as the API server sees them (IdP groups with their OIDC
   * prefix, and the groups EKS access entries assign). A tier with no groups gets its Role but no binding.
   * @default no groups for any tier
   */
  readonly groups?: Readonly<Partial<Record<TenantTier, readonly string[]>>>;
}

/** Least-privilege admin / edit / view Roles of a tenant namespace, bound to the tenant's groups. */
export class TenantRoles extends Construct {
  constructor(scope: Construct, id: string, props: TenantRolesProps) {
    super(scope, id);
    for (const tier of TENANT_TIERS) {
      const name = tenantRoleName(tier);
      const metadata = { name, namespace: props.namespace, labels: { ...MANAGED_BY_LABEL } };
      new k8s.KubeRole(this, `${tier}-role`, {
        metadata,
        rules: TENANT_ROLE_RULES[tier].map((rule) => ({
          apiGroups: [...rule.apiGroups],
          resources: [...rule.resources],
          verbs: [...rule.verbs],
        })),
      });
      const groups = props.groups?.[tier] ?? [];
      for (const group of groups) {
        if (group.startsWith("system:")) {
          throw new Error(
            `TenantRoles ${props.namespace}: groups.${tier} contains "${group}"; system: groups are Kubernetes' own and must never be bound to a tenant role`,
          );
        }
      }
      if (groups.length > 0) {
        new k8s.KubeRoleBinding(this, `${tier}-binding`, {
          metadata,
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
          subjects: groups.map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group })),
        });
      }
    }
  }
}
