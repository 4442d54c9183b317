import { definePolicy } from "../../policy";
import { rbacRequesterExemptions } from "../../rbac-exemptions";
import type { BulwarkRbacNoPublicSubjectsSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * No binding to system:anonymous, system:unauthenticated, system:authenticated, system:serviceaccounts or
 * another namespace's system:serviceaccounts:<ns>, in every namespace (the exempt ones included), unless listed
 * in `bulwark:policy.publicSubjectBindings`. Kubernetes' own discovery bindings are written by the API server
 * (group system:masters), which is exempt by requester, never by the binding's name.
 */
export default definePolicy<BulwarkRbacNoPublicSubjectsSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding", "ClusterRoleBinding"] }],
  parameters: (ctx) => ({ allowedBindings: [...(ctx.config.policy.publicSubjectBindings ?? [])].sort(), ...rbacRequesterExemptions(ctx) }),
  constraints: () => [{ judgeExemptNamespaces: true }],
});
