import { definePolicy } from "../../policy";
import { RESERVED_RBAC_NAME_PREFIXES, RESERVED_RBAC_NAMES, rbacRequesterExemptions } from "../../rbac-exemptions";
import type { BulwarkRbacReservedIdentitiesSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * What Kubernetes, EKS and the blueprint reserve in RBAC (names, bootstrapping and aggregation labels,
 * aggregationRule) is only for exempt requesters, so nobody else can pose as a default role, feed rules into
 * admin/edit/view, or build a role that inherits what its selectors match.
 */
export default definePolicy<BulwarkRbacReservedIdentitiesSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] }],
  parameters: (ctx) => ({
    reservedNames: [...RESERVED_RBAC_NAMES],
    reservedNamePrefixes: [...RESERVED_RBAC_NAME_PREFIXES],
    ...rbacRequesterExemptions(ctx),
  }),
});
