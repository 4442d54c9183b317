import { definePolicy } from "../../policy";

/** cluster-admin only via the break-glass list (`bulwark:policy.breakGlassClusterAdminBindings`). */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkClusterAdminBinding",
  description: "No binding grants cluster-admin except the break-glass list and the API server's bootstrap binding.",
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding", "ClusterRoleBinding"] }],
  parameters: (ctx) => ({ allowedBindings: [...(ctx.config.policy.breakGlassClusterAdminBindings ?? [])].sort() }),
});
