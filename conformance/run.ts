/**
 * `npm run conformance`: builds (or reuses) the pinned real engines with conformance/tools.sh, runs every
 * judge, writes `dist/conformance.json` and ends with `N passed, M failed`. Exit 2 without Go >= 1.26
 * (tools.sh says so), 1 when any case failed, else 0.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { JudgeResult } from "./judge";
import { runDifferential } from "./judges/differential";
import { runGatorVerify } from "./judges/gator-verify";
import { crashedJudge, formatSummary, reportJson, totals } from "./summary";

const PROJECT_DIR = resolve(__dirname, "..");
const POLICIES_DIR = join(PROJECT_DIR, "constructs/gatekeeper/policies");
/** Disagreements printed per judge (all of them are in dist/conformance.json). */
const PRINTED_DISAGREEMENTS = 20;

/** `KEY=value` lines of conformance/versions.env. */
export function readVersions(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) out[match[1]] = match[2];
  }
  return out;
}

/** Runs tools.sh; returns its `tool=path` lines, or exits with its code (2: no suitable Go). */
function buildTools(): Record<string, string> {
  const started = Date.now();
  const run = spawnSync("bash", [join(__dirname, "tools.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 80 * 60_000 });
  if (run.status !== 0) {
    process.stderr.write(`conformance: tools.sh failed (exit ${run.status ?? run.signal})\n`);
    process.exit(run.status === 2 ? 2 : 1);
  }
  const tools: Record<string, string> = {};
  for (const line of run.stdout.split("\n")) {
    const match = /^([a-z-]+)=(.+)$/.exec(line.trim());
    if (match) tools[match[1]] = match[2];
  }
  process.stderr.write(`[conformance] tools ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  return tools;
}

async function timed(name: string, version: string, judge: () => Promise<JudgeResult | JudgeResult[]>): Promise<JudgeResult[]> {
  const started = Date.now();
  try {
    const result = await judge();
    process.stderr.write(`[conformance] ${name} done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    process.stderr.write(`[conformance] ${name} crashed: ${(error as Error).stack ?? String(error)}\n`);
    return [crashedJudge(name, version, error)];
  }
}

/** The API-server judges, when that tier (conformance/apiserver/index.ts) is part of the tree. */
async function apiserverJudges(): Promise<JudgeResult[]> {
  const entry = join(__dirname, "apiserver/index.ts");
  if (!existsSync(entry)) return [];
  const module = (await import(entry)) as { runApiserverJudges: (ctx: { projectDir: string; tools: Record<string, string> }) => Promise<JudgeResult[]> };
  return module.runApiserverJudges({ projectDir: PROJECT_DIR, tools: lastTools });
}

/** The `pulumi-up` judge (conformance/pulumi/index.ts), when that tier is part of the tree. */
async function pulumiUpJudge(): Promise<JudgeResult[]> {
  const entry = join(__dirname, "pulumi/index.ts");
  if (!existsSync(entry)) return [];
  const module = (await import(entry)) as { runPulumiUpJudge: () => Promise<JudgeResult> };
  return [await module.runPulumiUpJudge()];
}

let lastTools: Record<string, string> = {};

async function main(): Promise<void> {
  const started = Date.now();
  const versions = readVersions(join(__dirname, "versions.env"));
  const gatekeeper = `gatekeeper ${versions.GATEKEEPER_VERSION}`;
  lastTools = buildTools();
  const gator = lastTools.gator;
  const workDir = mkdtempSync(join(tmpdir(), "bulwark-conformance-"));
  const judges: JudgeResult[] = [];
  try {
    judges.push(...(await timed("gator-verify", gatekeeper, () => runGatorVerify({ gator, version: gatekeeper, policiesDir: POLICIES_DIR }))));
    judges.push(
      ...(await timed("differential-gator", gatekeeper, () =>
        runDifferential({ gator, version: gatekeeper, projectDir: PROJECT_DIR, policiesDir: POLICIES_DIR, workDir }),
      )),
    );
    judges.push(...(await timed("apiserver", "kube-apiserver", apiserverJudges)));
    judges.push(...(await timed("pulumi-up", `pulumi ${versions.PULUMI_VERSION}`, pulumiUpJudge)));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  mkdirSync(join(PROJECT_DIR, "dist"), { recursive: true });
  writeFileSync(join(PROJECT_DIR, "dist/conformance.json"), reportJson(judges));
  for (const judge of judges) {
    for (const d of judge.disagreements.slice(0, PRINTED_DISAGREEMENTS)) process.stdout.write(`${judge.name}: ${d.case}: ${d.detail}\n`);
    const more = judge.disagreements.length - PRINTED_DISAGREEMENTS;
    if (more > 0) process.stdout.write(`${judge.name}: … ${more} more in dist/conformance.json\n`);
  }
  process.stderr.write(`[conformance] total ${((Date.now() - started) / 1000).toFixed(1)}s; wrote dist/conformance.json\n`);
  process.stdout.write(formatSummary(judges) + "\n");
  process.exitCode = totals(judges).failed > 0 ? 1 : 0;
}

if (require.main === module) {
  void main();
}
