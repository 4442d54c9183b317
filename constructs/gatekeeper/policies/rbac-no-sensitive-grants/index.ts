import { definePolicy } from "../../policy";
import { rbacRequesterExemptions } from "../../rbac-exemptions";
import type { BulwarkRbacNoSensitiveGrantsSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * No Role or ClusterRole grants nodes/proxy, CSR approval, token requests or writes to admission webhook
 * configurations and admission policies; exempt by requester only (see rbac-exemptions.ts).
 */
export default definePolicy<BulwarkRbacNoSensitiveGrantsSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole"] }],
  parameters: (ctx) => rbacRequesterExemptions(ctx),
});
