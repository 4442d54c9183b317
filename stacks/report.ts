import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadStackFile } from "../config/load";
import type { BulwarkConfig } from "../config/model";
import { buildBulwarkApp } from "../constructs/app";
import { runSuite } from "../constructs/gatekeeper/engine/suite";
import { loadPolicies, POLICIES_DIR } from "../constructs/gatekeeper/policy";
import type { SynthesizedChart } from "../constructs/synthesize";
import { synthesizeApp } from "../constructs/synthesize";
import type { Plan } from "../lib/plan/engine";
import type { EvidenceContext, ReportData, SuiteSummary } from "../report";
import { buildReport, formatSummaryLine, reportFails, toJson, toMarkdown } from "../report";
import { outputFile, parseCommandLine, runCommand } from "./cli";
import { planStack } from "./plan";

export const REPORT_USAGE = `Usage: npm run report -- [--stack <name>] [--out <file>] [--fail-on-missing]

Maps every control of the catalog to its evidence for one stack, offline: plans the stack under the mock
engine, synthesizes its manifests and runs the policy suites, then writes the Markdown report and its JSON
twin (<file> with .json), with the network reachability diagram and the RBAC attack-path section.

  --stack <name>      stack file Pulumi.<name>.yaml (default: dev)
  --out <file>        Markdown output (default: dist/report.md; JSON twin: dist/report.json)
  --fail-on-missing   exit 1 when a control is missing or a tenant identity has a path to cluster-admin
  --help              show this text

Examples:
  npm run report -- --stack dev
  bulwark report --stack prod --out reports/prod.md --fail-on-missing`;

/** Runs every policy folder's suite through the offline engine (the same runner test/gatekeeper uses). */
export function runPolicySuites(dir: string = POLICIES_DIR): Record<string, SuiteSummary> {
  const suites: Record<string, SuiteSummary> = {};
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const folder of folders) {
    const file = join(dir, folder, "suite.yaml");
    if (!existsSync(file)) continue;
    try {
      const results = runSuite(file);
      suites[folder] = { cases: results.length, failures: results.flatMap((r) => r.failures.map((f) => `${r.test}/${r.name}: ${f}`)) };
    } catch (error) {
      suites[folder] = { cases: 0, failures: [`suite cannot run: ${(error as Error).message}`] };
    }
  }
  return suites;
}

/**
 * The report's whole input from a plan already made, and charts already synthesized when the caller has
 * them (`npm start` plans and synthesizes once for its files and the report); the policy definitions are
 * read and their suites run here.
 */
export function evidenceFromPlan(
  config: BulwarkConfig,
  plan: Plan,
  charts: readonly SynthesizedChart[] = synthesizeApp(buildBulwarkApp(config)),
  today: Date = new Date(),
): EvidenceContext {
  return { config, plan, charts, policies: loadPolicies(), suites: runPolicySuites(), today };
}

/**
 * Plans `stack` under the mock engine, synthesizes it and runs the policy suites: the report's whole input.
 * `today` is the day EKS support is judged on (the plan itself is made as `pulumi up` would be, today).
 */
export async function collectEvidence(stack: string, projectDir = ".", today: Date = new Date()): Promise<EvidenceContext> {
  const config = loadStackFile(stack, projectDir);
  return evidenceFromPlan(config, await planStack(stack, projectDir), undefined, today);
}

/** Writes `<file>` (Markdown) and its JSON twin next to it (`report.json` for `report.md`). */
export function writeReport(data: ReportData, file: string): { markdown: string; json: string } {
  const json = file.replace(/\.md$/, "") + ".json";
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, toMarkdown(data), "utf8");
  writeFileSync(json, `${JSON.stringify(toJson(data), null, 2)}\n`, "utf8");
  return { markdown: file, json };
}

export function reportMain(argv: readonly string[]): Promise<void> {
  return runCommand(REPORT_USAGE, async () => {
    const { values } = parseCommandLine(argv, {
      stack: { type: "string" },
      out: { type: "string" },
      "fail-on-missing": { type: "boolean" },
      help: { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    const stack = values.stack ?? "dev";
    loadStackFile(stack); // bad input stops here: exit 2, nothing written
    const file = outputFile("--out", values.out ?? "dist/report.md");
    outputFile("--out", file.replace(/\.md$/, "") + ".json");
    process.stderr.write(`report: planning and synthesizing stack ${stack}...\n`);
    const data = buildReport(await collectEvidence(stack));
    const written = writeReport(data, file);
    process.stdout.write(`${formatSummaryLine(data, written.markdown)}\n`);
    return values["fail-on-missing"] && reportFails(data) ? 1 : 0;
  });
}

if (require.main === module) void reportMain(process.argv.slice(2));
