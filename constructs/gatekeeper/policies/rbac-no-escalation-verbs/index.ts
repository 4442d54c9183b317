import { definePolicy } from "../../policy";
import { rbacRequesterExemptions } from "../../rbac-exemptions";
import type { BulwarkRbacNoEscalationSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * No escalate, bind or impersonate in RBAC rules. Exempt by requester only, never by a role's name or labels (which its
 * author chooses): group `system:masters` and the usernames in `bulwark:policy.rbacExemptRequesters`.
 */
export default definePolicy<BulwarkRbacNoEscalationSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole"] }],
  parameters: (ctx) => ({ forbiddenVerbs: ["bind", "escalate", "impersonate"], ...rbacRequesterExemptions(ctx) }),
});
