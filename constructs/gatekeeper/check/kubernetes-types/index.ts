/**
 * The field types the API server's decoder enforces on built-in kinds, so `check` refuses what `kubectl apply`
 * would have refused (a string where a boolean goes, a number in a label, a malformed quantity) instead of
 * judging an object the cluster never sees. Types come from Kubernetes' own OpenAPI documents
 * (`types.json`, see its `source`); unknown fields and kinds (custom resources) are left alone, as the API
 * server's default field validation only warns about unknown fields. `null` is absence, as on the server.
 */
import type { InputObject, InputProblem } from "../manifests";
import TYPES from "./types.json";

const KINDS: Readonly<Record<string, string>> = TYPES.kinds;
const FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = TYPES.types;

/** One value the decoder would refuse. */
export interface FieldTypeProblem {
  /** Path from the object's root, e.g. `spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  readonly value: unknown;
  /** What is accepted there. */
  readonly expected: string;
}

/** resource.Quantity's syntax (k8s.io/apimachinery/pkg/api/resource: number, then a binary or decimal SI suffix or an exponent). */
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a type token accepts, in words, or undefined when `value` fits. */
function mismatch(token: string, value: unknown): string | undefined {
  switch (token) {
    case "s":
      return typeof value === "string" ? undefined : "a string (quote it in YAML)";
    case "b":
      return typeof value === "boolean" ? undefined : "a boolean: true or false, unquoted";
    case "i":
      return Number.isInteger(value) ? undefined : "an integer, unquoted";
    case "i32":
      return Number.isInteger(value) && (value as number) >= INT32.min && (value as number) <= INT32.max ? undefined : "a 32-bit integer, unquoted";
    case "n":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "a number, unquoted";
    case "q":
      return (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && QUANTITY.test(value))
        ? undefined
        : "a quantity: a number with an optional suffix (Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E) or exponent, e.g. 500m, 128Mi";
    case "ios":
      return Number.isInteger(value) || typeof value === "string" ? undefined : "an integer or a string";
    case "o":
      return isMapping(value) ? undefined : "a mapping";
    case "*":
      return undefined;
    default:
      if (token.startsWith("[")) return Array.isArray(value) ? undefined : "a list";
      return isMapping(value) ? undefined : "a mapping";
  }
}

/** `a.b`, or `a["x.y/z"]` for a map key that is not a plain name (label and annotation keys). */
const join = (path: string, key: string) =>
  /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? (path === "" ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

function walk(token: string, value: unknown, path: string, out: FieldTypeProblem[]): void {
  if (value === null || value === undefined) return;
  const expected = mismatch(token, value);
  if (expected) {
    out.push({ path, value, expected });
    return;
  }
  if (token.startsWith("[")) {
    (value as unknown[]).forEach((item, i) => walk(token.slice(1), item, `${path}[${i}]`, out));
  } else if (token.startsWith("{")) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) walk(token.slice(1), item, join(path, key), out);
  } else if (token.startsWith("T:")) {
    const fields = FIELDS[token.slice(2)] ?? {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (field !== undefined) walk(field, item, join(path, key), out);
    }
  }
}

/** Whether the types know this kind (a built-in kind of a GA API version), so its values are checked. */
export function isTypedKind(apiVersion: unknown, kind: unknown): boolean {
  return KINDS[`${String(apiVersion)}/${String(kind)}`] !== undefined;
}

/** The values of a built-in object the API server would refuse to decode; none for other kinds. */
export function fieldTypeProblems(object: Readonly<Record<string, unknown>>): FieldTypeProblem[] {
  const type = KINDS[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!type) return [];
  const out: FieldTypeProblem[] = [];
  walk(`T:${type}`, object, "", out);
  return out;
}

/** The Kubernetes release whose OpenAPI documents the types come from. */
export const FIELD_TYPES_KUBERNETES_VERSION: string = TYPES.kubernetesVersion;

/** Type problems reported per object; the first few say what to fix. */
const MAX_PROBLEMS_PER_OBJECT = 5;

/**
 * The objects the API server could decode; each value it could not becomes a problem naming the file, the
 * document's line, the object, the field path, the bad value and what is accepted.
 */
export function decodableObjects(objects: readonly InputObject[], problems: InputProblem[]): InputObject[] {
  return objects.filter((input) => {
    const found = fieldTypeProblems(input.object);
    if (found.length === 0) return true;
    const name = ((input.object.metadata ?? {}) as { name?: unknown }).name ?? "(unnamed)";
    for (const p of found.slice(0, MAX_PROBLEMS_PER_OBJECT)) {
      problems.push({
        file: input.file,
        line: input.line,
        message: `document ${input.document} (${String(input.object.kind)} ${String(name)}): ${p.path} = ${JSON.stringify(p.value)}: must be ${p.expected}; the API server cannot decode it, so kubectl apply fails`,
      });
    }
    return false;
  });
}
