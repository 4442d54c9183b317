import { definePolicy } from "../../policy";
import type { BulwarkClusterAdminBindingSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/** cluster-admin only via the break-glass list (`bulwark:policy.breakGlassClusterAdminBindings`). */
export default definePolicy<BulwarkClusterAdminBindingSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding", "ClusterRoleBinding"] }],
  parameters: (ctx) => ({ allowedBindings: [...(ctx.config.policy.breakGlassClusterAdminBindings ?? [])].sort() }),
});
