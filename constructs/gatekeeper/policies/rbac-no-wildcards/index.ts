import { definePolicy } from "../../policy";
import { rbacRoleExemptions } from "../../rbac-exemptions";

/**
 * No '*' in RBAC rules. Exempt by name: `bulwark:policy.exemptClusterRoles` (default: Gatekeeper's manager
 * role) and Kubernetes' own default ClusterRoles (see rbac-exemptions.ts).
 */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkRbacNoWildcards",
  description: "No Role or ClusterRole grants '*' in verbs, resources, apiGroups or nonResourceURLs.",
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole"] }],
  parameters: (ctx) => rbacRoleExemptions(ctx),
});
