/**
 * `check` as a library: evaluates Kubernetes manifests against the SYNTHESIZED Gatekeeper objects of a
 * stack (the same templates and constraints `npm run synth` emits), offline. Used by `stacks/check.ts`
 * (the CLI), by the tests, and by app repositories.
 *
 *   const checker = createChecker({ config, bundle: "pss-restricted", pssVersion: "v1.30" });
 *   checker.checkObject(pod)            // → Violation[]
 *   checker.checkPaths(["k8s/"], { namespace: "payments" })  // → CheckReport, or throws CheckInputError
 */
import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { App } from "cdk8s";
import type { BulwarkConfig } from "../../../config/model";
import type { Violation } from "../engine/evaluator";
import { PolicySet } from "../engine/evaluator";
import type { GatekeeperChartsOptions } from "../index";
import { addGatekeeperCharts } from "../index";
import { allowedRegistriesOf } from "../bundle/bundle";
import type { CheckInputs, DockerfileResult } from "./inputs";
import { checkDockerfiles } from "./inputs";
import { checkUnitsParallel } from "./parallel";
import { checkUnitsHere, planInputs } from "./stream";
import { admissionView } from "./admission";
import type { CheckResult, RunContext } from "./results";
import { checkPrepared, namespaceEntryOf, prepareObject, summarize } from "./results";

export type { CheckResult } from "./results";
import type { InputObject } from "./manifests";
import { CheckInputError } from "./manifests";

export type { Violation } from "../engine/evaluator";

/** Options of {@link createChecker}. */
export interface CheckerOptions extends GatekeeperChartsOptions {
  readonly config: BulwarkConfig;
}

/** The outcome of a run. */
export interface CheckReport {
  readonly results: readonly CheckResult[];
  /** Dockerfiles checked, in input order. */
  readonly dockerfiles: readonly DockerfileResult[];
  readonly summary: {
    readonly objects: number;
    /** Deny-level violations and Dockerfile findings. */
    readonly deny: number;
    readonly warn: number;
    readonly dryrun: number;
    /** Objects with a pod template not checked. */
    readonly unchecked: number;
    readonly dockerfiles: number;
  };
}

/** Options of a run: the default namespace, the base of reported paths, Dockerfile allowlists. */
export interface CheckRunOptions {
  /** Namespace of namespaced objects without one. @default "default" */
  readonly namespace?: string;
  /** Reported file paths are relative to this folder. @default paths as given */
  readonly baseDir?: string;
  /** Base images allowed in Dockerfiles besides the allowed registries (see DockerfileRuleOptions). @default [] */
  readonly allowedBaseImages?: readonly string[];
  /**
   * Worker threads that read and check the documents (results and their order are the same as on one
   * thread); 0 or 1 checks on this thread.
   * @default one per available core when the input has at least {@link PARALLEL_MIN_DOCUMENTS} documents, else 0
   */
  readonly workers?: number;
}

/** Below this many documents, starting workers (each compiles the policies) costs more than it saves. */
export const PARALLEL_MIN_DOCUMENTS = 20000;

/** Worker threads for a run of `documents` documents (see {@link CheckRunOptions.workers}). */
export function workerCount(workers: number | undefined, documents: number): number {
  if (workers !== undefined) return workers;
  return documents >= PARALLEL_MIN_DOCUMENTS ? availableParallelism() : 0;
}

/** A compiled checker for one stack, bundle and PSS version. CEL is compiled once, at creation. */
export interface Checker {
  readonly policySet: PolicySet;
  /** The synthesized Gatekeeper objects the checker evaluates. */
  readonly gatekeeperObjects: readonly Record<string, unknown>[];
  /** Violations of one object (its namespace used as given). */
  checkObject(object: Readonly<Record<string, unknown>>, namespaceLabels?: ReadonlyMap<string, Readonly<Record<string, string>>>): Violation[];
  /** Checks objects already read; `namespace` fills in namespaced objects without one. */
  checkObjects(objects: readonly InputObject[], options?: CheckRunOptions, dockerfiles?: readonly DockerfileResult[]): CheckReport;
  /** Reads and checks files and folders (manifests, Dockerfiles); throws {@link CheckInputError} when any input is bad. */
  checkPaths(paths: readonly string[], options?: CheckRunOptions): CheckReport;
  /** As checkPaths, with Dockerfiles given explicitly and standard input as `-`. */
  checkInputs(inputs: CheckInputs, options?: CheckRunOptions, stdin?: () => string): CheckReport;
}

