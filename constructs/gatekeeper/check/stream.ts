/**
 * `check` over files without holding their objects: a first pass reads each file's text, finds its
 * documents by their markers and reads only those that may be a Namespace (whose labels every object's
 * namespaceSelector needs); a second pass reads and checks one document at a time, on this thread or on
 * worker threads (parallel.ts), and keeps only the results. A file any of whose documents the fast path
 * declines is read whole by the exact path, which reports every problem with its line. Every object read,
 * on any path, is then decoded as the API server decodes it (kubernetes-types/): a value of the wrong type
 * is a problem, and the object is not checked.
 */
import { readFileSync } from "node:fs";
import type { PolicySet } from "../engine/evaluator";
import { isDockerfileName } from "../../dockerfile";
import type { DocumentRange } from "./documents";
import { documentRanges, hasDirective, readDocumentFast } from "./documents";
import type { CheckInputs } from "./inputs";
import { STDIN, readStdin } from "./inputs";
import { decodableObjects } from "./kubernetes-types";
import type { InputObject, InputProblem } from "./manifests";
import { collectFiles, isJsonFile, pushObject, readManifestText, readYamlExact } from "./manifests";
import type { CheckResult, RunContext } from "./results";
import { checkPrepared, namespaceEntryOf, prepareObject } from "./results";

/** A file read whole (JSON, directives, a document the fast path declines, standard input), or a read error. */
export interface ObjectsUnit {
  readonly kind: "objects";
  readonly file: string;
  readonly objects: readonly InputObject[];
  readonly problems: InputProblem[];
}

/** A YAML file read document by document in the second pass. */
export interface DocumentsUnit {
  readonly kind: "documents";
  readonly file: string;
  readonly text: string;
  readonly ranges: readonly DocumentRange[];
  readonly problems: InputProblem[];
}

export type InputUnit = ObjectsUnit | DocumentsUnit;

/** The first pass: what to check, in input order, and the labels of every Namespace among it. */
export interface InputPlan {
  /** Problems found before any file is read (arguments, missing paths, unreadable Dockerfiles). */
  readonly problems: InputProblem[];
  readonly units: readonly InputUnit[];
  readonly dockerfiles: { file: string; text: string }[];
  readonly documents: number;
}

/**
 * Only a document whose text holds `Namespace`, or an escape that could spell it in a double-quoted
 * scalar, can be a Namespace; the first pass reads only those.
 */
function mayBeNamespace(text: string): boolean {
  return text.includes("Namespace") || text.includes("\\");
}

function objectsUnit(file: string, objects: InputObject[], problems: InputProblem[]): ObjectsUnit {
  return { kind: "objects", file, objects, problems };
}

/** One manifest file, planned: read whole when it must be, else by documents (the Namespaces read now). */
function planManifest(file: string, text: string, namespaces: Map<string, Record<string, string>>, defaultNamespace: string): InputUnit {
  const problems: InputProblem[] = [];
  const whole = (): ObjectsUnit => {
    const read = isJsonFile(file) ? readManifestText(file, text, problems) : [];
    if (!isJsonFile(file)) readYamlExact(file, text, read, problems);
    const objects = decodableObjects(read, problems);
    for (const input of objects) addNamespace(namespaces, input.object, defaultNamespace);
    return objectsUnit(file, objects, problems);
  };
  if (isJsonFile(file) || hasDirective(text)) return whole();
  const ranges = documentRanges(text);
  const found: Readonly<Record<string, unknown>>[] = [];
  for (const range of ranges) {
    const piece = text.slice(range.start, range.end);
    if (!mayBeNamespace(piece)) continue;
    const read = readDocumentFast(file, piece);
    if (!read) return whole();
    const value = read.value as Record<string, unknown> | null;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) found.push(value);
  }
  for (const object of found) addNamespace(namespaces, object, defaultNamespace);
  return { kind: "documents", file, text, ranges, problems };
}

function addNamespace(namespaces: Map<string, Record<string, string>>, raw: Readonly<Record<string, unknown>>, defaultNamespace: string): void {
  if (typeof raw.apiVersion !== "string" || typeof raw.kind !== "string") return;
  const entry = namespaceEntryOf(prepareObject(raw, defaultNamespace).object);
  if (entry) namespaces.set(...entry);
}

