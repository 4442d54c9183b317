import { definePolicy } from "../../policy";
import { rbacRequesterExemptions } from "../../rbac-exemptions";
import type { BulwarkRbacNoWildcardsSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * No '*' in RBAC rules (a trailing '*' in nonResourceURLs too). Exempt by requester only, never by a role's name or labels (which its
 * author chooses): group `system:masters` and the usernames in `bulwark:policy.rbacExemptRequesters`.
 */
export default definePolicy<BulwarkRbacNoWildcardsSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole"] }],
  parameters: (ctx) => rbacRequesterExemptions(ctx),
});
