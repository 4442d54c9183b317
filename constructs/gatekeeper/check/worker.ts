/**
 * A `check` worker thread (see parallel.ts): compiles the policy set once, then answers each task (a batch
 * of documents) with its results. Every reply, an error too, bumps the shared counter the main thread waits on.
 */
import { workerData } from "node:worker_threads";
import { PolicySet } from "../engine/evaluator";
import type { InputProblem } from "./manifests";
import type { WorkerReply, WorkerSetup, WorkerTask } from "./parallel";
import type { CheckResult, RunContext } from "./results";
import { checkDocuments } from "./stream";

const setup = workerData as WorkerSetup;
const counter = new Int32Array(setup.signal);

function reply(message: WorkerReply): void {
  setup.port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

try {
  const policySet = PolicySet.fromObjects(setup.gatekeeperObjects);
  const context: RunContext = { defaultNamespace: setup.defaultNamespace, namespaceLabels: new Map(setup.namespaceLabels), baseDir: setup.baseDir };
  setup.port.on("message", (task: WorkerTask) => {
    try {
      const results: CheckResult[] = [];
      const problems: InputProblem[] = [];
      const done = checkDocuments(policySet, task, context, results, problems);
      reply({ id: task.id, results: done ? results : [], problems: done ? problems : [], declined: !done });
    } catch (error) {
      reply({ id: task.id, error: errorText(error) });
    }
  });
} catch (error) {
  reply({ id: -1, error: errorText(error) });
}
