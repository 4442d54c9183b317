/**
 * The functions of the closure engine, ported from the reference engine so both give the same value:
 * CEL's standard operators and functions (@bufbuild/cel 0.6.1 std/logic.js, std/math.js, std/cast.js), the
 * strings extension functions the templates use (ext/strings.js) and the Kubernetes library functions of
 * `cel-library.ts`. Each faults (see `CelFault`) wherever the reference would return an error, and also
 * wherever this port is not sure to agree (a type the overload table does not list): a fault hands the
 * evaluation to the reference engine, so it costs time, never correctness.
 */
import { RE2JS } from "@bufbuild/re2";
import type { FastValue } from "./cel-fast-values";
import { MAX_INT, MIN_INT, celCompare, celEquals, checkedInt, fault, isMap, typeName } from "./cel-fast-values";

/** A function of one to three evaluated arguments (a method's receiver first). */
export type FastFunction = (a: FastValue, b: FastValue, c: FastValue) => FastValue;

function noOverload(name: string, ...args: FastValue[]): never {
  return fault(`found no matching overload for '${name}' applied to '(${args.map(typeName).join(", ")})'`);
}

function str(name: string, value: FastValue): string {
  return typeof value === "string" ? value : noOverload(name, value);
}

function int(name: string, value: FastValue): bigint {
  return typeof value === "bigint" ? value : noOverload(name, value);
}

function list(name: string, value: FastValue): FastValue[] {
  return Array.isArray(value) ? value : noOverload(name, value);
}

function arithmetic(name: string, a: FastValue, b: FastValue, ints: (x: bigint, y: bigint) => bigint, doubles: (x: number, y: number) => number): FastValue {
  if (typeof a === "bigint" && typeof b === "bigint") return ints(a, b);
  if (typeof a === "number" && typeof b === "number") return doubles(a, b);
  return noOverload(name, a, b);
}

function add(a: FastValue, b: FastValue): FastValue {
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === 0 ? b : b.length === 0 ? a : a.concat(b);
  return arithmetic(
    "_+_",
    a,
    b,
    (x, y) => checkedInt(x + y),
    (x, y) => x + y,
  );
}

function size(value: FastValue): bigint {
  if (typeof value === "string") return BigInt([...value].length);
  if (Array.isArray(value)) return BigInt(value.length);
  if (isMap(value)) return BigInt(value.size);
  return noOverload("size", value);
}

function toInt(value: FastValue): bigint {
  if (typeof value === "bigint") return value;
  let numeric: bigint | number;
  if (typeof value === "string") {
    try {
      numeric = BigInt(value);
    } catch {
      return fault(`cannot convert ${JSON.stringify(value)} to int`);
    }
  } else if (typeof value === "number") numeric = value;
  else return noOverload("int", value);
  if (typeof numeric === "bigint" && numeric >= MIN_INT && numeric <= MAX_INT) return numeric;
  if (typeof numeric === "number" && Number.isFinite(numeric) && numeric > Number(MIN_INT) && numeric < Number(MAX_INT)) {
    return BigInt(Math.trunc(numeric));
  }
  return fault("int overflow during type conversion");
}

function toStringValue(value: FastValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint" || typeof value === "number") return value.toString();
  return noOverload("string", value);
}

function inOperator(item: FastValue, container: FastValue): boolean {
  if (Array.isArray(container)) return container.some((x) => celEquals(x, item));
  if (isMap(container)) {
    if (typeof item === "string") return container.has(item);
    // JSON maps have string keys only, so no int, double or bool key is in one (as in the reference).
    if (typeof item === "bigint" || typeof item === "number" || typeof item === "boolean") return false;
  }
  return noOverload("@in", item, container);
}

function index(container: FastValue, key: FastValue): FastValue {
  // The reference also indexes a list with an integral double (`l[1.0]`).
  if (Array.isArray(container) && (typeof key === "bigint" || (typeof key === "number" && Number.isInteger(key)))) {
    const i = Number(key);
    if (i < 0 || i >= container.length) fault(`index ${key} out of bounds`);
    return container[i];
  }
  if (isMap(container) && typeof key === "string") {
    const value = container.get(key);
    return value === undefined ? fault(`no such key: ${key}`) : value;
  }
  return noOverload("_[_]", container, key);
}

/** Regular expressions compiled once per pattern; CEL `matches` is RE2, as in the reference engine. */
const re2Cache = new Map<string, RE2JS>();

function matches(text: FastValue, pattern: FastValue): boolean {
  const p = str("matches", pattern);
  let re = re2Cache.get(p);
  if (!re) {
    try {
      re = RE2JS.compile(p);
    } catch {
      return fault(`invalid regular expression: ${p}`);
    }
    re2Cache.set(p, re);
  }
  return re.test(str("matches", text));
}

/** Operators and global functions, by name and arity. */
export const GLOBALS: Readonly<Record<string, FastFunction>> = {
  "_==_/2": (a, b) => celEquals(a, b),
  "_!=_/2": (a, b) => !celEquals(a, b),
  "_<_/2": (a, b) => celCompare(a, b) < 0,
  "_<=_/2": (a, b) => celCompare(a, b) <= 0,
  "_>_/2": (a, b) => celCompare(a, b) > 0,
  "_>=_/2": (a, b) => celCompare(a, b) >= 0,
  "_+_/2": add,
  "_-_/2": (a, b) =>
    arithmetic(
      "_-_",
      a,
      b,
      (x, y) => checkedInt(x - y),
      (x, y) => x - y,
    ),
  "_*_/2": (a, b) =>
    arithmetic(
      "_*_",
      a,
      b,
      (x, y) => checkedInt(x * y),
      (x, y) => x * y,
    ),
  "_/_/2": (a, b) =>
    arithmetic(
      "_/_",
      a,
      b,
      (x, y) => (y === 0n ? fault("int divide by zero") : checkedInt(x / y)),
      (x, y) => x / y,
    ),
  "_%_/2": (a, b) => ((y) => (y === 0n ? fault("int modulus by zero") : int("_%_", a) % y))(int("_%_", b)),
  "!_/1": (a) => (typeof a === "boolean" ? !a : noOverload("!_", a)),
  "-_/1": (a) => (typeof a === "bigint" ? checkedInt(-a) : typeof a === "number" ? -a : noOverload("-_", a)),
  "_[_]/2": index,
  "@in/2": inOperator,
  "size/1": size,
  "int/1": toInt,
  "string/1": toStringValue,
  "dyn/1": (a) => a,
};

