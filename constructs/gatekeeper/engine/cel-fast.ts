/**
 * The closure engine: compiles a parsed CEL expression (the AST of @bufbuild/cel's `parse`) into nested
 * JavaScript closures, with every name and function resolved at compile time. It covers the CEL the
 * templates use (see the interface note in `cel.ts`); anything else — optional syntax, uint and bytes
 * literals, messages, two-variable comprehensions, unknown functions or names — is REFUSED at compile time
 * with a {@link FastRefusal}, and that template runs on the reference engine instead.
 *
 * At run time a CEL error is a thrown {@link CelFault}. `&&`, `||` and the macros' loop conditions absorb
 * faults exactly as the reference does (CEL's commutative error rules: `error || true` is true); absorbing
 * is sound whatever the fault was, since the result then does not depend on the faulted operand. Any fault
 * that reaches the top makes the template hand the whole evaluation to the reference engine, which then
 * produces the exact error message.
 */
import { parse } from "@bufbuild/cel";
import type { FastFunction } from "./cel-fast-functions";
import { GLOBALS, METHODS, NAMESPACED } from "./cel-fast-functions";
import type { FastValue } from "./cel-fast-values";
import { CelFault, fault } from "./cel-fast-values";
import type { Comprehension } from "./cel-fast-macros";
import { macroLoop, recognizeMacro } from "./cel-fast-macros";

/** The values an expression is evaluated against. */
export interface FastBindings {
  readonly object: FastValue;
  readonly oldObject: FastValue;
  readonly params: FastValue;
  readonly request: FastValue;
  readonly namespaceObject: FastValue;
  /** Values of the template's variables by index (see `compileFast`); those the expression reads are computed before it runs. */
  readonly variables: readonly (FastValue | undefined)[];
}

/** One evaluation: the bindings and the comprehension variables' slots. */
interface Frame {
  readonly b: FastBindings;
  readonly s: (FastValue | CelFault)[];
}

type Closure = (frame: Frame) => FastValue;

/** A compiled expression: evaluates to a value or throws (a {@link CelFault}, or anything: both mean "error"). */
export type FastProgram = (bindings: FastBindings) => FastValue;

/** Why an expression cannot run on the closure engine. */
export class FastRefusal extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "FastRefusal";
  }
}

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;
type Call = Extract<Expr["exprKind"], { case: "callExpr" }>["value"];

/** Compile-time state: comprehension variables in scope (name → slot) and the number of slots used. */
interface Scope {
  readonly names: ReadonlyMap<string, number>;
  readonly slots: { count: number };
  /** Index of a template variable in {@link FastBindings.variables}. */
  readonly variableIndex: (name: string) => number | undefined;
}

/** Any thrown value as a {@link CelFault}. */
export function asFault(error: unknown): CelFault {
  return error instanceof CelFault ? error : new CelFault(error instanceof Error ? error.message : String(error));
}

/**
 * Compiles one expression, reading `variables.X` at `variableIndex(X)`; throws {@link FastRefusal} when it
 * uses anything the closure engine does not cover.
 */
export function compileFast(text: string, variableIndex: (name: string) => number | undefined): FastProgram {
  let parsed;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new FastRefusal(`does not parse: ${(error as Error).message}`);
  }
  if (!parsed.expr) throw new FastRefusal("empty expression");
  const scope: Scope = { names: new Map(), slots: { count: 0 }, variableIndex };
  const closure = compileNode(parsed.expr, scope);
  const slotCount = scope.slots.count;
  return (bindings) => closure({ b: bindings, s: slotCount === 0 ? [] : new Array<FastValue>(slotCount).fill(null) });
}

function compileNode(node: Expr, scope: Scope): Closure {
  const kind = node.exprKind;
  switch (kind.case) {
    case "constExpr":
      return compileConstant(kind.value.constantKind);
    case "identExpr":
      return compileIdent(kind.value.name, scope);
    case "selectExpr": {
      if (!kind.value.operand) throw new FastRefusal("selection without an operand");
      return compileSelect(kind.value.operand, kind.value.field, kind.value.testOnly, scope);
    }
    case "callExpr":
      return compileCall(kind.value, scope);
    case "listExpr": {
      if (kind.value.optionalIndices.length > 0) throw new FastRefusal("optional list elements");
      const elements = kind.value.elements.map((element) => compileNode(element, scope));
      return (f) => elements.map((element) => element(f));
    }
    case "structExpr":
      return compileMapLiteral(kind.value, scope);
    case "comprehensionExpr":
      return compileComprehension(kind.value, scope);
    default:
      throw new FastRefusal(`expression kind ${String(kind.case)}`);
  }
}

