/**
 * A template on the closure engine (`cel-fast.ts`): the same variables, match conditions, validations,
 * laziness and memo sharing as the reference template (`CelTemplate` in `cel.ts`), whose compiled parts it
 * reuses. Whenever anything fails at run time (a CEL error, a non-bool result, a value outside the closure
 * engine's domain), the whole evaluation is handed to the reference template, so messages about errors are
 * exactly the reference's.
 */
import type { CelInput } from "@bufbuild/cel";
import type { CelTemplate, CompiledTemplate, CompiledValidation, CompiledVariable, EvaluationInput, ObjectMemo } from "./cel";
import type { CompiledExpression, Outcome } from "./cel-expression";
import type { FastBindings, FastProgram } from "./cel-fast";
import { FastRefusal, asFault, compileFast } from "./cel-fast";
import type { FastValue } from "./cel-fast-values";
import { CelFault, fromInput } from "./cel-fast-values";
import { celInputOf, requestFor } from "./cel-library";

/** Memo keys of closure-engine values, apart from the reference engine's (the values differ in kind). */
const MEMO_PREFIX = "closures:";

/** A variable with where its value may be shared, and its memo key built once (a fresh string is hashed per lookup). */
interface VariableSlot {
  readonly variable: CompiledVariable;
  readonly shared: "object" | "constraint" | undefined;
  readonly key: string;
}

function variableSlots(variables: ReadonlyMap<string, CompiledVariable>): ReadonlyMap<string, VariableSlot> {
  const out = new Map<string, VariableSlot>();
  for (const [name, variable] of variables) {
    const shared = variable.objectKey !== undefined ? "object" : variable.perConstraint ? "constraint" : undefined;
    out.set(name, { variable, shared, key: MEMO_PREFIX + (variable.objectKey ?? name) });
  }
  return out;
}

/** Compiles a reference template's expressions to closures, or returns why the closure engine refuses one. */
export function compileClosureTemplate(reference: CelTemplate): ClosureTemplate | FastRefusal {
  const programs = new Map<CompiledExpression, FastProgram>();
  const expressions = [
    ...[...reference.variables.values()].map((v) => v.expr),
    ...reference.matchConditions,
    ...reference.validations.flatMap((v) => (v.messageExpression ? [v.check, v.messageExpression] : [v.check])),
  ];
  for (const expr of expressions) {
    try {
      programs.set(expr, compileFast(expr.text));
    } catch (error) {
      return new FastRefusal(`${expr.field}: ${(error as Error).message}`);
    }
  }
  return new ClosureTemplate(reference, programs);
}

/** A template on the closure engine, with its reference template as the fallback. */
export class ClosureTemplate implements CompiledTemplate {
  readonly engine = "closures";
  readonly name: string;
  readonly kind: string;
  /** Values of per-constraint variables, by constraint (the `params` binding). */
  private readonly perConstraint = new WeakMap<object, Map<string, Outcome>>();
  private readonly slots: ReadonlyMap<string, VariableSlot>;

  constructor(
    readonly reference: CelTemplate,
    private readonly programs: ReadonlyMap<CompiledExpression, FastProgram>,
  ) {
    this.name = reference.name;
    this.kind = reference.kind;
    this.slots = variableSlots(reference.variables);
  }

  evaluate(input: EvaluationInput): string[] {
    return this.evaluateClosures(input) ?? this.reference.evaluate(input);
  }

  /** The messages from the closure engine alone, or undefined when this evaluation belongs to the reference. */
  evaluateClosures(input: EvaluationInput): string[] | undefined {
    let run: ClosureRun;
    try {
      run = new ClosureRun(this.slots, this.programs, input, this.constraintMemo(input.constraint));
    } catch {
      return undefined;
    }
    try {
      for (const condition of this.reference.matchConditions) {
        const value = run.expression(condition);
        if (value === false) return [];
        if (value !== true) return undefined;
      }
      const messages: string[] = [];
      for (const validation of this.reference.validations) {
        const message = this.validate(run, validation);
        if (message === undefined) return undefined;
        if (message !== true) messages.push(message);
      }
      return messages;
    } catch {
      return undefined;
    }
  }

  /** true when admitted, the message when not, undefined when the reference must decide. */
  private validate(run: ClosureRun, validation: CompiledValidation): string | true | undefined {
    const value = run.expression(validation.check);
    if (value === true) return true;
    if (value !== false) return undefined;
    let message = validation.message ?? `failed expression: ${validation.check.text}`;
    if (validation.messageExpression) {
      const rendered = run.expression(validation.messageExpression);
      if (typeof rendered !== "string") return undefined;
      if (rendered.trim() !== "") message = rendered;
    }
    return message;
  }

  private constraintMemo(constraint: CelInput): Map<string, Outcome> {
    if (constraint === null || typeof constraint !== "object") return new Map();
    let memo = this.perConstraint.get(constraint);
    if (!memo) {
      memo = new Map();
      this.perConstraint.set(constraint, memo);
    }
    return memo;
  }
}

/** One evaluation of one template on one object under one constraint, on the closure engine. */
class ClosureRun {
  private readonly values = new Map<string, FastValue>();
  private readonly bindings: FastBindings;
  private readonly objectMemo: ObjectMemo;

  constructor(
    private readonly slots: ReadonlyMap<string, VariableSlot>,
    private readonly programs: ReadonlyMap<CompiledExpression, FastProgram>,
    input: EvaluationInput,
    private readonly constraintMemo: Map<string, Outcome>,
  ) {
    this.objectMemo = input.memo ?? new Map();
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
  expression(expr: CompiledExpression): FastValue {
    for (const used of expr.uses) this.variable(used);
    const program = this.programs.get(expr);
    if (!program) throw new CelFault(`${expr.field} was not compiled`);
    return program(this.bindings);
  }

  private variable(name: string): void {
    if (this.values.has(name)) return;
    const slot = this.slots.get(name);
    if (!slot) throw new CelFault(`variables.${name} is not declared`);
    const memo = slot.shared === "object" ? this.objectMemo : slot.shared === "constraint" ? this.constraintMemo : undefined;
    const key = slot.key;
    let outcome = memo?.get(key);
    if (!outcome) {
      try {
        outcome = { ok: true, value: this.expression(slot.variable.expr) };
      } catch (error) {
        outcome = { ok: false, error: asFault(error).message };
      }
      memo?.set(key, outcome);
    }
    if (!outcome.ok) throw new CelFault(outcome.error);
    this.values.set(name, outcome.value as FastValue);
  }
}
