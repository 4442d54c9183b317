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
import { admissionView } from "./admission";
import type { InputObject, InputProblem } from "./manifests";
import { CheckInputError, collectFiles, readManifestFile } from "./manifests";

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
}

/** The outcome of a run. */
export interface CheckReport {
  readonly results: readonly CheckResult[];
  readonly summary: { readonly objects: number; readonly deny: number; readonly warn: number; readonly dryrun: number };
}

/** A compiled checker for one stack, bundle and PSS version. CEL is compiled once, at creation. */
export interface Checker {
  readonly policySet: PolicySet;
  /** The synthesized Gatekeeper objects the checker evaluates. */
  readonly gatekeeperObjects: readonly Record<string, unknown>[];
  /** Violations of one object (its namespace used as given). */
  checkObject(object: Readonly<Record<string, unknown>>, namespaceLabels?: ReadonlyMap<string, Readonly<Record<string, string>>>): Violation[];
  /** Checks objects already read; `namespace` fills in namespaced objects without one. */
  checkObjects(objects: readonly InputObject[], options?: { readonly namespace?: string; readonly baseDir?: string }): CheckReport;
  /** Reads and checks files and folders; throws {@link CheckInputError} when any input is bad. */
  checkPaths(paths: readonly string[], options?: { readonly namespace?: string; readonly baseDir?: string }): CheckReport;
}

/** The synthesized Gatekeeper objects of a stack (what `npm run synth` writes for the Gatekeeper charts). */
export function synthesizeGatekeeperObjects(options: CheckerOptions): Record<string, unknown>[] {
  const app = new App({ outdir: "unused" });
  addGatekeeperCharts(app, options.config, options);
  return app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
}

/** Builds a checker from a stack config. */
export function createChecker(options: CheckerOptions): Checker {
  const gatekeeperObjects = synthesizeGatekeeperObjects(options);
  const policySet = PolicySet.fromObjects(gatekeeperObjects);
  const checker: Checker = {
    policySet,
    gatekeeperObjects,
    // Policies judge what admission sees: the API server's pruning and defaulting applied first.
    checkObject: (object, namespaceLabels) => policySet.evaluate(admissionView(object), { namespaceLabels }),
    checkObjects(objects, opts = {}) {
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
      const summary = { objects: 0, deny: 0, warn: 0, dryrun: 0 };
      const results = prepared.map(({ input, object, namespace }) => {
        const violations = policySet.evaluate(object, { namespaceLabels });
        summary.objects++;
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
        };
      });
      return { results, summary };
    },
    checkPaths(paths, opts = {}) {
      const problems: InputProblem[] = [];
      const objects: InputObject[] = [];
      for (const file of collectFiles(paths, problems)) objects.push(...readManifestFile(file, problems));
      if (paths.length === 0) problems.push({ file: "(arguments)", message: "no PATH given; name the manifest files or folders to check" });
      else if (problems.length === 0 && objects.length === 0) {
        // An empty folder, a wrong glob or comment-only files would otherwise pass as "no violation".
        problems.push({ file: paths.join(" "), message: "no Kubernetes objects found (.yaml, .yml and .json files with apiVersion and kind); name the manifests to check" });
      }
      if (problems.length > 0) throw new CheckInputError(problems);
      return checker.checkObjects(objects, opts);
    },
  };
  return checker;
}

/** Exit code of a report: 1 when any deny-level violation, else 0. */
export function exitCodeOf(report: CheckReport): 0 | 1 {
  return report.summary.deny > 0 ? 1 : 0;
}