function compileConstant(constant: Extract<Expr["exprKind"], { case: "constExpr" }>["value"]["constantKind"]): Closure {
  switch (constant.case) {
    case "stringValue":
    case "boolValue":
    case "int64Value":
    case "doubleValue": {
      const value = constant.value;
      return () => value;
    }
    case "nullValue":
      return () => null;
    default:
      throw new FastRefusal(`${String(constant.case)} literals`);
  }
}

function compileIdent(name: string, scope: Scope): Closure {
  const slot = scope.names.get(name);
  if (slot !== undefined) {
    return (f) => {
      const value = f.s[slot];
      if (value instanceof CelFault) throw value;
      return value;
    };
  }
  switch (name) {
    case "object":
      return (f) => f.b.object;
    case "oldObject":
      return (f) => f.b.oldObject;
    case "params":
      return (f) => f.b.params;
    case "request":
      return (f) => f.b.request;
    case "namespaceObject":
      return (f) => f.b.namespaceObject;
    default:
      throw new FastRefusal(`identifier ${name}`);
  }
}

function isIdent(node: Expr, name?: string): boolean {
  return node.exprKind.case === "identExpr" && (name === undefined || node.exprKind.value.name === name);
}

function compileSelect(operand: Expr, field: string, testOnly: boolean, scope: Scope): Closure {
  if (isIdent(operand, "variables") && !scope.names.has("variables")) {
    if (testOnly) throw new FastRefusal("has(variables.X)");
    const index = scope.variableIndex(field);
    if (index === undefined) throw new FastRefusal(`variables.${field} is not declared`);
    return (f) => {
      const value = f.b.variables[index];
      return value === undefined ? fault(`variables.${field} is not computed`) : value;
    };
  }
  const target = compileNode(operand, scope);
  // has(): a map's key presence; false on any other value, as the reference's `isSet`.
  if (testOnly) {
    return (f) => {
      const value = target(f);
      return value instanceof Map ? value.has(field) : false;
    };
  }
  return (f) => {
    const value = target(f);
    if (value instanceof Map) {
      const item = value.get(field);
      if (item !== undefined) return item;
    }
    return fault(`no such key: ${field}`);
  };
}

function compileLogical(args: readonly Closure[], decisive: boolean): Closure {
  if (args.length === 2) return compileBinaryLogical(args[0], args[1], decisive);
  // `_&&_` (decisive false) and `_||_` (decisive true) as the reference's EvalAnd / EvalOr: every operand
  // is evaluated until one is decisive; otherwise the first failure (error or non-bool), else !decisive.
  return (f) => {
    let failure: CelFault | undefined;
    for (const arg of args) {
      let value: FastValue;
      try {
        value = arg(f);
      } catch (error) {
        failure ??= asFault(error);
        continue;
      }
      if (value === decisive) return decisive;
      if (typeof value !== "boolean") failure ??= new CelFault("type mismatch: expected bool");
    }
    if (failure) throw failure;
    return !decisive;
  };
}

/** {@link compileLogical} for two operands, the parser's shape, without the loop. */
function compileBinaryLogical(left: Closure, right: Closure, decisive: boolean): Closure {
  return (f) => {
    let failure: CelFault | undefined;
    try {
      const value = left(f);
      if (value === decisive) return decisive;
      if (typeof value !== "boolean") failure = new CelFault("type mismatch: expected bool");
    } catch (error) {
      failure = asFault(error);
    }
    let value: FastValue;
    try {
      value = right(f);
    } catch (error) {
      throw failure ?? asFault(error);
    }
    if (value === decisive) return decisive;
    if (failure) throw failure;
    if (typeof value !== "boolean") throw new CelFault("type mismatch: expected bool");
    return !decisive;
  };
}

function lookup(table: Readonly<Record<string, FastFunction>>, key: string): FastFunction {
  const fn = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  if (!fn) throw new FastRefusal(`function ${key}`);
  return fn;
}

function applied(fn: FastFunction, args: readonly Closure[]): Closure {
  const [a, b, c] = args;
  switch (args.length) {
    case 1:
      return (f) => fn(a(f), null, null);
    case 2:
      return (f) => {
        const x = a(f);
        return fn(x, b(f), null);
      };
    case 3:
      return (f) => {
        const x = a(f);
        const y = b(f);
        return fn(x, y, c(f));
      };
    default:
      throw new FastRefusal(`${args.length} arguments`);
  }
}

