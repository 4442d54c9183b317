/** The policy review report of one stack: catalog evaluation, network reachability, RBAC attack paths. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BulwarkConfig } from "../config/model";
import { buildBulwarkApp } from "../constructs/app";
import type { SynthesizedChart } from "../constructs/synthesize";
import { synthesizeApp } from "../constructs/synthesize";
import type { Plan } from "../lib/plan/engine";
import { allObjects, collectEvidence, field, resources, runPolicySuites } from "./evidence";
import { evaluateControls, summarize } from "./evaluate";
import { analyzeNetwork } from "./network";
import { analyzeRbac } from "./rbac";
import type { ReportData } from "./render";
import { toJson, toMarkdown } from "./render";
import type { EvidenceContext } from "./types";

export { CONTROLS } from "./catalog";
export { collectEvidence } from "./evidence";
export { evaluateControls, summarize } from "./evaluate";
export { formatSummaryLine, toJson, toMarkdown } from "./render";
export type { ReportData } from "./render";

/** Builds the report from an evidence context (pure: the same context gives the same report). */
export function buildReport(ctx: EvidenceContext): ReportData {
  const results = evaluateControls(ctx);
  const vpcCidr = field(resources(ctx, "aws:ec2/vpc:Vpc")[0]?.inputs, "cidrBlock");
  return {
    stack: ctx.plan.stack,
    cluster: { name: ctx.config.cluster.name, kubernetesVersion: ctx.config.cluster.kubernetesVersion, region: ctx.config.region, tenants: ctx.config.tenants.map((t) => t.name).sort() },
    inputs: {
      planResources: ctx.plan.resources.length,
      objects: allObjects(ctx.charts).length,
      suiteCases: Object.values(ctx.suites).reduce((n, s) => n + s.cases, 0),
      suitesFailing: Object.entries(ctx.suites).filter(([, s]) => s.failures.length > 0).map(([id]) => id).sort(),
    },
    summary: summarize(results),
    results,
    network: analyzeNetwork(ctx.charts, typeof vpcCidr === "string" ? vpcCidr : undefined),
    rbac: analyzeRbac(ctx.config, ctx.charts, ctx.plan),
  };
}

/** Plans and synthesizes `stack`, evaluates the catalog and returns the report. */
export async function generateReport(stack: string, projectDir = "."): Promise<ReportData> {
  return buildReport(await collectEvidence(stack, projectDir));
}

/**
 * The report from a plan already made, and charts already synthesized when the caller has them (`npm start`
 * plans and synthesizes once for its files and the report).
 */
export function reportFromPlan(
  config: BulwarkConfig,
  plan: Plan,
  charts: readonly SynthesizedChart[] = synthesizeApp(buildBulwarkApp(config)),
): ReportData {
  return buildReport({ config, plan, charts, suites: runPolicySuites() });
}

/** Writes `<file>` (Markdown) and its JSON twin next to it (`report.json` for `report.md`). */
export function writeReport(data: ReportData, file: string): { markdown: string; json: string } {
  const json = file.replace(/\.md$/, "") + ".json";
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, toMarkdown(data), "utf8");
  writeFileSync(json, `${JSON.stringify(toJson(data), null, 2)}\n`, "utf8");
  return { markdown: file, json };
}
