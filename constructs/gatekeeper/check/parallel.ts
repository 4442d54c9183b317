/**
 * The second pass of a streaming run (stream.ts) on worker threads: each worker compiles the policy set
 * once, then reads and checks batches of documents; results come back in input order, exactly as one
 * thread would give them. The API stays synchronous: this thread waits on a shared counter the workers
 * bump after each reply (Atomics.wait) and takes the replies with receiveMessageOnPort.
 */
import { extname, join } from "node:path";
import type { MessagePort } from "node:worker_threads";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { PolicySet } from "../engine/evaluator";
import type { DocumentRange } from "./documents";
import type { InputProblem } from "./manifests";
import type { CheckResult, RunContext } from "./results";
import { shareViolations } from "./results";
import type { InputUnit } from "./stream";
import { checkObjectsUnit, checkWhole } from "./stream";

/** Documents per batch: large enough that messages are few, small enough that the workers stay balanced. */
export const BATCH_DOCUMENTS = 250;
/** A worker that answers nothing for this long is taken as dead. */
const STALL_MILLISECONDS = 120_000;

/** What a worker is started with. */
export interface WorkerSetup {
  readonly gatekeeperObjects: readonly Record<string, unknown>[];
  readonly namespaceLabels: readonly [string, Record<string, string>][];
  readonly defaultNamespace: string;
  readonly baseDir?: string;
  readonly signal: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** One batch: consecutive documents of one file, the text that holds them and their ranges in it. */
export interface WorkerTask {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly ranges: readonly DocumentRange[];
  readonly firstDocument: number;
}

/** A worker's answer to a task (or its failure, id -1 when it could not start). */
export type WorkerReply =
  | { readonly id: number; readonly results: CheckResult[]; readonly problems: InputProblem[]; readonly declined: boolean }
  | { readonly id: number; readonly error: string };

interface Batch {
  readonly unit: number;
  readonly task: WorkerTask;
  reply?: Extract<WorkerReply, { results: CheckResult[] }>;
}

function batchesOf(units: readonly InputUnit[]): Batch[] {
  const batches: Batch[] = [];
  units.forEach((unit, index) => {
    if (unit.kind !== "documents") return;
    for (let from = 0; from < unit.ranges.length; from += BATCH_DOCUMENTS) {
      const slice = unit.ranges.slice(from, from + BATCH_DOCUMENTS);
      const start = slice[0].start;
      const text = unit.text.slice(start, slice[slice.length - 1].end);
      const ranges = slice.map((r) => ({ line: r.line, start: r.start - start, end: r.end - start }));
      batches.push({ unit: index, task: { id: batches.length, file: unit.file, text, ranges, firstDocument: from } });
    }
  });
  return batches;
}

/**
 * The worker script next to this file. As TypeScript (under tsx or jest) it loads through tsx's require
 * hook only: its ESM loader answers on a thread this one would block while it waits.
 */
function startWorker(setup: Omit<WorkerSetup, "port">): { worker: Worker; port: MessagePort } {
  const channel = new MessageChannel();
  const script = join(__dirname, `worker${extname(__filename)}`);
  const worker = new Worker(script, {
    workerData: { ...setup, port: channel.port2 },
    transferList: [channel.port2],
    execArgv: script.endsWith(".ts") ? ["--require", "tsx/cjs"] : [],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  return { worker, port: channel.port1 };
}

/** Every unit's results, in input order, with the documents units checked on `workers` threads. */
export function checkUnitsParallel(
  gatekeeperObjects: readonly Record<string, unknown>[],
  policySet: PolicySet,
  units: readonly InputUnit[],
  context: RunContext,
  workers: number,
): CheckResult[][] {
  const batches = batchesOf(units);
  const signal = new SharedArrayBuffer(4);
  const counter = new Int32Array(signal);
  const setup = {
    gatekeeperObjects,
    namespaceLabels: [...context.namespaceLabels],
    defaultNamespace: context.defaultNamespace,
    baseDir: context.baseDir,
    signal,
  };
  const pool = Array.from({ length: Math.max(1, Math.min(workers, batches.length)) }, () => startWorker(setup));
  let next = 0;
  const give = (port: MessagePort) => {
    if (next < batches.length) port.postMessage(batches[next++].task);
  };
  try {
    for (const { port } of pool) for (let i = 0; i < 2; i++) give(port);
    // Files read whole are checked here while the workers start.
    const results = units.map((unit) => (unit.kind === "objects" ? checkObjectsUnit(policySet, unit.objects, context) : []));
    let answered = 0;
    let lastProgress = Date.now();
    while (answered < batches.length) {
      const seen = Atomics.load(counter, 0);
      let progressed = false;
      for (const { port } of pool) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          const reply = message.message as WorkerReply;
          if ("error" in reply) throw new Error(`check worker failed: ${reply.error}`);
          batches[reply.id].reply = reply;
          answered++;
          progressed = true;
          give(port);
        }
      }
      if (progressed) lastProgress = Date.now();
      else if (Date.now() - lastProgress > STALL_MILLISECONDS) throw new Error(`check workers answered nothing for ${STALL_MILLISECONDS / 1000} s`);
      else Atomics.wait(counter, 0, seen, 1000);
    }
    return assemble(policySet, units, batches, results, context);
  } finally {
    for (const { worker, port } of pool) {
      port.close();
      void worker.terminate();
    }
  }
}

/** Joins the batches of each documents unit; a unit with a declined document is read whole here. */
function assemble(
  policySet: PolicySet,
  units: readonly InputUnit[],
  batches: readonly Batch[],
  results: CheckResult[][],
  context: RunContext,
): CheckResult[][] {
  const byUnit = new Map<number, Batch[]>();
  for (const batch of batches) byUnit.set(batch.unit, [...(byUnit.get(batch.unit) ?? []), batch]);
  for (const [index, unitBatches] of byUnit) {
    const unit = units[index];
    if (unit.kind !== "documents") continue;
    if (unitBatches.some((b) => b.reply!.declined)) {
      results[index] = checkWhole(policySet, unit, context);
      continue;
    }
    // Replies are copies: share their violations here as this thread's own are.
    results[index] = unitBatches.flatMap((b) => b.reply!.results.map((r) => ({ ...r, violations: shareViolations(r.violations) })));
    for (const b of unitBatches) unit.problems.push(...b.reply!.problems);
  }
  return results;
}
