/**
 * The API-server judges (`apiserver-dry-run`, `pod-security-admission`, `rbac`, `gatekeeper-admission`) against
 * one throw-away etcd + kube-apiserver on loopback, with the Gatekeeper manager as a process beside it.
 *
 *   runApiserverJudges()              // from the conformance runner
 *   npx tsx conformance/apiserver/index.ts   // standalone: prints the results, exit 1 on any failure, 2 without Go
 *
 * Order matters: Gatekeeper's CRDs and templates are applied first (the dry-run judge needs the constraint CRDs
 * Gatekeeper makes from them); constraints and the webhook come last, so PSA and RBAC are judged alone.
 */
import { join } from "node:path";
import type { JudgeResult } from "../judge";
import type { Cluster, ToolPaths } from "./cluster";
import { ensureTools, serverVersion, withCluster } from "./cluster";
import { runDecodeJudge } from "./decode";
import { applyCrds, gatekeeperCrdDocuments, runDryRunJudge, vendoredCrdDocuments } from "./dry-run";
import type { GatekeeperSession } from "./gatekeeper";
import { applyTemplates, GATEKEEPER_VERSION, runGatekeeperJudge, startGatekeeper } from "./gatekeeper";
import type { SynthDocument } from "./manifests";
import { REPO_ROOT, synthDocuments } from "./manifests";
import { runPodSecurityJudge } from "./pod-security";
import { runRbacJudge } from "./rbac";

/** Options of {@link runApiserverJudges}. */
export interface ApiserverJudgeContext {
  /**
   * Progress and tables (the RBAC matrix) go here.
   * @default writes to stderr
   */
  readonly log?: (line: string) => void;
  /**
   * Bound on the whole run; the cluster is torn down when it passes.
   * @default 30 minutes
   */
  readonly timeoutMs?: number;
}

/** A judge that could not run: zero cases, one failure naming what went wrong. */
function brokenJudge(name: string, version: string, error: unknown): JudgeResult {
  const detail = error instanceof Error ? error.message : String(error);
  return { name, version, cases: 0, passed: 0, failed: 1, disagreements: [{ case: "(judge could not run)", detail }] };
}

async function judgeAll(
  cluster: Cluster,
  tools: Partial<ToolPaths> & { readonly gatekeeperBuildError?: string },
  log: (line: string) => void,
): Promise<JudgeResult[]> {
  const version = await serverVersion(cluster.client);
  const apiserver = `kube-apiserver ${version}`;
  log(`conformance/apiserver: ${apiserver} ready on 127.0.0.1:${cluster.apiserverPort}`);
  const results: JudgeResult[] = [];
  let gatekeeper: GatekeeperSession | undefined;
  let gatekeeperError: unknown;
  const devDocs: SynthDocument[] = synthDocuments("dev", join(cluster.dir, "synth-dev"));
  try {
    await applyCrds(cluster.client, vendoredCrdDocuments(REPO_ROOT));
    if (!tools["gatekeeper-module"]) throw new Error("the gatekeeper/v3 module was not downloaded (conformance/apiserver/tools.sh gatekeeper-module)");
    await applyCrds(cluster.client, gatekeeperCrdDocuments(tools["gatekeeper-module"]));
    if (!tools.gatekeeper)
      throw new Error(`the Gatekeeper manager was not built: ${tools.gatekeeperBuildError ?? "conformance/apiserver/tools.sh gatekeeper"}`);
    gatekeeper = await startGatekeeper(cluster, tools.gatekeeper, tools["gatekeeper-module"], log);
    await applyTemplates(cluster.client, devDocs);
  } catch (error) {
    const tail = gatekeeper ? `\ngatekeeper log:\n${cluster.logTail("gatekeeper", 40)}` : "";
    gatekeeperError = new Error(`${error instanceof Error ? error.message : String(error)}${tail}`);
    gatekeeper = undefined;
    log(`conformance/apiserver: Gatekeeper did not start: ${(gatekeeperError as Error).message}`);
  }
  const timed = async <T extends JudgeResult>(name: string, run: () => Promise<T>): Promise<T | JudgeResult> => {
    const started = Date.now();
    try {
      const result = await run();
      log(`conformance/apiserver: ${name}: ${result.cases} cases, ${result.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      const notJudged = (result as { notJudged?: readonly { case: string; reason: string }[] }).notJudged ?? [];
      // Objects the API server rejects as invalid never reach admission: listed, not counted as cases.
      for (const n of notJudged) log(`  not judged (invalid before admission): ${n.case}: ${n.reason.slice(0, 160)}`);
      return result;
    } catch (error) {
      log(`conformance/apiserver: ${name} could not run: ${error instanceof Error ? error.message : String(error)}`);
      return brokenJudge(name, apiserver, error);
    }
  };
  results.push(await timed("apiserver-dry-run", () => runDryRunJudge(cluster.client, apiserver)));
  results.push(await timed("apiserver-decode", () => runDecodeJudge(cluster.client, apiserver, devDocs, log)));
  results.push(await timed("pod-security-admission", () => runPodSecurityJudge(cluster.client, version)));
  const rbac = await timed("rbac", () => runRbacJudge(cluster.client, apiserver));
  if ("table" in rbac) log(`rbac can-i matrix (ok = allowed, NO = denied, ! = not what the README claims):\n${String(rbac.table)}`);
  results.push(rbac);
  results.push(
    gatekeeper
      ? await timed("gatekeeper-admission", () => runGatekeeperJudge(cluster, gatekeeper as GatekeeperSession, devDocs, log))
      : brokenJudge("gatekeeper-admission", `gatekeeper ${GATEKEEPER_VERSION}`, gatekeeperError),
  );
  // Judges may add figures of their own (tables, per-stack counts); the runner gets the shared shape only.
  return results.map(({ name, version: v, cases, passed, failed, disagreements }) => ({ name, version: v, cases, passed, failed, disagreements }));
}

/** Builds (or reuses) the engines, runs every API-server judge, always tears the cluster down. */
export async function runApiserverJudges(ctx: ApiserverJudgeContext = {}): Promise<JudgeResult[]> {
  const log = ctx.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tools: Partial<ToolPaths> & { gatekeeperBuildError?: string } = ensureTools(["kube-apiserver", "etcd", "gatekeeper-module"]);
  try {
    Object.assign(tools, ensureTools(["gatekeeper"]));
  } catch (error) {
    // The other judges still run; gatekeeper-admission reports this.
    tools.gatekeeperBuildError = error instanceof Error ? error.message : String(error);
  }
  if (!tools["kube-apiserver"] || !tools.etcd) throw new Error("conformance/apiserver/tools.sh printed no kube-apiserver= or etcd= path");
  const cluster = { tools: { ...tools, "kube-apiserver": tools["kube-apiserver"], etcd: tools.etcd } };
  return withCluster({ ...cluster, timeoutMs: ctx.timeoutMs }, (c) => judgeAll(c, tools, log));
}

/** Standalone entry: results as JSON on stdout, then `N passed, M failed`. */
async function main(): Promise<void> {
  const started = Date.now();
  const results = await runApiserverJudges();
  process.stdout.write(`${JSON.stringify({ judges: results }, null, 2)}\n`);
  const failed = results.filter((r) => r.failed > 0 || r.cases === 0).length;
  process.stdout.write(`apiserver judges took ${((Date.now() - started) / 1000).toFixed(0)} s\n${results.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // tools.sh already printed why (e.g. "needs Go >= 1.26") and exited 2: keep its code.
    const status = (error as { status?: number }).status;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = status === 2 ? 2 : 1;
  });
}
