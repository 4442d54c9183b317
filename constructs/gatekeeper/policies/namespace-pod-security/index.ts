import { definePolicy } from "../../policy";
import type { BulwarkNamespacePodSecuritySpecParameters } from "../../imports/constraints.gatekeeper.sh";
import {
  BulwarkNamespacePodSecuritySpecParametersDefaultLevel as DefaultLevel,
  BulwarkNamespacePodSecuritySpecParametersNamespaceLevelsLevel as NamespaceLevel,
} from "../../imports/constraints.gatekeeper.sh";

/** The config's Pod Security levels as the template's schema spells them. */
const NAMESPACE_LEVEL = { baseline: NamespaceLevel.BASELINE, restricted: NamespaceLevel.RESTRICTED } as const;

/**
 * Namespaces enforce Pod Security `restricted`, or `baseline` where `bulwark:tenants[].podSecurity` says
 * so (a stricter label is always accepted); `enforce-version`, `audit-version` and `warn-version` are absent,
 * `latest` or the cluster's minor (`check --pss-version` overrides it).
 */
export default definePolicy<BulwarkNamespacePodSecuritySpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Namespace"] }],
  parameters: (ctx) => ({
    version: ctx.pssVersion,
    defaultLevel: DefaultLevel.RESTRICTED,
    namespaceLevels: ctx.config.tenants
      .flatMap((t) => (t.podSecurity === undefined ? [] : [{ namespace: t.name, level: NAMESPACE_LEVEL[t.podSecurity] }]))
      .sort((a, b) => a.namespace.localeCompare(b.namespace)),
  }),
});
