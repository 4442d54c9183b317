/**
 * The CEL environment of the offline engine: the standard library, the strings extension and the Kubernetes
 * CEL library functions the templates may use (see the interface note in `cel.ts`), plus the conversion of
 * decoded JSON/YAML into CEL values with the types Kubernetes gives schema fields.
 */
import type { CelInput, CelList, CelValue } from "@bufbuild/cel";
import { CelScalar, celEnv, celFunc, celList, celMap, celMethod, isCelList, isCelMap, listType } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

function asArray(list: CelList): CelValue[] {
  const out: CelValue[] = [];
  for (let i = 0; i < list.size; i++) out.push(list.get(i) as CelValue);
  return out;
}

function celEquals(a: CelValue, b: CelValue): boolean {
  // Lists of scalars are what these helpers receive in templates; compare scalars by value.
  if (typeof a === "bigint" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "bigint") return a === Number(b);
  return a === b;
}

function compareScalars(a: CelValue, b: CelValue): number {
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) {
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
}

const DYN_LIST = listType(CelScalar.DYN);

/** The Kubernetes CEL library functions the templates may use (lists, regex, sets). */
const KUBERNETES_FUNCTIONS = [
  celMethod("isSorted", DYN_LIST, [], CelScalar.BOOL, function (this: CelList) {
    const items = asArray(this);
    return items.every((item, i) => i === 0 || compareScalars(items[i - 1], item) <= 0);
  }),
  celMethod("sum", DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const items = asArray(this);
    if (items.every((item) => typeof item === "bigint")) return (items as bigint[]).reduce((a, b) => a + b, 0n);
    return items.reduce<number>((a, b) => a + Number(b), 0);
  }),
  celMethod("min", DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const items = asArray(this);
    if (items.length === 0) throw new Error("min called on an empty list");
    return items.reduce((a, b) => (compareScalars(a, b) <= 0 ? a : b)) as CelInput;
  }),
  celMethod("max", DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const items = asArray(this);
    if (items.length === 0) throw new Error("max called on an empty list");
    return items.reduce((a, b) => (compareScalars(a, b) >= 0 ? a : b)) as CelInput;
  }),
  celMethod("indexOf", DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (this: CelList, x: CelValue) {
    return BigInt(asArray(this).findIndex((item) => celEquals(item, x)));
  }),
  celMethod("lastIndexOf", DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (this: CelList, x: CelValue) {
    const items = asArray(this);
    for (let i = items.length - 1; i >= 0; i--) if (celEquals(items[i], x)) return BigInt(i);
    return -1n;
  }),
  celMethod("find", CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, re: string) {
    return new RegExp(re).exec(this)?.[0] ?? "";
  }),
  celMethod("findAll", CelScalar.STRING, [CelScalar.STRING], DYN_LIST, function (this: string, re: string) {
    return [...this.matchAll(new RegExp(re, "g"))].map((m) => m[0]);
  }),
  celFunc("sets.contains", [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a: CelList, b: CelList) => {
    const have = asArray(a);
    return asArray(b).every((x) => have.some((y) => celEquals(x, y)));
  }),
  celFunc("sets.intersects", [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a: CelList, b: CelList) => {
    const have = asArray(a);
    return asArray(b).some((x) => have.some((y) => celEquals(x, y)));
  }),
  celFunc("sets.equivalent", [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a: CelList, b: CelList) => {
    const left = asArray(a);
    const right = asArray(b);
    return left.every((x) => right.some((y) => celEquals(x, y))) && right.every((x) => left.some((y) => celEquals(x, y)));
  }),
];

export const ENV = celEnv({ funcs: [...strings, ...KUBERNETES_FUNCTIONS] });

/**
 * Converts decoded JSON/YAML into a CEL input: integral numbers become int (bigint), other numbers double,
 * so templates see the types Kubernetes CEL gives schema `integer` and `number` fields. A field set to null
 * is ABSENT (`has()` is false, reading it is an error), as the API server prunes null fields before
 * admission; this is the one place inputs enter CEL, so both engines see the same object. Nulls inside
 * lists stay (a list item is not a field).
 */
export function toCelValue(value: unknown): CelInput {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  // Build CEL lists and maps once: @bufbuild/cel would otherwise copy a plain object into a new Map on
  // every field access, for every expression of every constraint.
  if (Array.isArray(value)) return celList(value.map(toCelValue));
  if (value !== null && typeof value === "object") {
    const out = new Map<string, CelInput>();
    for (const [key, item] of Object.entries(value)) if (item !== undefined && item !== null) out.set(key, toCelValue(item));
    return celMap(out);
  }
  return value as CelInput;
}

/**
 * An object under review for the evaluations of one object: the decoded JSON/YAML, and its conversion for
 * each engine, made when an engine first needs it. (Not cached by the JSON's identity: callers may change
 * an object between two checks.)
 */
export class ReviewObject {
  /** The reference engine's input ({@link toCelValue}). */
  cel?: CelInput;
  /** The closure engine's input (see `fromInput` in cel-fast-values.ts). */
  fast?: unknown;

  constructor(readonly json: unknown) {}
}

/** The reference engine's input for an evaluation's `object`: a {@link ReviewObject}, a CEL value, or decoded JSON/YAML. */
export function celInputOf(value: unknown): CelInput {
  if (value instanceof ReviewObject) return (value.cel ??= toCelValue(value.json));
  if (isCelMap(value as CelInput) || isCelList(value as CelInput)) return value as CelInput;
  return toCelValue(value);
}
