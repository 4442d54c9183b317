import { definePolicy } from "../../policy";

/**
 * Namespaces enforce Pod Security `restricted`, or `baseline` where `bulwark:tenants[].podSecurity` says
 * so (a stricter label is always accepted); `enforce-version`, `audit-version` and `warn-version` are absent,
 * `latest` or the cluster's minor (`check --pss-version` overrides it).
 */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Namespace"] }],
  parameters: (ctx) => ({
    version: ctx.pssVersion,
    defaultLevel: "restricted",
    namespaceLevels: ctx.config.tenants
      .filter((t) => t.podSecurity !== undefined)
      .map((t) => ({ namespace: t.name, level: t.podSecurity }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace)),
  }),
});
