/**
 * The `pulumi-up` judge: the real Pulumi engine applies the blueprint's in-cluster layer, in existing-cluster
 * mode (`bulwark:deploy.target: existing`), to the loopback kube-apiserver of the conformance tier, with its
 * Gatekeeper manager running beside it as a process.
 *
 *   runPulumiUpJudge()                    // from the conformance runner
 *   npx tsx conformance/pulumi/index.ts   // standalone: prints the result, exit 1 on any failure, 2 without Go
 *
 * Cases: `pulumi up` succeeds; every synthesized object is in the API server with the same fields; every
 * ConstraintTemplate reported ready before the first constraint was created (observed in the API server);
 * `pulumi preview --expect-no-changes` passes (a second run changes nothing); `pulumi destroy` removes every
 * resource, none of which is protected in this mode (the cluster is not Bulwark's).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { buildBulwarkApp } from "../../constructs/app";
import { synthesizeApp } from "../../constructs/synthesize";
import type { Cluster } from "../apiserver/cluster";
import { ensureTools, withCluster } from "../apiserver/cluster";
import type { KubeObject } from "../apiserver/client";
import { waitFor } from "../apiserver/client";
import { applyCrds, gatekeeperCrdDocuments, vendoredCrdDocuments } from "../apiserver/dry-run";
import { startGatekeeper } from "../apiserver/gatekeeper";
import { REPO_ROOT, pinnedVersion } from "../apiserver/manifests";
import type { Disagreement, JudgeResult } from "../judge";
import type { PulumiTools, StepEvent } from "./engine";
import { conformanceStack, ensurePulumiTools, stepRecorder } from "./engine";
import { finalizeDeleted, liveObject, objectId, specDifferences, watchTemplatesReady } from "./observe";
import { CONFORMANCE_STACK, conformanceConfig, conformanceProgram, conformanceStackEntries } from "./program";

/** What one case found. */
interface CaseResult {
  readonly case: string;
  readonly ok: boolean;
  readonly detail: string;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

async function timedStep<T>(durations: Record<string, number>, name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    durations[name] = seconds(Date.now() - started);
  }
}

/** Starts the Gatekeeper manager once the chart's CRDs (installed by the Helm release) are served. */
async function startManagerAfterCrds(cluster: Cluster, tools: { gatekeeper: string; module: string }, log: (line: string) => void): Promise<void> {
  const crds = gatekeeperCrdDocuments(tools.module).map((d) => String(d.object.metadata?.name));
  await waitFor(
    `the Gatekeeper chart's ${crds.length} CRDs`,
    15 * 60_000,
    async () => {
      const res = await cluster.client.send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
      const served = new Set(((res.body.items as KubeObject[] | undefined) ?? []).map((item) => String(item.metadata?.name)));
      return crds.every((name) => served.has(name));
    },
    500,
  );
  await startGatekeeper(cluster, tools.gatekeeper, tools.module, log);
}

/** Every synthesized object, read back: present, with the same fields. */
async function compareObjects(cluster: Cluster, objects: readonly KubeObject[]): Promise<CaseResult[]> {
  await cluster.client.discover();
  const results: CaseResult[] = [];
  for (const object of objects) {
    const { live, problem } = await liveObject(cluster.client, object);
    const differences = problem ? [problem] : specDifferences(object, live);
    results.push({
      case: `present with the same spec: ${objectId(object)}`,
      ok: differences.length === 0,
      detail: differences.slice(0, 5).join("; ") || "same",
    });
  }
  return results;
}

/** Templates ready (observed) before the first constraint step started (engine events). */
function orderCase(
  events: readonly StepEvent[],
  readyAtMs: ReadonlyMap<string, number>,
  templateNames: readonly string[],
): CaseResult & { order: Record<string, unknown> } {
  const constraintStarts = events.filter((e) => e.phase === "pre" && e.type.startsWith("kubernetes:constraints.gatekeeper.sh/")).map((e) => e.atMs);
  const firstConstraint = Math.min(...constraintStarts);
  const notReady = templateNames.filter((name) => !readyAtMs.has(name));
  const late = templateNames.filter((name) => (readyAtMs.get(name) ?? Infinity) > firstConstraint);
  const lastReady = Math.max(...templateNames.map((name) => readyAtMs.get(name) ?? Infinity));
  const ok = constraintStarts.length > 0 && notReady.length === 0 && late.length === 0;
  const detail = ok
    ? `${templateNames.length} templates reported status.created ${seconds(firstConstraint - lastReady)} s before the first of ${constraintStarts.length} constraints was created`
    : `constraints: ${constraintStarts.length}; never ready: ${notReady.join(", ") || "none"}; ready only after the first constraint: ${late.join(", ") || "none"}`;
  const order = {
    templatesReady: templateNames.length - notReady.length,
    lastTemplateReadyBeforeFirstConstraintS: seconds(firstConstraint - lastReady),
    constraintsCreated: constraintStarts.length,
  };
  return { case: "ConstraintTemplates ready before constraints (observed)", ok, detail, order };
}

