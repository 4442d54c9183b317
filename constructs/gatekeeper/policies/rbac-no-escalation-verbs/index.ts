import { definePolicy } from "../../policy";
import { rbacRoleExemptions } from "../../rbac-exemptions";

/**
 * No escalate, bind or impersonate in RBAC rules. Exempt by name: `bulwark:policy.exemptClusterRoles`
 * (default: Gatekeeper's manager role) and Kubernetes' own default ClusterRoles (see rbac-exemptions.ts).
 */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkRbacNoEscalation",
  description: "No Role or ClusterRole grants escalate, bind or impersonate.",
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole"] }],
  parameters: (ctx) => ({ forbiddenVerbs: ["bind", "escalate", "impersonate"], ...rbacRoleExemptions(ctx) }),
});
