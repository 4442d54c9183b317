/**
 * The values of the closure engine (`cel-fast.ts`): null, bool, int (bigint), double (number), string, list
 * (a JS array) and map (a JS Map with string keys), which is everything decoded JSON/YAML can hold. Anything
 * else (uint, bytes, timestamps, messages) is outside the domain: the engine faults, and a fault hands the
 * whole evaluation to the reference engine (@bufbuild/cel), so it is never mis-evaluated.
 *
 * Semantics follow @bufbuild/cel 0.6.1, the reference oracle (node_modules/@bufbuild/cel/dist/cjs/equals.js,
 * std/logic.js, std/math.js), which implements the CEL spec (github.com/google/cel-spec langdef.md).
 */
import type { CelInput } from "@bufbuild/cel";
import { isCelList, isCelMap } from "@bufbuild/cel";
import { ReviewObject } from "./cel-library";

export type FastValue = null | boolean | bigint | number | string | FastValue[] | Map<string, FastValue>;

/**
 * A CEL error (or anything the engine does not handle). Not an `Error`: faults are part of CEL's semantics
 * (absorbed by `||` / `&&`), and capturing a stack for each would cost more than the evaluation.
 */
export class CelFault {
  constructor(readonly message: string) {}
}

/** Throws a {@link CelFault}; typed `never` so callers read as plain control flow. */
export function fault(message: string): never {
  throw new CelFault(message);
}

export const MAX_INT = 9223372036854775807n;
export const MIN_INT = -9223372036854775808n;

/** As @bufbuild/cel's `safeInt`: an int64 result, or a fault on overflow. */
export function checkedInt(value: bigint): bigint {
  if (value < MIN_INT || value > MAX_INT) fault("int overflow");
  return value;
}

export function isMap(value: FastValue): value is Map<string, FastValue> {
  return value instanceof Map;
}

/** CEL equality as @bufbuild/cel's `equals`: numbers across int/double, lists and maps deeply, else same type and value. */
export function celEquals(a: FastValue, b: FastValue): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  // Loose equality compares a bigint with a number exactly (no rounding), as the reference does.
  // eslint-disable-next-line eqeqeq
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) return a == b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!celEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [key, value] of a) {
      const other = b.get(key);
      if (other === undefined || !celEquals(value, other)) return false;
    }
    return true;
  }
  return false;
}

/**
 * `<`-style comparison for the overloads @bufbuild/cel defines on these types: bool/bool, string/string,
 * int/int, double/double and int/double both ways (compared as doubles). Returns -1, 0, 1, or NaN when a
 * double is NaN (every comparison false); faults on any other pair.
 */
export function celCompare(a: FastValue, b: FastValue): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb && (ta === "bigint" || ta === "string" || ta === "boolean")) {
    return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  }
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  return fault(`no such overload: compare ${typeName(a)} with ${typeName(b)}`);
}

export function typeName(value: FastValue): string {
  if (value === null) return "null_type";
  if (Array.isArray(value)) return "list";
  if (value instanceof Map) return "map";
  switch (typeof value) {
    case "bigint":
      return "int";
    case "number":
      return "double";
    case "boolean":
      return "bool";
    default:
      return typeof value;
  }
}

function convert(value: unknown): FastValue {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
    case "number":
      return value;
    default:
      break;
  }
  if (value === null) return null;
  if (isCelMap(value as CelInput)) {
    const out = new Map<string, FastValue>();
    for (const [key, item] of value as Iterable<[unknown, unknown]>) {
      if (typeof key !== "string") fault("map with a non-string key");
      out.set(key, convert(item));
    }
    return out;
  }
  if (isCelList(value as CelInput)) {
    const out: FastValue[] = [];
    for (const item of value as Iterable<unknown>) out.push(convert(item));
    return out;
  }
  return fault(`value outside the closure engine's domain: ${Object.prototype.toString.call(value)}`);
}

/** As `toCelValue` (cel-library.ts), straight from decoded JSON/YAML: integral numbers are ints, null fields absent. */
function fromJson(value: unknown): FastValue {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return value;
    case "number":
      return Number.isInteger(value) ? BigInt(value) : value;
    default:
      break;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(fromJson);
  if (typeof value === "object") {
    const out = new Map<string, FastValue>();
    for (const [key, item] of Object.entries(value)) if (item !== undefined && item !== null) out.set(key, fromJson(item));
    return out;
  }
  return fault(`value outside the closure engine's domain: ${typeof value}`);
}

/** Conversions of the inputs of one evaluation (object, constraint, request), done once per input value. */
const converted = new WeakMap<object, FastValue>();

/**
 * The closure engine's view of an input: a CEL value built by `toCelValue`, or decoded JSON/YAML converted
 * the same way, or a `ReviewObject` (converted once); faults outside the domain.
 */
export function fromInput(value: unknown): FastValue {
  if (value instanceof ReviewObject) return (value.fast ??= fromJson(value.json)) as FastValue;
  if (value === null || typeof value !== "object") return convert(value);
  if (!isCelMap(value as CelInput) && !isCelList(value as CelInput)) return fromJson(value);
  // CEL values are built once by toCelValue and never changed, so their conversion can be kept.
  let out = converted.get(value);
  if (out === undefined) {
    out = convert(value);
    converted.set(value, out);
  }
  return out;
}