/** Kinds in the order the engine finished creating them (first completion of each resource type). */
function typeOrder(events: readonly StepEvent[]): string[] {
  const order: string[] = [];
  for (const e of events) {
    const type = e.type.startsWith("kubernetes:constraints.gatekeeper.sh/") ? "kubernetes:constraints.gatekeeper.sh/*" : e.type;
    if (e.phase === "outputs" && e.op === "create" && !order.includes(type)) order.push(type);
  }
  return order;
}

async function upAndVerify(
  stack: Stack,
  cluster: Cluster,
  objects: readonly KubeObject[],
  durations: Record<string, number>,
  figures: Record<string, unknown>,
): Promise<CaseResult[]> {
  const events: StepEvent[] = [];
  const watcher = watchTemplatesReady(cluster.client);
  let up;
  try {
    up = await timedStep(durations, "up", () => stack.up({ onEvent: stepRecorder(events), onOutput: (text) => process.stderr.write(text), color: "never" }));
  } finally {
    await watcher.stop();
  }
  const state = (await stack.exportStack()).deployment as { resources?: { urn: string; type: string; protect?: boolean }[] };
  const resources = state.resources ?? [];
  figures.resources = { total: resources.length, protected: resources.filter((r) => r.protect).length, changes: up.summary.resourceChanges };
  figures.createdTypesInOrder = typeOrder(events);
  const templateNames = objects.filter((o) => o.kind === "ConstraintTemplate").map((o) => String(o.metadata?.name));
  const order = orderCase(events, watcher.readyAtMs, templateNames);
  figures.order = order.order;
  const upCase = {
    case: "pulumi up --yes",
    ok: up.summary.result === "succeeded",
    detail: `${up.summary.result}: ${JSON.stringify(up.summary.resourceChanges)}`,
  };
  return [upCase, order, ...(await compareObjects(cluster, objects))];
}

async function previewAndDestroy(
  stack: Stack,
  cluster: Cluster,
  objects: readonly KubeObject[],
  durations: Record<string, number>,
  figures: Record<string, unknown>,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  try {
    const preview = await timedStep(durations, "previewExpectNoChanges", () => stack.preview({ expectNoChanges: true, color: "never" }));
    results.push({ case: "pulumi preview --expect-no-changes (a second run changes nothing)", ok: true, detail: JSON.stringify(preview.changeSummary) });
  } catch (error) {
    results.push({ case: "pulumi preview --expect-no-changes (a second run changes nothing)", ok: false, detail: (error as Error).message.slice(-1500) });
  }
  const namespaces = objects.filter((o) => o.kind === "Namespace").map((o) => String(o.metadata?.name));
  const finalizer = finalizeDeleted(cluster.client, objects);
  let destroy;
  try {
    destroy = await timedStep(durations, "destroy", () => stack.destroy({ onOutput: (text) => process.stderr.write(text), color: "never" }));
  } finally {
    figures.finalizedForTheMissingControllers = await finalizer.stop();
  }
  const left = ((await stack.exportStack()).deployment as { resources?: unknown[] }).resources ?? [];
  const gone = await Promise.all(namespaces.map(async (ns) => (await cluster.client.send("GET", `/api/v1/namespaces/${ns}`)).status === 404));
  const detail = `${destroy.summary.result}: ${JSON.stringify(destroy.summary.resourceChanges)}; ${left.length} resources left in state; tenant namespaces gone: ${gone.filter(Boolean).length}/${namespaces.length}`;
  results.push({
    case: "pulumi destroy (nothing protected in existing-cluster mode)",
    ok: destroy.summary.result === "succeeded" && left.length === 0 && gone.every(Boolean),
    detail,
  });
  return results;
}

