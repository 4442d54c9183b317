import type { PolicyContext } from "./policy";

/**
 * ClusterRoles the RBAC hygiene policies (no wildcards, no escalate/bind/impersonate) exempt by name when
 * the stack does not set `bulwark:policy.exemptClusterRoles`: Gatekeeper's own manager role, which needs
 * wildcards to watch every kind it audits. Without it an upgrade of Gatekeeper would be denied by itself.
 */
export const DEFAULT_EXEMPT_CLUSTER_ROLES: readonly string[] = ["gatekeeper-manager-role"];

/** The exemption parameters shared by the RBAC role policies. */
export function rbacRoleExemptions(ctx: PolicyContext): { exemptClusterRoles: string[]; exemptKubernetesBootstrapRoles: boolean } {
  return {
    exemptClusterRoles: [...(ctx.config.policy.exemptClusterRoles ?? DEFAULT_EXEMPT_CLUSTER_ROLES)].sort(),
    exemptKubernetesBootstrapRoles: true,
  };
}
