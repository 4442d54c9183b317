import { INGRESS_CLASS_NAMES } from "../../../network/ingress-classes";
import type { BulwarkIngressInternalClassSpecParameters } from "../../imports/constraints.gatekeeper.sh";
import { definePolicy } from "../../policy";

/**
 * Ingresses get internal ALBs unless their namespace is in `bulwark:policy.publicLoadBalancerNamespaces`: the
 * admission-time twin of the IngressClassParams' namespaceSelector (`AlbIngressClasses`), so a tenant learns
 * at `kubectl apply` (and `check` before it) instead of from a controller event.
 */
export default definePolicy<BulwarkIngressInternalClassSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["networking.k8s.io"], kinds: ["Ingress"] }],
  parameters: (ctx) => ({
    internalClasses: [INGRESS_CLASS_NAMES.internal],
    internetFacingClasses: [INGRESS_CLASS_NAMES.internetFacing],
    publicNamespaces: [...(ctx.config.policy.publicLoadBalancerNamespaces ?? [])].sort(),
  }),
});
