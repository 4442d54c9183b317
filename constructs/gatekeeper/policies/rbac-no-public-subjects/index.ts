import { definePolicy } from "../../policy";

/**
 * Kubernetes' bootstrap discovery bindings: they bind system:authenticated / system:unauthenticated to
 * read-only discovery roles by design, and the API server recreates them at every start. Exempt by name,
 * and only while each still binds the ClusterRole of the same name.
 */
export const KUBERNETES_DISCOVERY_BINDINGS = ["system:basic-user", "system:discovery", "system:public-info-viewer"] as const;

/** No binding to system:anonymous, system:unauthenticated or system:authenticated. */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkRbacNoPublicSubjects",
  description: "No binding names system:anonymous, system:unauthenticated or system:authenticated.",
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding", "ClusterRoleBinding"] }],
  parameters: () => ({ exemptBindings: [...KUBERNETES_DISCOVERY_BINDINGS] }),
});