/** The synthesized Gatekeeper objects of a stack (what `npm run synth` writes for the Gatekeeper charts). */
export function synthesizeGatekeeperObjects(options: CheckerOptions): Record<string, unknown>[] {
  const app = new App({ outdir: "unused" });
  addGatekeeperCharts(app, options.config, options);
  return app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
}

/** Builds a checker from a stack config. */
export function createChecker(options: CheckerOptions): Checker {
  return createCheckerFromObjects(synthesizeGatekeeperObjects(options));
}

/** Builds a checker from Gatekeeper objects already synthesized (e.g. a policy bundle's). */
export function createCheckerFromObjects(gatekeeperObjects: readonly Record<string, unknown>[]): Checker {
  const allowedRegistries = allowedRegistriesOf(gatekeeperObjects);
  const policySet = PolicySet.fromObjects(gatekeeperObjects);
  const checker: Checker = {
    policySet,
    gatekeeperObjects,
    // Policies judge what admission sees: the API server's pruning and defaulting applied first.
    checkObject: (object, namespaceLabels) => policySet.evaluate(admissionView(object), { namespaceLabels }),
    checkObjects(objects, opts = {}, dockerfiles = []) {
      const defaultNamespace = opts.namespace ?? "default";
      const prepared = objects.map((input) => prepareObject(input.object, defaultNamespace));
      const namespaceLabels = new Map<string, Record<string, string>>();
      for (const { object } of prepared) {
        const entry = namespaceEntryOf(object);
        if (entry) namespaceLabels.set(...entry);
      }
      const context: RunContext = { defaultNamespace, namespaceLabels, baseDir: opts.baseDir };
      const results = objects.map((input, i) => checkPrepared(policySet, input, prepared[i], context));
      return report(results, dockerfiles, opts);
    },
    checkPaths(paths, opts = {}) {
      return checker.checkInputs({ paths }, opts);
    },
    checkInputs(inputs, opts = {}, stdin) {
      const defaultNamespace = opts.namespace ?? "default";
      const plan = planInputs(inputs, defaultNamespace, stdin);
      const context: RunContext = { defaultNamespace, namespaceLabels: plan.namespaceLabels, baseDir: opts.baseDir };
      const workers = workerCount(opts.workers, plan.documents);
      const perUnit =
        workers > 1 ? checkUnitsParallel(gatekeeperObjects, policySet, plan.units, context, workers) : checkUnitsHere(policySet, plan.units, context);
      const results = perUnit.flat();
      const problems = [...plan.problems, ...plan.units.flatMap((unit) => unit.problems)];
      if (inputs.paths.length === 0 && (inputs.dockerfiles ?? []).length === 0) {
        problems.push({ file: "(arguments)", message: "no PATH given; name the manifest files or folders to check" });
      } else if (problems.length === 0 && results.length === 0 && plan.dockerfiles.length === 0) {
        // An empty folder, a wrong glob or comment-only files would otherwise pass as "no violation".
        problems.push({
          file: inputs.paths.join(" "),
          message: "no Kubernetes objects found (.yaml, .yml and .json files with apiVersion and kind); name the manifests to check",
        });
      }
      const dockerfileResults = checkDockerfiles(plan.dockerfiles, { allowedRegistries, allowedBaseImages: opts.allowedBaseImages }, problems);
      if (problems.length > 0) throw new CheckInputError(problems);
      return report(results, dockerfileResults, opts);
    },
  };
  return checker;
}

/** A report of results in input order, with paths relative to the base folder when one is given. */
function report(results: readonly CheckResult[], dockerfiles: readonly DockerfileResult[], opts: CheckRunOptions): CheckReport {
  const relativeDockerfiles = dockerfiles.map((d) => (opts.baseDir ? { ...d, file: relative(opts.baseDir, d.file) } : d));
  return { results, dockerfiles: relativeDockerfiles, summary: summarize(results, dockerfiles) };
}

/** Exit code of a report: 1 when any deny-level violation or Dockerfile finding (or, if asked, an unchecked object), else 0. */
export function exitCodeOf(report: CheckReport, options: { readonly failOnUnchecked?: boolean } = {}): 0 | 1 {
  return report.summary.deny > 0 || (options.failOnUnchecked === true && report.summary.unchecked > 0) ? 1 : 0;
}
