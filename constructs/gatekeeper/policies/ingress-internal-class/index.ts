import { INGRESS_CLASS_NAMES } from "../../../network/ingress-classes";
import { definePolicy } from "../../policy";

/**
 * Ingresses get internal ALBs unless their namespace is in `bulwark:policy.publicLoadBalancerNamespaces`: the
 * admission-time twin of the IngressClassParams' namespaceSelector (`AlbIngressClasses`), so a tenant learns
 * at `kubectl apply` (and `check` before it) instead of from a controller event.
 */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkIngressInternalClass",
  description: "Ingresses use the internal ALB IngressClass unless the namespace is configured public-facing.",
  matchKinds: [{ apiGroups: ["networking.k8s.io"], kinds: ["Ingress"] }],
  parameters: (ctx) => ({
    internalClasses: [INGRESS_CLASS_NAMES.internal],
    internetFacingClasses: [INGRESS_CLASS_NAMES.internetFacing],
    publicNamespaces: [...(ctx.config.policy.publicLoadBalancerNamespaces ?? [])].sort(),
  }),
});
