/**
 * One object's outcome, the same whoever computes it (`checkObjects`, the streaming run, a worker thread):
 * the object admission sees, its effective namespace, its violations and whether its pod template was
 * checked.
 */
import { relative } from "node:path";
import type { PolicySet, Violation } from "../engine/evaluator";
import { CLUSTER_SCOPED_KINDS } from "../engine/match";
import { admissionView } from "./admission";
import type { DockerfileResult } from "./inputs";
import { uncheckedReason } from "./inputs";
import type { InputObject } from "./manifests";

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

/** What every object of a run shares: the default namespace, the known namespaces' labels, the base of paths. */
export interface RunContext {
  readonly defaultNamespace: string;
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly baseDir?: string;
}

/** An object as admission sees it (nulls dropped, defaults applied), in its effective namespace. */
export interface PreparedObject {
  readonly object: Record<string, unknown>;
  readonly namespace: string | null;
}

export function prepareObject(raw: Readonly<Record<string, unknown>>, defaultNamespace: string): PreparedObject {
  const object = admissionView(raw);
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(String(object.kind));
  const namespace = clusterScoped ? null : typeof meta.namespace === "string" && meta.namespace ? meta.namespace : defaultNamespace;
  const effective = clusterScoped || meta.namespace === namespace ? object : { ...object, metadata: { ...meta, namespace } };
  return { object: effective, namespace };
}

/** The name and labels a prepared object gives a namespace (a v1 Namespace with a name), else undefined. */
export function namespaceEntryOf(object: Readonly<Record<string, unknown>>): [string, Record<string, string>] | undefined {
  if (object.kind !== "Namespace" || object.apiVersion !== "v1") return undefined;
  const meta = (object.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
  return meta.name ? [meta.name, meta.labels ?? {}] : undefined;
}

/** Distinct violations kept by {@link shareViolations}; past this, new ones are kept as they are. */
const MAX_SHARED_VIOLATIONS = 50000;
const shared = new Map<string, Violation>();

/**
 * The same violation (policy, action, message) is one object for every object of every run: a large input
 * repeats a few thousand messages hundreds of thousands of times. Violations are never changed.
 */
export function shareViolations(violations: readonly Violation[]): Violation[] {
  return violations.map((v) => {
    const key = `${v.policy}\u0000${v.enforcementAction}\u0000${v.message}`;
    const known = shared.get(key);
    if (known) return known;
    if (shared.size < MAX_SHARED_VIOLATIONS) shared.set(key, v);
    return v;
  });
}

/** The outcome of one prepared object. */
export function checkPrepared(policySet: PolicySet, input: InputObject, prepared: PreparedObject, context: RunContext): CheckResult {
  const { object, namespace } = prepared;
  const violations = shareViolations(policySet.evaluate(object, { namespaceLabels: context.namespaceLabels }));
  const unchecked = uncheckedReason(object, policySet.expansions);
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  return {
    file: context.baseDir ? relative(context.baseDir, input.file) : input.file,
    document: input.document,
    line: input.line,
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    namespace,
    name: String(meta.name ?? meta.generateName ?? ""),
    violations,
    ...(unchecked ? { unchecked } : {}),
  };
}

/** The counts of a run's results and Dockerfile findings. */
export function summarize(results: readonly CheckResult[], dockerfiles: readonly DockerfileResult[]) {
  const summary = { objects: 0, deny: 0, warn: 0, dryrun: 0, unchecked: 0, dockerfiles: dockerfiles.length };
  for (const d of dockerfiles) summary.deny += d.findings.length;
  for (const result of results) {
    summary.objects++;
    if (result.unchecked) summary.unchecked++;
    for (const v of result.violations) summary[v.enforcementAction]++;
  }
  return summary;
}
