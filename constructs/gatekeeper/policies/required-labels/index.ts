import { definePolicy, POD_KINDS, WORKLOAD_KINDS } from "../../policy";

/**
 * Pods and workloads carry `bulwark:policy.requiredLabels` (their pod templates too, through expansion).
 * No constraint when the stack requires no labels.
 */
export default definePolicy({
  dir: __dirname,
  matchKinds: [...POD_KINDS, ...WORKLOAD_KINDS],
  constraints: (ctx) => {
    const labels = [...(ctx.config.policy.requiredLabels ?? [])].sort();
    return labels.length === 0 ? [] : [{ parameters: { labels } }];
  },
});
