import { definePolicy, POD_KINDS } from "../../policy";

/**
 * Pods in tenant namespaces set `automountServiceAccountToken: false` unless their service account is in
 * `bulwark:policy.serviceAccountTokenAllowlist`. Limited to tenant namespaces: system add-ons need tokens.
 */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkServiceAccountToken",
  description: "Pods in tenant namespaces opt out of the API token unless their service account is allowlisted.",
  matchKinds: POD_KINDS,
  parameters: (ctx) => ({ allowedServiceAccounts: [...(ctx.config.policy.serviceAccountTokenAllowlist ?? [])].sort() }),
  constraints: (ctx) => [{ namespaces: ctx.config.tenants.map((t) => t.name).sort() }],
});
