/**
 * The policy review report of one stack: catalog evaluation, network reachability, RBAC attack paths.
 * Pure over its input (config, plan, synthesized charts, policy suite results): `stacks/report.ts` plans,
 * synthesizes, runs the suites and writes the files.
 */
import { allObjects } from "./evidence";
import { evaluateControls, summarize } from "./evaluate";
import { acceptedRisks } from "./exceptions";
import { analyzeNetwork } from "./network";
import { planResources } from "./plan-view";
import { analyzeRbac } from "./rbac";
import type { ReportData } from "./render";
import type { EvidenceContext } from "./types";

export { CONTROLS } from "./catalog";
export { evaluateControls, summarize } from "./evaluate";
export { formatSummaryLine, toJson, toMarkdown } from "./render";
export type { ReportData } from "./render";
export type { EvidenceContext, SuiteSummary } from "./types";

/** Builds the report from an evidence context (pure: the same context gives the same report). */
export function buildReport(ctx: EvidenceContext): ReportData {
  const results = evaluateControls(ctx);
  const vpcCidr = planResources(ctx.plan, "aws:ec2/vpc:Vpc")[0]?.inputs.cidrBlock;
  return {
    stack: ctx.plan.stack,
    cluster: {
      name: ctx.config.cluster.name,
      kubernetesVersion: ctx.config.cluster.kubernetesVersion,
      region: ctx.config.region,
      tenants: ctx.config.tenants.map((t) => t.name).sort(),
    },
    inputs: {
      planResources: ctx.plan.resources.length,
      objects: allObjects(ctx.charts).length,
      suiteCases: Object.values(ctx.suites).reduce((n, s) => n + s.cases, 0),
      suitesFailing: Object.entries(ctx.suites)
        .filter(([, s]) => s.failures.length > 0)
        .map(([id]) => id)
        .sort(),
    },
    summary: summarize(results),
    results,
    network: analyzeNetwork(ctx.charts, typeof vpcCidr === "string" ? vpcCidr : undefined),
    rbac: analyzeRbac(ctx.config, ctx.charts, ctx.plan),
    acceptedRisks: acceptedRisks(ctx.config, ctx.charts),
  };
}

/** What `--fail-on-missing` fails on: a missing control, or a tenant identity with a path to cluster-admin. */
export function reportFails(data: ReportData): boolean {
  return data.summary.missing > 0 || data.rbac.tenantPathsToClusterAdmin.length > 0;
}
