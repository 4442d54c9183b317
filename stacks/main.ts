import { join } from "node:path";
import { loadStackFile } from "../config/load";
import { buildReport, formatSummaryLine, reportFails } from "../report";
import { outputDirectory, outputFile, parseCommandLine, runCommand } from "./cli";
import { countByType, formatPlanSummary, planStack, writePlan } from "./plan";
import { evidenceFromPlan, writeReport } from "./report";
import { STACK_OPTIONS, stackLocation } from "./stack-source";
import { formatSynthSummary, synthStack } from "./synth";

export const MAIN_USAGE = `Usage: npm start -- [--stack <name> | --stack-file <path>] [--out <dir>]

The main job, offline (no cloud account, no Pulumi CLI): validates the stack file, plans the whole
Pulumi program under the mock engine (<dir>/plan.json), synthesizes the Kubernetes manifests
(<dir>/*.k8s.yaml) and writes the control report (<dir>/report.md and report.json), then prints a
short summary.

  --stack <name>  stack file Pulumi.<name>.yaml (default: dev)
  --stack-file <path>  a stack file Pulumi.<name>.yaml in another folder (instead of --stack)
  --out <dir>     output directory (default: dist)
  --fail-on-missing  exit 1 when a control is missing or a tenant identity has a path to cluster-admin
  --help          show this text

Examples:
  npm start -- --stack dev
  bulwark start --stack prod --out dist/prod --fail-on-missing`;

export function main(argv: readonly string[]): Promise<void> {
  return runCommand(MAIN_USAGE, async () => {
    const { values } = parseCommandLine(argv, { ...STACK_OPTIONS, out: { type: "string" }, "fail-on-missing": { type: "boolean" }, help: { type: "boolean" } });
    if (values.help) {
      process.stdout.write(`${MAIN_USAGE}\n`);
      return 0;
    }
    const { stack, projectDir } = stackLocation(values);
    const config = loadStackFile(stack, projectDir); // bad input stops here: exit 2, nothing written
    const outdir = outputDirectory("--out", values.out ?? "dist");
    for (const name of ["plan.json", "report.md", "report.json"]) outputFile("--out", join(outdir, name));
    process.stderr.write(`bulwark: stack ${stack} (cluster ${config.cluster.name}, ${config.tenants.length} tenants)\n`);
    const plan = await planStack(stack, projectDir);
    const planFile = join(outdir, "plan.json");
    writePlan(plan, planFile);
    const synth = synthStack(stack, outdir, projectDir);
    const report = buildReport(evidenceFromPlan(config, plan, synth.charts));
    const reportFile = writeReport(report, join(outdir, "report.md")).markdown;
    const top = countByType(plan.resources)
      .filter(([type]) => type.startsWith("aws:eks") || type.startsWith("aws:kms") || type.includes("helm") || type.includes("gatekeeper.sh"))
      .map(([type, n]) => `  ${String(n).padStart(3)} ${type}`);
    process.stdout.write(`${formatPlanSummary(plan, planFile)}\n${top.join("\n")}\n${formatSynthSummary(synth)}\n${formatSummaryLine(report, reportFile)}\n`);
    return values["fail-on-missing"] && reportFails(report) ? 1 : 0;
  });
}

if (require.main === module) void main(process.argv.slice(2));
