import { definePolicy } from "../../policy";
import type { BulwarkInternalLoadBalancerSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * LoadBalancer Services are internal, as the controller that handles them reads it, unless their namespace is in
 * `bulwark:policy.publicLoadBalancerNamespaces`.
 */
export default definePolicy<BulwarkInternalLoadBalancerSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Service"] }],
  parameters: (ctx) => ({ publicNamespaces: [...(ctx.config.policy.publicLoadBalancerNamespaces ?? [])].sort() }),
});
