/**
 * One CEL expression of a template, compiled: parsed, checked against the variables declared before it,
 * rewritten so selections are planned from values, and planned against the engine's environment.
 */
import type { CelInput } from "@bufbuild/cel";
import { parse, plan } from "@bufbuild/cel";
import { ENV } from "./cel-library";

/** Thrown when a template cannot be compiled; names the template, the field and the expression. */
export class TemplateCompileError extends Error {
  constructor(
    readonly template: string,
    readonly field: string,
    readonly expression: string,
    reason: string,
  ) {
    super(`ConstraintTemplate ${template}: ${field} does not compile: ${reason}\n  expression: ${expression}`);
    this.name = "TemplateCompileError";
  }
}

export type Program = (bindings: Record<string, CelInput>) => unknown;

/** The names a template's CEL is evaluated against; anything else is a comprehension variable. */
export type Binding = "object" | "oldObject" | "params" | "request" | "namespaceObject";
export const BINDINGS: ReadonlySet<string> = new Set<Binding>(["object", "oldObject", "params", "request", "namespaceObject"]);

export interface CompiledExpression {
  readonly field: string;
  readonly text: string;
  readonly run: Program;
  /** Names of `variables.X` this expression reads. */
  readonly uses: readonly string[];
  /** The bindings (`object`, `params`...) this expression reads directly. */
  readonly reads: ReadonlySet<string>;
}

/** The outcome of one expression: its value, or why it could not be evaluated. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * Values of a template's per-constraint variables (those that read `params` and nothing of the object), one
 * memo per constraint, so a constraint's own values are computed once for all objects. Both engines keep one
 * (their values differ in kind). A constraint that is not an object (no identity to key on) gets a fresh memo.
 */
export class ConstraintMemos {
  private readonly byConstraint = new WeakMap<object, Map<string, Outcome>>();

  /** The memo of `constraint`. */
  of(constraint: CelInput): Map<string, Outcome> {
    if (constraint === null || typeof constraint !== "object") return new Map();
    let memo = this.byConstraint.get(constraint);
    if (!memo) {
      memo = new Map();
      this.byConstraint.set(constraint, memo);
    }
    return memo;
  }
}

/** What a parsed expression reads: its identifiers, and the `X` of each `variables.X` selection. */
interface NamesUsed {
  readonly identifiers: Set<string>;
  readonly variables: Set<string>;
}

/** Collects {@link NamesUsed} (walks the protobuf AST generically). */
function namesUsed(node: unknown, into: NamesUsed): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) namesUsed(item, into);
    return;
  }
  const record = node as Record<string, unknown>;
  const kind = record.exprKind as { case?: string; value?: Record<string, unknown> } | undefined;
  if (kind?.case === "identExpr" && typeof kind.value?.name === "string") into.identifiers.add(kind.value.name);
  if (kind?.case === "selectExpr" && kind.value) {
    const operand = kind.value.operand as { exprKind?: { case?: string; value?: { name?: string } } } | undefined;
    if (operand?.exprKind?.case === "identExpr" && operand.exprKind.value?.name === "variables") {
      into.variables.add(String(kind.value.field));
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== "$typeName" && typeof value === "object") namesUsed(value, into);
  }
}

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;

function dynOf(node: Expr): Expr {
  return {
    $typeName: "cel.expr.Expr",
    id: node.id,
    exprKind: { case: "callExpr", value: { $typeName: "cel.expr.Expr.Call", function: "dyn", args: [node], target: undefined } },
  } as unknown as Expr;
}

/**
 * Rewrites `x.a.b` as `dyn(x).a.b` (and `x["a"]` as `dyn(x)["a"]`), which means the same: `dyn` is the
 * identity. Why: @bufbuild/cel plans a selection rooted at a plain identifier as a possibly qualified name,
 * so every evaluation of `c.securityContext.privileged` first looks up `c.securityContext.privileged`, then
 * `c.securityContext`, in the bindings and the type registry before it reads `c`. Nothing binds dotted
 * names, so those lookups always miss, and they were the largest single cost in the profile of `check`.
 * After the rewrite the identifier is resolved once and the fields are read from its value.
 */
function selectFromValues(node: Expr): void {
  const kind = node.exprKind;
  switch (kind.case) {
    case "selectExpr": {
      const operand = kind.value.operand;
      if (!operand) return;
      // `has(x.a)` reads `x` alone already; only plain selections are planned as qualified names.
      if (operand.exprKind.case === "identExpr" && !kind.value.testOnly) kind.value.operand = dynOf(operand);
      else selectFromValues(operand);
      return;
    }
    case "callExpr": {
      const call = kind.value;
      // A namespaced function's receiver (`sets` in `sets.contains(a, b)`) is a bare identifier: never rewritten.
      if (call.target) selectFromValues(call.target);
      call.args.forEach((arg, i) => {
        if (call.function === "_[_]" && i === 0 && arg.exprKind.case === "identExpr") call.args[0] = dynOf(arg);
        else selectFromValues(arg);
      });
      return;
    }
    case "listExpr":
      kind.value.elements.forEach(selectFromValues);
      return;
    case "structExpr":
      for (const entry of kind.value.entries) {
        if (entry.value) selectFromValues(entry.value);
        if (entry.keyKind.case === "mapKey") selectFromValues(entry.keyKind.value);
      }
      return;
    case "comprehensionExpr":
      for (const part of [kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result]) {
        if (part) selectFromValues(part);
      }
      return;
    default:
      return;
  }
}

export function compileExpression(template: string, field: string, text: unknown, declared: ReadonlySet<string>): CompiledExpression {
  if (typeof text !== "string" || text.trim() === "") {
    throw new TemplateCompileError(template, field, String(text), "must be a non-empty CEL expression string");
  }
  if (/\.\?|\[\?/.test(text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ""))) {
    throw new TemplateCompileError(template, field, text, "optional syntax (a.?b, a[?k]) is not supported offline; use has()");
  }
  let parsed;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new TemplateCompileError(template, field, text, (error as Error).message);
  }
  const names: NamesUsed = { identifiers: new Set(), variables: new Set() };
  namesUsed(parsed.expr, names);
  for (const name of names.variables) {
    if (!declared.has(name)) {
      throw new TemplateCompileError(template, field, text, `uses variables.${name}, which is not declared before it`);
    }
  }
  let program: Program;
  try {
    if (parsed.expr) selectFromValues(parsed.expr);
    program = plan(ENV, parsed) as unknown as Program;
  } catch (error) {
    throw new TemplateCompileError(template, field, text, (error as Error).message);
  }
  const reads = new Set([...names.identifiers].filter((name) => BINDINGS.has(name)));
  return { field, text, run: program, uses: [...names.variables], reads };
}

export function errorText(value: unknown): string {
  return value instanceof Error ? value.message : String((value as { message?: string })?.message ?? value);
}
