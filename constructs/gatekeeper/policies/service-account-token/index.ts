import { definePolicy } from "../../policy";
import type { BulwarkServiceAccountTokenSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * Pods in tenant namespaces set `automountServiceAccountToken: false` and project no `serviceAccountToken`
 * volume, and ServiceAccounts there set `automountServiceAccountToken: false`, unless the service account is in
 * `bulwark:policy.serviceAccountTokenAllowlist`. Limited to tenant namespaces: system add-ons need tokens.
 * The Pod's own field is still required: a Pod admission cannot see its ServiceAccount object.
 */
export default definePolicy<BulwarkServiceAccountTokenSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Pod", "ServiceAccount"] }],
  parameters: (ctx) => ({ allowedServiceAccounts: [...(ctx.config.policy.serviceAccountTokenAllowlist ?? [])].sort() }),
  constraints: (ctx) => [{ namespaces: ctx.config.tenants.map((t) => t.name).sort() }],
});
