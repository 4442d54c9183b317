import { definePolicy } from "../../policy";

/** cluster-admin only via the break-glass list (`bulwark:policy.breakGlassClusterAdminBindings`). */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding", "ClusterRoleBinding"] }],
  parameters: (ctx) => ({ allowedBindings: [...(ctx.config.policy.breakGlassClusterAdminBindings ?? [])].sort() }),
});
