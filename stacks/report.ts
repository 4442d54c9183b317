import { loadStackFile } from "../config/load";
import { formatSummaryLine, generateReport, writeReport } from "../report";
import { outputFile, parseCommandLine, runCommand } from "./cli";

export const REPORT_USAGE = `Usage: npm run report -- [--stack <name>] [--out <file>] [--fail-on-missing]

Maps every control of the catalog to its evidence for one stack, offline: plans the stack under the mock
engine, synthesizes its manifests and runs the policy suites, then writes the Markdown report and its JSON
twin (<file> with .json), with the network reachability diagram and the RBAC attack-path section.

  --stack <name>      stack file Pulumi.<name>.yaml (default: dev)
  --out <file>        Markdown output (default: dist/report.md; JSON twin: dist/report.json)
  --fail-on-missing   exit 1 when a control is missing or a tenant identity has a path to cluster-admin
  --help              show this text`;

export function reportMain(argv: readonly string[]): Promise<void> {
  return runCommand(REPORT_USAGE, async () => {
    const { values } = parseCommandLine(argv, { stack: { type: "string" }, out: { type: "string" }, "fail-on-missing": { type: "boolean" }, help: { type: "boolean" } });
    if (values.help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    const stack = values.stack ?? "dev";
    loadStackFile(stack); // bad input stops here: exit 2, nothing written
    const file = outputFile("--out", values.out ?? "dist/report.md");
    outputFile("--out", file.replace(/\.md$/, "") + ".json");
    process.stderr.write(`report: planning and synthesizing stack ${stack}...\n`);
    const data = await generateReport(stack);
    const written = writeReport(data, file);
    process.stdout.write(`${formatSummaryLine(data, written.markdown)}\n`);
    const failing = data.summary.missing > 0 || data.rbac.tenantPathsToClusterAdmin.length > 0;
    return values["fail-on-missing"] && failing ? 1 : 0;
  });
}

if (require.main === module) void reportMain(process.argv.slice(2));
