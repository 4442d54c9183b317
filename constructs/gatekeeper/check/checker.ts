/**
 * `check` as a library: evaluates Kubernetes manifests against the SYNTHESIZED Gatekeeper objects of a
 * stack (the same templates and constraints `npm run synth` emits), offline. Used by `stacks/check.ts`
 * (the CLI), by the tests, and by app repositories.
 *
 *   const checker = createChecker({ config, bundle: "pss-restricted", pssVersion: "v1.30" });
 *   checker.checkObject(pod)            // → Violation[]
 *   checker.checkPaths(["k8s/"], { namespace: "payments" })  // → CheckReport, or throws CheckInputError
 */
import { relative } from "node:path";
import { App } from "cdk8s";
import type { BulwarkConfig } from "../../../config/model";
import type { Violation } from "../engine/evaluator";
import { PolicySet } from "../engine/evaluator";
import { CLUSTER_SCOPED_KINDS } from "../engine/match";
import type { GatekeeperChartsOptions } from "../index";
import { addGatekeeperCharts } from "../index";
import { allowedRegistriesOf } from "../bundle/bundle";
import type { CheckInputs, DockerfileResult } from "./inputs";
import { checkDockerfiles, readInputs, uncheckedReason } from "./inputs";
import { admissionView } from "./admission";
import type { InputObject, InputProblem } from "./manifests";
import { CheckInputError } from "./manifests";

export type { Violation } from "../engine/evaluator";

/** Options of {@link createChecker}. */
export interface CheckerOptions extends GatekeeperChartsOptions {
  readonly config: BulwarkConfig;
}

/** One object's outcome. */
export interface CheckResult {
  readonly file: string;
  /** 1-based index of the YAML document (or JSON file = 1) the object came from. */
  readonly document: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly apiVersion: string;
  readonly kind: string;
  /** Effective namespace; null for cluster-scoped objects. */
  readonly namespace: string | null;
  readonly name: string;
  readonly violations: readonly Violation[];
  /** Why the object's containers were not checked (a pod template no ExpansionTemplate covers). */
  readonly unchecked?: string;
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
      const prepared = objects.map((input) => {
        const object = admissionView(input.object);
        const meta = (object.metadata ?? {}) as Record<string, unknown>;
        const clusterScoped = CLUSTER_SCOPED_KINDS.has(String(object.kind));
        const namespace = clusterScoped ? null : typeof meta.namespace === "string" && meta.namespace ? meta.namespace : defaultNamespace;
        const effective = clusterScoped || meta.namespace === namespace ? object : { ...object, metadata: { ...meta, namespace } };
        return { input, object: effective, namespace };
      });
      const namespaceLabels = new Map<string, Record<string, string>>();
      for (const { object } of prepared) {
        if (object.kind === "Namespace" && object.apiVersion === "v1") {
          const meta = (object.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
          if (meta.name) namespaceLabels.set(meta.name, meta.labels ?? {});
        }
      }
      const summary = { objects: 0, deny: 0, warn: 0, dryrun: 0, unchecked: 0, dockerfiles: dockerfiles.length };
      for (const d of dockerfiles) summary.deny += d.findings.length;
      const results = prepared.map(({ input, object, namespace }) => {
        const violations = policySet.evaluate(object, { namespaceLabels });
        const unchecked = uncheckedReason(object, policySet.expansions);
        summary.objects++;
        if (unchecked) summary.unchecked++;
        for (const v of violations) summary[v.enforcementAction]++;
        const meta = (object.metadata ?? {}) as Record<string, unknown>;
        return {
          file: opts.baseDir ? relative(opts.baseDir, input.file) : input.file,
          document: input.document,
          line: input.line,
          apiVersion: String(object.apiVersion),
          kind: String(object.kind),
          namespace,
          name: String(meta.name ?? meta.generateName ?? ""),
          violations,
          ...(unchecked ? { unchecked } : {}),
        };
      });
      const relativeDockerfiles = dockerfiles.map((d) => (opts.baseDir ? { ...d, file: relative(opts.baseDir, d.file) } : d));
      return { results, dockerfiles: relativeDockerfiles, summary };
    },
    checkPaths(paths, opts = {}) {
      return checker.checkInputs({ paths }, opts);
    },
    checkInputs(inputs, opts = {}, stdin) {
      const problems: InputProblem[] = [];
      const { objects, dockerfiles } = readInputs(inputs, problems, stdin);
      if (inputs.paths.length === 0 && (inputs.dockerfiles ?? []).length === 0) {
        problems.push({ file: "(arguments)", message: "no PATH given; name the manifest files or folders to check" });
      } else if (problems.length === 0 && objects.length === 0 && dockerfiles.length === 0) {
        // An empty folder, a wrong glob or comment-only files would otherwise pass as "no violation".
        problems.push({ file: inputs.paths.join(" "), message: "no Kubernetes objects found (.yaml, .yml and .json files with apiVersion and kind); name the manifests to check" });
      }
      const results = checkDockerfiles(dockerfiles, { allowedRegistries, allowedBaseImages: opts.allowedBaseImages }, problems);
      if (problems.length > 0) throw new CheckInputError(problems);
      return checker.checkObjects(objects, opts, results);
    },
  };
  return checker;
}

/** Exit code of a report: 1 when any deny-level violation or Dockerfile finding (or, if asked, an unchecked object), else 0. */
export function exitCodeOf(report: CheckReport, options: { readonly failOnUnchecked?: boolean } = {}): 0 | 1 {
  return report.summary.deny > 0 || (options.failOnUnchecked === true && report.summary.unchecked > 0) ? 1 : 0;
}