function compileCall(call: Call, scope: Scope): Closure {
  const name = call.function;
  const target = call.target;
  // As the reference planner: `sets.contains(a, b)` names a function before `sets` is read as a value.
  if (target?.exprKind.case === "identExpr") {
    const qualified = `${target.exprKind.value.name}.${name}/${call.args.length}`;
    if (Object.prototype.hasOwnProperty.call(NAMESPACED, qualified)) {
      return applied(
        NAMESPACED[qualified],
        call.args.map((arg) => compileNode(arg, scope)),
      );
    }
  }
  const args = call.args.map((arg) => compileNode(arg, scope));
  switch (name) {
    case "_&&_":
      return compileLogical(args, false);
    case "_||_":
      return compileLogical(args, true);
    case "@not_strictly_false":
    case "__not_strictly_false__": {
      const [arg] = args;
      return (f) => {
        try {
          return arg(f) !== false;
        } catch {
          return true;
        }
      };
    }
    case "_?_:_": {
      const [condition, whenTrue, whenFalse] = args;
      return (f) => {
        const value = condition(f);
        if (value === true) return whenTrue(f);
        if (value === false) return whenFalse(f);
        return fault("conditional on a non-bool");
      };
    }
    default:
      break;
  }
  if (target) return applied(lookup(METHODS, `${name}/${args.length}`), [compileNode(target, scope), ...args]);
  return applied(lookup(GLOBALS, `${name}/${args.length}`), args);
}

function compileMapLiteral(struct: Extract<Expr["exprKind"], { case: "structExpr" }>["value"], scope: Scope): Closure {
  if (struct.messageName !== "") throw new FastRefusal(`message ${struct.messageName}`);
  const entries = struct.entries.map((entry) => {
    if (entry.optionalEntry) throw new FastRefusal("optional map entries");
    if (entry.keyKind.case !== "mapKey" || !entry.value) throw new FastRefusal("map entry without a key or value");
    return { key: compileNode(entry.keyKind.value, scope), value: compileNode(entry.value, scope) };
  });
  return (f) => {
    const out = new Map<string, FastValue>();
    for (const entry of entries) {
      const key = entry.key(f);
      if (typeof key !== "string") fault("map literal with a non-string key");
      const value = entry.value(f);
      if (out.has(key)) fault(`map key conflict: ${key}`);
      out.set(key, value);
    }
    return out;
  };
}

function compileComprehension(c: Comprehension, scope: Scope): Closure {
  if (c.iterVar2) throw new FastRefusal("two-variable comprehensions");
  if (!c.iterRange || !c.accuInit || !c.loopCondition || !c.loopStep || !c.result) throw new FastRefusal("incomplete comprehension");
  const macro = recognizeMacro(c);
  if (macro) {
    const slot = scope.slots.count++;
    const range = compileNode(c.iterRange, scope);
    const inLoop: Scope = { ...scope, names: new Map([...scope.names, [c.iterVar, slot]]) };
    const predicate = macro.predicate && compileNode(macro.predicate, inLoop);
    const transform = macro.kind === "map" ? compileNode(macro.transform, inLoop) : undefined;
    return macroLoop<Frame>(macro, range, slot, predicate, transform);
  }
  const iterSlot = scope.slots.count++;
  const accuSlot = scope.slots.count++;
  const range = compileNode(c.iterRange, scope);
  const init = compileNode(c.accuInit, scope);
  const inLoop: Scope = { ...scope, names: new Map([...scope.names, [c.iterVar, iterSlot], [c.accuVar, accuSlot]]) };
  const atEnd: Scope = { ...scope, names: new Map([...scope.names, [c.accuVar, accuSlot]]) };
  const condition = compileNode(c.loopCondition, inLoop);
  const step = compileNode(c.loopStep, inLoop);
  const result = compileNode(c.result, atEnd);
  // As the reference's EvalFold: a failed step is kept as the accumulator (a later `||` may absorb it).
  return (f) => {
    const initial = init(f);
    const iterable = range(f);
    const items = Array.isArray(iterable) ? iterable : iterable instanceof Map ? [...iterable.keys()] : fault("type mismatch: iterable");
    const slots = f.s;
    slots[accuSlot] = initial;
    for (const item of items) {
      slots[iterSlot] = item;
      if (condition(f) !== true) break;
      try {
        slots[accuSlot] = step(f);
      } catch (error) {
        slots[accuSlot] = asFault(error);
      }
    }
    return result(f);
  };
}
