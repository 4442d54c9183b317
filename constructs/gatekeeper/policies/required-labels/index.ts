import { definePolicy, POD_KINDS, WORKLOAD_KINDS } from "../../policy";
import type { BulwarkRequiredLabelsSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * Pods and workloads carry `bulwark:policy.requiredLabels` (their pod templates too, through expansion).
 * No constraint when the stack requires no labels.
 */
export default definePolicy<BulwarkRequiredLabelsSpecParameters>({
  dir: __dirname,
  matchKinds: [...POD_KINDS, ...WORKLOAD_KINDS],
  constraints: (ctx) => {
    const labels = [...(ctx.config.policy.requiredLabels ?? [])].sort();
    return labels.length === 0 ? [] : [{ parameters: { labels } }];
  },
});