/** The first pass over every input (see the file comment); problems stay with the unit they belong to. */
export function planInputs(
  inputs: CheckInputs,
  defaultNamespace: string,
  stdin: () => string = readStdin,
): InputPlan & { namespaceLabels: Map<string, Record<string, string>> } {
  const problems: InputProblem[] = [];
  const units: InputUnit[] = [];
  const dockerfiles: { file: string; text: string }[] = [];
  const namespaceLabels = new Map<string, Record<string, string>>();
  const plan = () => ({
    problems,
    units,
    dockerfiles,
    namespaceLabels,
    documents: units.reduce((n, u) => n + (u.kind === "documents" ? u.ranges.length : u.objects.length), 0),
  });
  const readText = (file: string, into: InputProblem[]): string | undefined => {
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      into.push({ file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return undefined;
    }
  };
  const explicitDockerfiles = inputs.dockerfiles ?? [];
  if ([...inputs.paths, ...explicitDockerfiles].filter((p) => p === STDIN).length > 1) {
    problems.push({ file: "(arguments)", message: "standard input (-) can be read only once; name it once" });
    return plan();
  }
  for (const file of explicitDockerfiles) {
    const text = file === STDIN ? stdin() : readText(file, problems);
    if (text !== undefined) dockerfiles.push({ file: file === STDIN ? "(stdin)" : file, text });
  }
  for (const file of collectFiles(
    inputs.paths.filter((p) => p !== STDIN),
    problems,
  )) {
    const fileProblems: InputProblem[] = [];
    const text = readText(file, fileProblems);
    if (text === undefined) units.push(objectsUnit(file, [], fileProblems));
    else if (isDockerfileName(file)) dockerfiles.push({ file, text });
    else units.push(planManifest(file, text, namespaceLabels, defaultNamespace));
  }
  if (inputs.paths.includes(STDIN)) {
    const objects: InputObject[] = [];
    const stdinProblems: InputProblem[] = [];
    readYamlExact("(stdin)", stdin(), objects, stdinProblems);
    const decoded = decodableObjects(objects, stdinProblems);
    for (const input of decoded) addNamespace(namespaceLabels, input.object, defaultNamespace);
    units.push(objectsUnit("(stdin)", decoded, stdinProblems));
  }
  return plan();
}

/**
 * Reads and checks documents by the fast path (`ranges` into `text`, numbered from `firstDocument + 1`),
 * appending to `out` and `problems`; false when one of them needs the exact path (then the caller reads the
 * file whole).
 */
export function checkDocuments(
  policySet: PolicySet,
  batch: { readonly file: string; readonly text: string; readonly ranges: readonly DocumentRange[]; readonly firstDocument: number },
  context: RunContext,
  out: CheckResult[],
  problems: InputProblem[],
): boolean {
  const inputs: InputObject[] = [];
  for (let i = 0; i < batch.ranges.length; i++) {
    const range = batch.ranges[i];
    const read = readDocumentFast(batch.file, batch.text.slice(range.start, range.end));
    if (!read) return false;
    inputs.length = 0;
    pushObject(inputs, problems, batch.file, batch.firstDocument + i + 1, range.line, read.value);
    for (const input of decodableObjects(inputs, problems))
      out.push(checkPrepared(policySet, input, prepareObject(input.object, context.defaultNamespace), context));
  }
  return true;
}

/** Checks the objects of a unit read whole. */
export function checkObjectsUnit(policySet: PolicySet, objects: readonly InputObject[], context: RunContext): CheckResult[] {
  return objects.map((input) => checkPrepared(policySet, input, prepareObject(input.object, context.defaultNamespace), context));
}

/** A documents unit the fast path declined, read whole by the exact path and checked (its problems replaced). */
export function checkWhole(policySet: PolicySet, unit: DocumentsUnit, context: RunContext): CheckResult[] {
  const objects: InputObject[] = [];
  unit.problems.length = 0;
  readYamlExact(unit.file, unit.text, objects, unit.problems);
  return checkObjectsUnit(policySet, decodableObjects(objects, unit.problems), context);
}

/** The second pass on this thread: every unit's results, in input order. */
export function checkUnitsHere(policySet: PolicySet, units: readonly InputUnit[], context: RunContext): CheckResult[][] {
  return units.map((unit) => {
    if (unit.kind === "objects") return checkObjectsUnit(policySet, unit.objects, context);
    const out: CheckResult[] = [];
    const problems: InputProblem[] = [];
    if (checkDocuments(policySet, { ...unit, firstDocument: 0 }, context, out, problems)) {
      unit.problems.push(...problems);
      return out;
    }
    return checkWhole(policySet, unit, context);
  });
}
