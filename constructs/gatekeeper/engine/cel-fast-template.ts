/**
 * A template on the closure engine (`cel-fast.ts`): the same variables, match conditions, validations,
 * laziness and memo sharing as the reference template (`CelTemplate` in `cel.ts`), whose compiled parts it
 * reuses. Whenever anything fails at run time (a CEL error, a non-bool result, a value outside the closure
 * engine's domain), the whole evaluation is handed to the reference template, so messages about errors are
 * exactly the reference's.
 */
import type { CelTemplate, CompiledTemplate, CompiledValidation, CompiledVariable, EvaluationInput, ObjectMemo } from "./cel";
import type { CompiledExpression, Outcome } from "./cel-expression";
import { ConstraintMemos } from "./cel-expression";
import type { FastBindings, FastProgram } from "./cel-fast";
import { FastRefusal, asFault, compileFast } from "./cel-fast";
import type { FastValue } from "./cel-fast-values";
import { CelFault, fromInput } from "./cel-fast-values";
import { celInputOf } from "./cel-library";
import { requestFor } from "./request";

/** Memo keys of closure-engine values, apart from the reference engine's (the values differ in kind). */
const MEMO_PREFIX = "closures:";

/** A compiled expression with the indices of the variables it reads. */
interface FastExpression {
  readonly program: FastProgram;
  readonly uses: readonly number[];
}

/** A variable with where its value may be shared, and its memo key built once (a fresh string is hashed per lookup). */
interface VariableSlot {
  readonly expr: FastExpression;
  readonly shared: "object" | "constraint" | undefined;
  readonly key: string;
}

interface FastValidation {
  readonly check: FastExpression;
  readonly messageExpression?: FastExpression;
  /** The message when the check is false and no messageExpression renders one. */
  readonly message: string;
}

/** The compiled parts of a closure template. */
interface ClosureParts {
  readonly variables: readonly VariableSlot[];
  readonly conditions: readonly FastExpression[];
  readonly validations: readonly FastValidation[];
}

function compileParts(reference: CelTemplate): ClosureParts {
  const names = [...reference.variables.keys()];
  const indexOf = (name: string) => (names.includes(name) ? names.indexOf(name) : undefined);
  const compile = (expr: CompiledExpression): FastExpression => {
    let program: FastProgram;
    try {
      program = compileFast(expr.text, indexOf);
    } catch (error) {
      throw new FastRefusal(`${expr.field}: ${(error as Error).message}`);
    }
    const uses = expr.uses.map((name) => indexOf(name) ?? fail(`${expr.field}: variables.${name} is not declared`));
    return { program, uses };
  };
  const variables = [...reference.variables.values()].map((variable: CompiledVariable): VariableSlot => ({
    expr: compile(variable.expr),
    shared: variable.objectKey !== undefined ? "object" : variable.perConstraint ? "constraint" : undefined,
    key: MEMO_PREFIX + (variable.objectKey ?? variable.name),
  }));
  const validations = reference.validations.map((v: CompiledValidation) => ({
    check: compile(v.check),
    messageExpression: v.messageExpression && compile(v.messageExpression),
    message: v.message ?? `failed expression: ${v.check.text}`,
  }));
  return { variables, conditions: reference.matchConditions.map(compile), validations };
}

function fail(reason: string): never {
  throw new FastRefusal(reason);
}

/** Compiles a reference template's expressions to closures, or returns why the closure engine refuses one. */
export function compileClosureTemplate(reference: CelTemplate): ClosureTemplate | FastRefusal {
  try {
    return new ClosureTemplate(reference, compileParts(reference));
  } catch (error) {
    if (error instanceof FastRefusal) return error;
    throw error;
  }
}

/** A template on the closure engine, with its reference template as the fallback. */
export class ClosureTemplate implements CompiledTemplate {
  readonly engine = "closures";
  readonly name: string;
  readonly kind: string;
  /** Values of per-constraint variables, by constraint (the `params` binding). */
  private readonly constraintMemos = new ConstraintMemos();

  constructor(
    readonly reference: CelTemplate,
    private readonly parts: ClosureParts,
  ) {
    this.name = reference.name;
    this.kind = reference.kind;
  }

  evaluate(input: EvaluationInput): string[] {
    return this.evaluateClosures(input) ?? this.reference.evaluate(input);
  }

  /** The messages from the closure engine alone, or undefined when this evaluation belongs to the reference. */
  evaluateClosures(input: EvaluationInput): string[] | undefined {
    try {
      const run = new ClosureRun(this.parts.variables, input, this.constraintMemos.of(input.constraint));
      for (const condition of this.parts.conditions) {
        const value = run.expression(condition);
        if (value === false) return [];
        if (value !== true) return undefined;
      }
      const messages: string[] = [];
      for (const validation of this.parts.validations) {
        const value = run.expression(validation.check);
        if (value === true) continue;
        if (value !== false) return undefined;
        let message = validation.message;
        if (validation.messageExpression) {
          const rendered = run.expression(validation.messageExpression);
          if (typeof rendered !== "string") return undefined;
          if (rendered.trim() !== "") message = rendered;
        }
        messages.push(message);
      }
      return messages;
    } catch {
      return undefined;
    }
  }
}

/** One evaluation of one template on one object under one constraint, on the closure engine. */
class ClosureRun {
  private readonly values: (FastValue | undefined)[];
  private readonly bindings: FastBindings;
  private readonly objectMemo: ObjectMemo;

  constructor(
    private readonly slots: readonly VariableSlot[],
    input: EvaluationInput,
    private readonly constraintMemo: Map<string, Outcome>,
  ) {
    this.objectMemo = input.memo ?? new Map();
    this.values = new Array<FastValue | undefined>(slots.length);
    this.bindings = {
      object: fromInput(input.object),
      oldObject: null,
      params: fromInput(input.constraint),
      request: fromInput(input.request ?? requestFor(celInputOf(input.object))),
      namespaceObject: fromInput(input.namespaceObject ?? null),
      variables: this.values,
    };
  }

  /** Runs an expression after the variables it reads (lazily); throws when any of them fails. */
  expression(expr: FastExpression): FastValue {
    for (const used of expr.uses) if (this.values[used] === undefined) this.variable(used);
    return expr.program(this.bindings);
  }

  private variable(index: number): void {
    const slot = this.slots[index];
    const memo = slot.shared === "object" ? this.objectMemo : slot.shared === "constraint" ? this.constraintMemo : undefined;
    let outcome = memo?.get(slot.key);
    if (!outcome) {
      try {
        outcome = { ok: true, value: this.expression(slot.expr) };
      } catch (error) {
        outcome = { ok: false, error: asFault(error).message };
      }
      memo?.set(slot.key, outcome);
    }
    if (!outcome.ok) throw new CelFault(outcome.error);
    this.values[index] = outcome.value as FastValue;
  }
}
