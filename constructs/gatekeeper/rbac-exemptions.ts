import type { PolicyContext } from "./policy";

/**
 * Groups whose RBAC writes the RBAC policies never judge. `system:masters` bypasses authorization altogether
 * (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege), so exempting it grants
 * nothing; it holds the API server's loopback identity `system:apiserver`, which creates and reconciles
 * Kubernetes' default roles and bindings at every start
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#auto-reconciliation). A group is set by the
 * authenticator, never by the author of a role, so a tenant cannot claim it.
 */
export const EXEMPT_REQUESTER_GROUPS: readonly string[] = ["system:masters"];

/**
 * Names a tenant may not give a Role, ClusterRole or binding: Kubernetes' user-facing default roles and the
 * Gatekeeper chart's own RBAC objects. A binding that already refers to one of these names would pick up
 * whatever a tenant created under it. `system:` and `eks:` names are reserved by prefix (the
 * `system:` prefix is Kubernetes' own, https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources;
 * `eks:` is what Amazon EKS creates, https://docs.aws.amazon.com/eks/latest/userguide/default-roles-users.html).
 */
export const RESERVED_RBAC_NAMES: readonly string[] = [
  "admin",
  "cluster-admin",
  "edit",
  "gatekeeper-admin",
  "gatekeeper-manager-role",
  "gatekeeper-manager-rolebinding",
  "view",
];

/** Name prefixes reserved to Kubernetes and EKS. */
export const RESERVED_RBAC_NAME_PREFIXES: readonly string[] = ["eks:", "system:"];

/** The requester exemptions shared by the RBAC policies: the config's usernames and the fixed groups. */
export function rbacRequesterExemptions(ctx: PolicyContext): { exemptRequesters: string[]; exemptRequesterGroups: string[] } {
  return {
    exemptRequesters: [...(ctx.config.policy.rbacExemptRequesters ?? [])].sort(),
    exemptRequesterGroups: [...EXEMPT_REQUESTER_GROUPS],
  };
}