async function judge(
  cluster: Cluster,
  tools: PulumiTools & { gatekeeper: string; module: string },
  log: (line: string) => void,
  figures: Record<string, unknown>,
): Promise<CaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-pulumi-"));
  const durations: Record<string, number> = {};
  figures.durationsS = durations;
  try {
    const entries = conformanceStackEntries(REPO_ROOT, cluster.kubeconfig, tools.module);
    const config = conformanceConfig(entries);
    const objects = synthesizeApp(buildBulwarkApp(config)).flatMap((chart) => chart.objects as KubeObject[]);
    // The CRDs an EKS cluster has before Bulwark (the VPC CNI's ClusterNetworkPolicy), as the apiserver tier applies them.
    await applyCrds(cluster.client, vendoredCrdDocuments(REPO_ROOT));
    const stack = await conformanceStack(dir, tools, CONFORMANCE_STACK, entries, conformanceProgram);
    const manager = startManagerAfterCrds(cluster, tools, log);
    const results = await upAndVerify(stack, cluster, objects, durations, figures);
    await manager;
    log(`conformance/pulumi: pulumi up done in ${durations.up} s`);
    results.push(...(await previewAndDestroy(stack, cluster, objects, durations, figures)));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds (or reuses) the engines, runs the judge against a fresh loopback cluster, always tears it down. */
export async function runPulumiUpJudge(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<JudgeResult & { figures: Record<string, unknown> }> {
  const pulumiTools = ensurePulumiTools();
  const apiTools = ensureTools(["kube-apiserver", "etcd", "gatekeeper-module", "gatekeeper"]);
  if (!apiTools["kube-apiserver"] || !apiTools.etcd || !apiTools.gatekeeper || !apiTools["gatekeeper-module"])
    throw new Error("conformance/apiserver/tools.sh printed no kube-apiserver, etcd or gatekeeper path");
  const tools = { ...pulumiTools, gatekeeper: apiTools.gatekeeper, module: apiTools["gatekeeper-module"] };
  const figures: Record<string, unknown> = {
    engine: `pulumi ${pinnedVersion("PULUMI_VERSION")}, pulumi-resource-kubernetes ${pinnedVersion("PULUMI_KUBERNETES_PROVIDER_RELEASE")}`,
    notes: [
      "The Gatekeeper chart comes from the gatekeeper/v3 module in the Go module cache (charts/gatekeeper) through bulwark:deploy.charts.gatekeeper.path.",
      "No nodes: the Helm releases are applied with skipAwait and without hooks, and without the chart's webhook configuration (test-only transform); the Gatekeeper manager runs as a loopback process and reports template readiness.",
      "No kube-controller-manager: on destroy the judge drops the foregroundDeletion finalizer (the garbage collector's step; no object has dependents) and finalizes emptied namespaces (the namespace controller's step); ResourceQuotas are not awaited (test-only transform).",
      "The ClusterNetworkPolicy CRD (EKS's VPC CNI installs it) is applied from test/fixtures/crds before pulumi up.",
      "The program runs as an Automation API inline program (pulumi-language-nodejs is not served by the Go module proxy).",
      "Helm keeps the chart's CRDs on uninstall (Helm's crds/ policy); nothing is protected in existing-cluster mode.",
    ],
  };
  const cases = await withCluster({ tools: { "kube-apiserver": apiTools["kube-apiserver"], etcd: apiTools.etcd }, timeoutMs: 40 * 60_000 }, (cluster) =>
    judge(cluster, tools, log, figures),
  );
  const failed = cases.filter((c) => !c.ok);
  const disagreements: Disagreement[] = failed.map((c) => ({ case: c.case, detail: c.detail }));
  figures.cases = cases.filter((c) => !c.case.startsWith("present with the same spec")).map((c) => `${c.ok ? "ok" : "FAILED"}: ${c.case}: ${c.detail}`);
  return {
    name: "pulumi-up",
    version: String(figures.engine),
    cases: cases.length,
    passed: cases.length - failed.length,
    failed: failed.length,
    disagreements,
    figures,
  };
}

if (require.main === module) {
  runPulumiUpJudge()
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exitCode = result.failed > 0 || result.cases === 0 ? 1 : 0;
    })
    .catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = status === 2 ? 2 : 1;
    });
}
