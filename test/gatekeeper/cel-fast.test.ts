import type { CelInput } from "@bufbuild/cel";
import { isCelError, parse, plan } from "@bufbuild/cel";
import { toCelValue } from "../../constructs/gatekeeper/engine/cel";
import { FastRefusal, compileFast } from "../../constructs/gatekeeper/engine/cel-fast";
import type { FastValue } from "../../constructs/gatekeeper/engine/cel-fast-values";
import { celEquals, fromInput } from "../../constructs/gatekeeper/engine/cel-fast-values";
import { ENV } from "../../constructs/gatekeeper/engine/cel-library";

/**
 * Expression-level differential: each expression on the closure engine and on @bufbuild/cel (the
 * reference), with the same `object`. Both must give the same value, or both an error (the closure engine
 * throws; the reference returns an error value).
 */
const object = toCelValue({
  i: 3,
  d: 2.5,
  whole: 2.0,
  s: "Hello, wörld",
  empty: "",
  b: true,
  l: [1, 2, 3],
  strs: ["a", "b", "a"],
  mixed: [1, "a", true, 2.5],
  m: { a: 1, b: "x" },
  nested: { list: [{ name: "c1", v: 1 }, { name: "c2" }] },
  gone: null,
  big: 9007199254740992,
});

function reference(text: string): { ok: true; value: FastValue } | { ok: false } {
  try {
    const value = (plan(ENV, parse(text)) as unknown as (b: Record<string, CelInput>) => unknown)({ object });
    return isCelError(value) ? { ok: false } : { ok: true, value: fromInput(value) };
  } catch {
    return { ok: false };
  }
}

function closures(text: string): { ok: true; value: FastValue } | { ok: false } {
  const program = compileFast(text, () => undefined);
  try {
    return { ok: true, value: program({ object: fromInput(object), oldObject: null, params: null, request: null, namespaceObject: null, variables: [] }) };
  } catch {
    return { ok: false };
  }
}

const EXPRESSIONS = [
  // Numbers: int vs double, overflow, division.
  "object.i == 3.0",
  "object.whole == 2",
  "[1, 2] == [1.0, 2.0]",
  "{'a': 1} == {'a': 1.0}",
  "3 in [3.0]",
  "object.i < 3.5",
  "object.d > object.i",
  "object.i + object.d",
  "object.i + 1",
  "object.i * 2",
  "7 / 2",
  "-7 / 2",
  "7 % 3",
  "-7 % 3",
  "1 / 0",
  "1 % 0",
  "1.0 / 0.0 > 1.0",
  "9223372036854775807 + 1",
  "-9223372036854775807 - 2",
  "-object.i",
  "object.big + 1 > object.big",
  "int(object.d)",
  "int('42')",
  "int(' 42')",
  "int('x')",
  "int(1e300)",
  "string(object.i)",
  "string(object.d)",
  "string(true)",
  // Errors and the commutative && / ||.
  "object.nothere || true",
  "true || object.nothere",
  "object.nothere && false",
  "false && object.nothere",
  "object.nothere || false",
  "object.i || true",
  "object.i && false",
  "object.i && true",
  "!object.i",
  "object.b ? 1 : 2",
  "object.i ? 1 : 2",
  // has(), null means absent, selection on the wrong type.
  "has(object.gone)",
  "has(object.i)",
  "has(object.m.a)",
  "has(object.s.x)",
  "has(object.l.x)",
  "has(object.nothere.x)",
  "object.s.x",
  "object.l[0]",
  "object.l[3]",
  "object.l[-1]",
  "object.l[1.0]",
  "object.m['a']",
  "object.m['z']",
  "object.m[1]",
  // in on lists and maps.
  "'a' in object.strs",
  "'z' in object.strs",
  "'a' in object.m",
  "1 in object.m",
  "2.5 in object.mixed",
  "true in object.mixed",
  // Strings.
  "size(object.s)",
  "object.s.size()",
  "object.s.contains('wö')",
  "object.s.startsWith('Hell')",
  "object.s.endsWith('d')",
  "object.s.lowerAscii()",
  "object.s.split(', ')",
  "object.s.split(',', 1)",
  "object.s.split(',', 0)",
  "object.s.substring(7)",
  "object.s.substring(2, 4)",
  "object.s.substring(4, 2)",
  "object.s.substring(99)",
  "object.strs.join('-')",
  "object.mixed.join()",
  "object.s.matches('^H.*d$')",
  "object.s.matches('[')",
  "object.s.indexOf('l')",
  "object.s.lastIndexOf('l')",
  "object.empty.size()",
  "object.s + 1",
  "object.s < 'Z'",
  "object.s < 1",
  "object.l[1.5]",
  "object.l[-1.0]",
  "true in object.m",
  "1.5 in object.m",
  // Comprehensions, with errors inside.
  "object.l.all(x, x > 0)",
  "object.l.all(x, x > 1)",
  "object.l.exists(x, x == 2)",
  "object.l.exists_one(x, x > 1)",
  "object.l.filter(x, x > 1)",
  "object.l.map(x, x * 2)",
  "object.l.map(x, x > 1, x * 10)",
  "object.m.all(k, k != '')",
  "object.nested.list.exists(c, c.v == 1)",
  "object.nested.list.all(c, c.v == 1)",
  "object.nested.list.map(c, c.v)",
  "object.nested.list.filter(c, has(c.v))",
  "object.nested.list.exists(c, c.v == 2)",
  "object.mixed.exists(x, x > 2)",
  "object.mixed.all(x, x != 'b')",
  "object.l.exists(x, x)",
  "object.l.map(x, object.l.filter(y, y > x))",
  "object.s.all(c, true)",
  // Kubernetes list and sets functions.
  "object.l.isSorted()",
  "object.strs.isSorted()",
  "object.mixed.isSorted()",
  "object.l.sum()",
  "[1, 2.5].sum()",
  "object.l.min()",
  "object.l.max()",
  "[].min()",
  "object.l.indexOf(2)",
  "object.l.lastIndexOf(9)",
  "object.s.find('[a-z]+')",
  "object.s.findAll('l')",
  "sets.contains(object.l, [1, 2])",
  "sets.intersects(object.l, [9])",
  "sets.equivalent(object.strs, ['b', 'a'])",
  // Literals.
  "{'x': object.i}.x",
  "{'x': 1, 'x': 2}",
  "{1: 2}",
  "size([])",
  "size({})",
  "size(object.m)",
  "dyn(object.i) == 3",
  "null == object.m",
];

describe("closure engine vs @bufbuild/cel, expression by expression", () => {
  it.each(EXPRESSIONS)("%s", (text) => {
    const fast = closures(text);
    const ref = reference(text);
    expect(fast.ok).toBe(ref.ok);
    if (fast.ok && ref.ok) expect(celEquals(fast.value, ref.value) && typeof fast.value === typeof ref.value).toBe(true);
  });

  it("covers both outcomes: values and errors", () => {
    const outcomes = EXPRESSIONS.map((text) => reference(text).ok);
    expect(outcomes.filter(Boolean).length).toBeGreaterThan(60);
    expect(outcomes.filter((ok) => !ok).length).toBeGreaterThan(15);
  });
});

describe("closure compiler refuses what it does not cover", () => {
  it.each([
    "object.?i",
    "1u",
    "b'x'",
    "object.m.all(k, v, true)",
    "object.s.upperAscii()",
    "strings.quote('x')",
    "google.protobuf.Value{}",
    "other.x",
    "type(1)",
    "has(variables.x)",
  ])("%s", (text) => {
    expect(() => compileFast(text, () => undefined)).toThrow(FastRefusal);
  });
});