function lowerAscii(s: string): string {
  let result = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    result += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : s.charAt(i);
  }
  return result;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const i = Number(start);
  if (i < 0 || i > s.length) fault(`index ${i} out of bounds [0, ${s.length})`);
  if (end === undefined) return s.substring(i);
  const j = Number(end);
  if (j < 0 || j > s.length) fault(`index ${j} out of bounds [0, ${s.length})`);
  if (i > j) fault("invalid argument to function substring: start > end");
  return s.substring(i, j);
}

function join(items: FastValue[], separator: string): string {
  let result = "";
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "string") fault("invalid argument to function join: list contains non-string value");
    if (i > 0) result += separator;
    result += item;
  }
  return result;
}

function split(s: string, separator: string, count?: bigint): FastValue[] {
  const n = count === undefined ? undefined : Number(count);
  return n === 1 ? [s] : s.split(separator, n);
}

/** `list.indexOf(x)` (Kubernetes) or `string.indexOf(s)` (strings extension): the receiver picks. */
function indexOf(receiver: FastValue, item: FastValue): bigint {
  if (typeof receiver === "string") return BigInt(receiver.indexOf(str("indexOf", item)));
  return BigInt(list("indexOf", receiver).findIndex((x) => kubernetesEquals(x, item)));
}

/** The equality `cel-library.ts` uses for its list and sets functions (scalars by value). */
function kubernetesEquals(a: FastValue, b: FastValue): boolean {
  if (typeof a === "bigint" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "bigint") return a === Number(b);
  return a === b;
}

function compareScalars(a: FastValue, b: FastValue): number {
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) {
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return fault(`cannot compare ${typeof a} with ${typeof b}`);
}

function extreme(name: string, receiver: FastValue, keep: (cmp: number) => boolean): FastValue {
  const items = list(name, receiver);
  if (items.length === 0) fault(`${name} called on an empty list`);
  return items.reduce((a, b) => (keep(compareScalars(a, b)) ? a : b));
}

/** Methods (receiver first), by name and number of arguments besides the receiver. */
export const METHODS: Readonly<Record<string, FastFunction>> = {
  "size/0": size,
  "contains/1": (s, x) => str("contains", s).includes(str("contains", x)),
  "startsWith/1": (s, x) => str("startsWith", s).startsWith(str("startsWith", x)),
  "endsWith/1": (s, x) => str("endsWith", s).endsWith(str("endsWith", x)),
  "matches/1": matches,
  "lowerAscii/0": (s) => lowerAscii(str("lowerAscii", s)),
  "substring/1": (s, i) => substring(str("substring", s), int("substring", i)),
  "substring/2": (s, i, j) => substring(str("substring", s), int("substring", i), int("substring", j)),
  "split/1": (s, sep) => split(str("split", s), str("split", sep)),
  "split/2": (s, sep, n) => split(str("split", s), str("split", sep), int("split", n)),
  "join/0": (l) => join(list("join", l), ""),
  "join/1": (l, sep) => join(list("join", l), str("join", sep)),
  "indexOf/1": indexOf,
  "lastIndexOf/1": (l, x) => {
    if (typeof l === "string") return BigInt(l.lastIndexOf(str("lastIndexOf", x)));
    const items = list("lastIndexOf", l);
    for (let i = items.length - 1; i >= 0; i--) if (kubernetesEquals(items[i], x)) return BigInt(i);
    return -1n;
  },
  "isSorted/0": (l) => list("isSorted", l).every((item, i, items) => i === 0 || compareScalars(items[i - 1], item) <= 0),
  "sum/0": (l) => {
    const items = list("sum", l);
    if (items.every((item) => typeof item === "bigint")) return (items as bigint[]).reduce((a, b) => a + b, 0n);
    return items.reduce<number>((a, b) => a + Number(b), 0);
  },
  "min/0": (l) => extreme("min", l, (cmp) => cmp <= 0),
  "max/0": (l) => extreme("max", l, (cmp) => cmp >= 0),
  "find/1": (s, re) => new RegExp(str("find", re)).exec(str("find", s))?.[0] ?? "",
  "findAll/1": (s, re) => [...str("findAll", s).matchAll(new RegExp(str("findAll", re), "g"))].map((m) => m[0]),
};

/** Namespaced functions (`sets.contains(a, b)`), by qualified name and arity. */
export const NAMESPACED: Readonly<Record<string, FastFunction>> = {
  "sets.contains/2": (a, b) => list("sets.contains", b).every((x) => list("sets.contains", a).some((y) => kubernetesEquals(x, y))),
  "sets.intersects/2": (a, b) => list("sets.intersects", b).some((x) => list("sets.intersects", a).some((y) => kubernetesEquals(x, y))),
  "sets.equivalent/2": (a, b) => {
    const left = list("sets.equivalent", a);
    const right = list("sets.equivalent", b);
    return left.every((x) => right.some((y) => kubernetesEquals(x, y))) && right.every((x) => left.some((y) => kubernetesEquals(x, y)));
  },
};
