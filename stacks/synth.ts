import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadStackFile } from "../config/load";
import { buildBulwarkApp } from "../constructs/app";
import type { SynthesizedChart } from "../constructs/synthesize";
import { synthesizeApp, writeCharts } from "../constructs/synthesize";
import { outputDirectory, parseCommandLine, runCommand } from "./cli";
import { STACK_OPTIONS, stackLocation } from "./stack-source";

export const SYNTH_USAGE = `Usage: npm run synth -- [--stack <name> | --stack-file <path>] [--out <dir>]

Writes the stack's Kubernetes objects (namespace baselines, Gatekeeper templates and constraints) as YAML,
one file per chart. The same stack file always gives byte-identical files.

  --stack <name>  stack file Pulumi.<name>.yaml to read (default: dev)
  --stack-file <path>  a stack file Pulumi.<name>.yaml in another folder (instead of --stack)
  --out <dir>     output directory (default: dist)
  --help          show this text

Examples:
  npm run synth -- --stack dev --out dist
  bulwark synth --stack prod --out manifests/ && kubectl apply -f manifests/`;

/** What a synth wrote: files and object counts by kind, and the charts themselves. */
export interface SynthResult {
  readonly charts: readonly SynthesizedChart[];
  readonly files: readonly string[];
  readonly objects: number;
  readonly kinds: Readonly<Record<string, number>>;
}

/** Synthesizes the stack's manifests into `outdir`, replacing any earlier `*.k8s.yaml` there. */
export function synthStack(stack: string, outdir: string, projectDir = "."): SynthResult {
  const config = loadStackFile(stack, projectDir);
  const app = buildBulwarkApp(config, { outdir });
  mkdirSync(outdir, { recursive: true });
  for (const file of readdirSync(outdir)) {
    if (file.endsWith(".k8s.yaml")) rmSync(join(outdir, file));
  }
  const charts = synthesizeApp(app);
  const files = writeCharts(charts, outdir);
  const kinds: Record<string, number> = {};
  let objects = 0;
  for (const chart of charts) {
    for (const object of chart.objects) {
      // Constraints have one kind per policy: count them together.
      const kind = String(object.apiVersion).startsWith("constraints.gatekeeper.sh/") ? "Constraint" : String(object.kind);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      objects++;
    }
  }
  return { charts, files, objects, kinds };
}

/** Human summary of a synth. */
export function formatSynthSummary(result: SynthResult): string {
  const kinds = Object.entries(result.kinds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(", ");
  return `synth: ${result.objects} objects in ${result.files.length} files (${kinds})\n${result.files.map((f) => `  ${f}`).join("\n")}`;
}

export function synthMain(argv: readonly string[]): Promise<void> {
  return runCommand(SYNTH_USAGE, () => {
    const { values } = parseCommandLine(argv, { ...STACK_OPTIONS, out: { type: "string" }, help: { type: "boolean" } });
    if (values.help) {
      process.stdout.write(`${SYNTH_USAGE}\n`);
      return 0;
    }
    const { stack, projectDir } = stackLocation(values);
    loadStackFile(stack, projectDir); // bad input stops here, before --out is looked at
    const result = synthStack(stack, outputDirectory("--out", values.out ?? "dist"), projectDir);
    process.stdout.write(`${formatSynthSummary(result)}\n`);
    return 0;
  });
}

if (require.main === module) void synthMain(process.argv.slice(2));
