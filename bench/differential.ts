/**
 * Differential check of the two CEL engines: every template on the closure engine against its reference
 * (@bufbuild/cel) on the same objects and constraints, with the same per-object memo sharing as `check`.
 * Used by test/gatekeeper/differential.test.ts and by the bench (on a larger corpus).
 */
import type { CelInput } from "@bufbuild/cel";
import { generateCorpus, toYamlDocument } from "../conformance/corpus";
import type { InputProblem } from "../constructs/gatekeeper/check";
import { readManifestText } from "../constructs/gatekeeper/check";
import type { CompiledTemplate, ObjectMemo } from "../constructs/gatekeeper/engine/cel";
import { ReviewObject, compileTemplate, requestFor, toCelValue } from "../constructs/gatekeeper/engine/cel";
import { ClosureTemplate } from "../constructs/gatekeeper/engine/cel-fast-template";
import type { ExpansionTemplateObject } from "../constructs/gatekeeper/engine/expansion";
import { expandObject } from "../constructs/gatekeeper/engine/expansion";
import type { ConstraintMatch } from "../constructs/gatekeeper/engine/match";
import { mayMatchKind } from "../constructs/gatekeeper/engine/match";

type K8sObject = Record<string, unknown>;

/** A constraint with its compiled template. */
interface Pairing {
  readonly id: string;
  readonly template: CompiledTemplate;
  readonly match: ConstraintMatch | undefined;
  readonly constraint: CelInput;
}

/** The outcome of a differential run. */
export interface DifferentialReport {
  /** Evaluations compared (closure result against reference result). */
  compared: number;
  /** Evaluations the closure engine handed to the reference (a run-time error), where the reference also reports one. */
  delegated: number;
  /** Violation messages seen (so a run that compares nothing interesting shows). */
  violations: number;
  /** Templates the closure engine refused (they run on the reference engine only). */
  readonly refused: string[];
  /** Where the engines disagree: object, constraint, both results. */
  readonly disagreements: string[];
}

/** Pairs every constraint among the objects with its template (templates from the same objects). */
export function pairings(gatekeeperObjects: readonly K8sObject[]): { pairs: Pairing[]; expansions: ExpansionTemplateObject[] } {
  const templates = new Map<string, CompiledTemplate>();
  const expansions: ExpansionTemplateObject[] = [];
  for (const object of gatekeeperObjects) {
    if (object.kind === "ConstraintTemplate") {
      const template = compileTemplate(object);
      templates.set(template.kind, template);
    } else if (object.kind === "ExpansionTemplate") expansions.push(object as unknown as ExpansionTemplateObject);
  }
  const pairs: Pairing[] = [];
  for (const object of gatekeeperObjects) {
    if (!String(object.apiVersion).startsWith("constraints.gatekeeper.sh/")) continue;
    const template = templates.get(String(object.kind));
    if (!template) continue;
    const metadata = (object.metadata ?? {}) as { name?: string };
    const spec = (object.spec ?? {}) as { match?: ConstraintMatch };
    pairs.push({ id: `${String(object.kind)}/${metadata.name ?? ""}`, template, match: spec.match, constraint: toCelValue(object) });
  }
  return { pairs, expansions };
}

const FAILED = / could not be evaluated \(fails closed\)| not bool \(fails closed\)/;

/** The plain messages of the validations that have a messageExpression (what a failed one falls back to). */
function plainMessages(template: ClosureTemplate): ReadonlySet<string> {
  return new Set(template.reference.validations.filter((v) => v.messageExpression).map((v) => v.message ?? `failed expression: ${v.check.text}`));
}

function evaluateBoth(object: K8sObject, pairs: readonly Pairing[], report: DifferentialReport, label: string): void {
  // The object as `check` passes it: each engine converts the JSON itself (the closure engine without toCelValue).
  const review = new ReviewObject(object);
  const request = requestFor(object);
  const closureMemo: ObjectMemo = new Map();
  const referenceMemo: ObjectMemo = new Map();
  for (const pair of pairs) {
    const template = pair.template;
    if (!(template instanceof ClosureTemplate) || !mayMatchKind(pair.match, String(object.kind ?? ""))) continue;
    const input = { object: review, constraint: pair.constraint, request };
    const fast = template.evaluateClosures({ ...input, memo: closureMemo });
    const reference = template.reference.evaluate({ ...input, memo: referenceMemo });
    report.violations += reference.length;
    if (fast === undefined) {
      // A hand-over is right only when the reference hit an error too: its message names it, or a failed
      // messageExpression left the validation's plain message.
      if (reference.some((message) => FAILED.test(message) || plainMessages(template).has(message))) report.delegated++;
      else report.disagreements.push(`${label} ${pair.id}: closures handed over, reference says ${JSON.stringify(reference)}`);
      continue;
    }
    report.compared++;
    if (JSON.stringify(fast) !== JSON.stringify(reference)) {
      report.disagreements.push(`${label} ${pair.id}: closures ${JSON.stringify(fast)}, reference ${JSON.stringify(reference)}`);
    }
  }
}

/**
 * Runs both engines on every object (and each object's expanded Pod, as `check` does) under every
 * constraint whose `match.kinds` may select it.
 */
export function differential(
  gatekeeperObjects: readonly K8sObject[],
  objects: Iterable<{ readonly label: string; readonly object: K8sObject }>,
): DifferentialReport {
  const { pairs, expansions } = pairings(gatekeeperObjects);
  const refused = [...new Set(pairs.map((p) => p.template))].filter((t) => t.engine !== "closures").map((t) => `${t.name}: ${t.refusal ?? "?"}`);
  const report: DifferentialReport = { compared: 0, delegated: 0, violations: 0, refused, disagreements: [] };
  for (const { label, object } of objects) {
    evaluateBoth(object, pairs, report, label);
    for (const expanded of expandObject(object, expansions)) evaluateBoth(expanded.object, pairs, report, `${label} (expanded)`);
  }
  return report;
}

/**
 * The objects of the conformance corpus (conformance/corpus/, the one generator of mutated hardened
 * objects), each read from its YAML as `check` reads it (kubectl's YAML 1.1 scalars), nulls kept: both
 * engines must treat them as absent. At least `minObjects` objects.
 */
export function corpusObjects(minObjects: number): { label: string; object: K8sObject }[] {
  const out: { label: string; object: K8sObject }[] = [];
  for (const corpusCase of generateCorpus({ seed: 1, minObjects })) {
    for (const object of corpusCase.objects) {
      const problems: InputProblem[] = [];
      const read = readManifestText(`${corpusCase.id}.yaml`, toYamlDocument(object), problems);
      if (problems.length > 0) throw new Error(`corpus case ${corpusCase.id} does not read: ${JSON.stringify(problems)}`);
      for (const input of read) out.push({ label: `corpus ${corpusCase.id}: ${corpusCase.label}`, object: input.object });
    }
  }
  return out;
}
