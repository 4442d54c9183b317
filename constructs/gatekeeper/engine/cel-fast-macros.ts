/**
 * The CEL macros (`all`, `exists`, `exists_one`, `filter`, `map`) as direct loops. The parser expands each
 * macro into a generic comprehension (github.com/google/cel-spec langdef.md "Macros"); this recognizes the
 * exact shapes it emits and runs them without building an accumulator per step. Error behaviour is the
 * generic comprehension's: in `all` / `exists` an error is absorbed when a later element decides the
 * result (the accumulator is combined with `&&` / `||`); in the others an error sticks to the accumulator,
 * so the loop may stop at the first one. Any other comprehension is left to the generic fold.
 */
import type { parse } from "@bufbuild/cel";
import type { FastValue } from "./cel-fast-values";
import { CelFault, fault } from "./cel-fast-values";

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;
export type Comprehension = Extract<Expr["exprKind"], { case: "comprehensionExpr" }>["value"];

/** A compiled sub-expression and the frame it runs in (see `cel-fast.ts`). */
export interface MacroFrame {
  readonly s: (FastValue | CelFault)[];
}
export type MacroClosure<F extends MacroFrame> = (frame: F) => FastValue;

/** A recognized macro: what it computes per element. */
export type Macro =
  | { readonly kind: "all" | "exists" | "exists_one" | "filter"; readonly predicate: Expr }
  | { readonly kind: "map"; readonly transform: Expr; readonly predicate?: Expr };

function call(node: Expr | undefined, fn: string, arity: number): Expr[] | undefined {
  if (node?.exprKind.case !== "callExpr" || node.exprKind.value.target || node.exprKind.value.function !== fn) return undefined;
  return node.exprKind.value.args.length === arity ? node.exprKind.value.args : undefined;
}

function isIdent(node: Expr | undefined, name: string): boolean {
  return node?.exprKind.case === "identExpr" && node.exprKind.value.name === name;
}

function constant(node: Expr | undefined): unknown {
  return node?.exprKind.case === "constExpr" ? node.exprKind.value.constantKind.value : undefined;
}

function singleton(node: Expr | undefined): Expr | undefined {
  if (node?.exprKind.case !== "listExpr" || node.exprKind.value.optionalIndices.length > 0) return undefined;
  return node.exprKind.value.elements.length === 1 ? node.exprKind.value.elements[0] : undefined;
}

/** `accu + [element]` → element. */
function appended(node: Expr | undefined, accu: string): Expr | undefined {
  const args = call(node, "_+_", 2);
  return args && isIdent(args[0], accu) ? singleton(args[1]) : undefined;
}

/** `P ? then : accu` → [P, then]. */
function guarded(node: Expr | undefined, accu: string): [Expr, Expr] | undefined {
  const args = call(node, "_?_:_", 3);
  return args && isIdent(args[2], accu) ? [args[0], args[1]] : undefined;
}

function logicalStep(c: Comprehension): Macro | undefined {
  const accu = c.accuVar;
  if (!isIdent(c.result, accu)) return undefined;
  const init = constant(c.accuInit);
  const condition = call(c.loopCondition, "@not_strictly_false", 1)?.[0];
  if (init === false && isIdent(call(condition, "!_", 1)?.[0], accu)) {
    const step = call(c.loopStep, "_||_", 2);
    if (step && isIdent(step[0], accu)) return { kind: "exists", predicate: step[1] };
  }
  if (init === true && isIdent(condition, accu)) {
    const step = call(c.loopStep, "_&&_", 2);
    if (step && isIdent(step[0], accu)) return { kind: "all", predicate: step[1] };
  }
  return undefined;
}

function listStep(c: Comprehension): Macro | undefined {
  const accu = c.accuVar;
  if (!isIdent(c.result, accu)) return undefined;
  const init = c.accuInit;
  if (init?.exprKind.case !== "listExpr" || init.exprKind.value.elements.length !== 0) return undefined;
  const mapped = appended(c.loopStep, accu);
  if (mapped) return { kind: "map", transform: mapped };
  const guard = guarded(c.loopStep, accu);
  const element = guard && appended(guard[1], accu);
  if (!guard || !element) return undefined;
  if (isIdent(element, c.iterVar)) return { kind: "filter", predicate: guard[0] };
  return { kind: "map", transform: element, predicate: guard[0] };
}

function existsOne(c: Comprehension): Macro | undefined {
  const accu = c.accuVar;
  const result = call(c.result, "_==_", 2);
  if (constant(c.accuInit) !== 0n || !result || !isIdent(result[0], accu) || constant(result[1]) !== 1n) return undefined;
  const guard = guarded(c.loopStep, accu);
  const increment = guard && call(guard[1], "_+_", 2);
  if (!guard || !increment || !isIdent(increment[0], accu) || constant(increment[1]) !== 1n) return undefined;
  return { kind: "exists_one", predicate: guard[0] };
}

/** The macro this comprehension was expanded from, when it has exactly a macro's shape. */
export function recognizeMacro(c: Comprehension): Macro | undefined {
  if (c.iterVar2 || c.iterVar === c.accuVar) return undefined;
  const generic = constant(c.loopCondition) === true;
  return generic ? (listStep(c) ?? existsOne(c)) : logicalStep(c);
}

function itemsOf(value: FastValue): readonly FastValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.keys()];
  return fault("type mismatch: iterable");
}

/** `all` (decisive false) / `exists` (decisive true): the first decisive element wins, else the first failure. */
function logicalLoop<F extends MacroFrame>(range: MacroClosure<F>, slot: number, predicate: MacroClosure<F>, decisive: boolean): MacroClosure<F> {
  return (f) => {
    let failure: CelFault | undefined;
    for (const item of itemsOf(range(f))) {
      f.s[slot] = item;
      let value: FastValue;
      try {
        value = predicate(f);
      } catch (error) {
        failure ??= error instanceof CelFault ? error : new CelFault(String(error));
        continue;
      }
      if (value === decisive) return decisive;
      if (typeof value !== "boolean") failure ??= new CelFault("type mismatch: expected bool");
    }
    if (failure) throw failure;
    return !decisive;
  };
}

function test(value: FastValue): boolean {
  return typeof value === "boolean" ? value : fault("type mismatch: expected bool");
}

/** The loop of a recognized macro; `compiled` are its predicate and transform compiled with the element in `slot`. */
export function macroLoop<F extends MacroFrame>(
  macro: Macro,
  range: MacroClosure<F>,
  slot: number,
  predicate: MacroClosure<F> | undefined,
  transform: MacroClosure<F> | undefined,
): MacroClosure<F> {
  if (macro.kind === "all" || macro.kind === "exists") return logicalLoop(range, slot, predicate!, macro.kind === "exists");
  return (f) => {
    const items = itemsOf(range(f));
    let count = 0n;
    const out: FastValue[] = [];
    for (const item of items) {
      f.s[slot] = item;
      if (predicate && !test(predicate(f))) continue;
      if (macro.kind === "exists_one") count++;
      else out.push(transform ? transform(f) : item);
    }
    return macro.kind === "exists_one" ? count === 1n : out;
  };
}
