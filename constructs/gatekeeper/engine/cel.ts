/**
 * The offline CEL engine: runs a Gatekeeper `K8sNativeValidation` ConstraintTemplate exactly as written.
 *
 * Interface note (for policy authors and the PSS helper)
 * - `compileTemplate(template)` takes the parsed `templates.gatekeeper.sh/v1` ConstraintTemplate (the
 *   object in a policy folder's `template.yaml`, or as synthesized) and parses/plans every expression ONCE.
 *   A syntax error, an unknown `variables.X` or a variable used before it is declared throws a
 *   {@link TemplateCompileError} naming the template, the field (`validations[2].expression`) and the text.
 * - `compiled.evaluate({ object, constraint })` returns the violation messages (empty = admitted). Bindings
 *   follow Gatekeeper's CEL conventions: `object`, `oldObject` (null offline: every object is a CREATE),
 *   `params` (the whole constraint object), `request` (operation CREATE, kind, namespace, name),
 *   `namespaceObject` (when the caller knows the namespace), and `variables`: first Gatekeeper's built-ins
 *   `variables.anyObject` (object, or oldObject on DELETE) and `variables.params` (the constraint's
 *   `spec.parameters`, or null), then the template's own `variables` in order (each may use earlier ones).
 *   `matchConditions` that are false skip the template. A validation that is false yields its
 *   `messageExpression` (a string), else its `message`, else the expression text.
 * - Numbers: Kubernetes CEL types a schema `integer` field as int, so every integral JSON number enters CEL as
 *   an int (bigint) and every other number as a double. Write `x.runAsUser == 0` or `p.containerPort > 0`,
 *   never `== 0.0`. Quantities and int-or-string fields stay strings when written as strings.
 * - Functions: the CEL standard library, the strings extension (`lowerAscii`, `split`, `join`, `replace`,
 *   `indexOf`, `substring`, `trim`, `format`...), and these Kubernetes library functions: `list.isSorted()`,
 *   `list.sum()`, `list.min()`, `list.max()`, `list.indexOf(x)`, `list.lastIndexOf(x)`,
 *   `string.find(re)`, `string.findAll(re)`, `sets.contains(a, b)`, `sets.intersects(a, b)`,
 *   `sets.equivalent(a, b)`. NOT supported offline: optional syntax (`a.?b`, `orValue`) — guard with
 *   `has()` instead; the engine rejects such a template at compile time.
 * - Sharing: `evaluate({ ..., memo })` with one map per object lets the templates evaluated on that object
 *   reuse each other's variables when they compute them the same way (same expression, reading variables
 *   defined the same way) and read no `params`; a variable that reads only `params` is computed once per
 *   constraint. Results are the same with or without a memo.
 * - An expression that fails at run time (e.g. a missing field without `has()`) is a violation whose message
 *   says so: the offline check fails closed. Suites must never rely on it.
 * - A field set to null is absent (`has()` false), as after the API server's pruning (see `toCelValue`).
 * - Engines: each template is compiled for @bufbuild/cel (the reference) and, when `cel-fast.ts` covers all
 *   its CEL, to closures (`compiled.engine`, `compiled.refusal`); a run-time error in the closures hands
 *   that evaluation to the reference, so results and messages are the reference's.
 */
import type { CelInput } from "@bufbuild/cel";
import { celMap, isCelError } from "@bufbuild/cel";
import type { ReviewObject } from "./cel-library";
import { celInputOf } from "./cel-library";
import type { Binding, CompiledExpression, Outcome } from "./cel-expression";
import { ConstraintMemos, TemplateCompileError, compileExpression, errorText } from "./cel-expression";
import { FastRefusal } from "./cel-fast";
import { compileClosureTemplate } from "./cel-fast-template";

export { TemplateCompileError } from "./cel-expression";
export { ReviewObject, toCelValue } from "./cel-library";
import { requestFor } from "./request";

export type { RequestUserInfo } from "./request";
export { requestFor } from "./request";

/** A `variables[]` entry of a CEL source. */
export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

/** A `validations[]` entry of a CEL source. */
export interface CelValidation {
  readonly expression: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

/** The `source` of a `K8sNativeValidation` code block. */
export interface CelSource {
  readonly variables?: readonly CelVariable[];
  readonly validations: readonly CelValidation[];
  readonly matchConditions?: readonly CelVariable[];
}

/** The engine name Gatekeeper uses for CEL code blocks. */
export const CEL_ENGINE = "K8sNativeValidation";

/** Gatekeeper's built-in variables, prepended to every template's own. */
const BUILTIN_VARIABLES: readonly CelVariable[] = [
  {
    name: "anyObject",
    expression: `has(request.operation) && request.operation == "DELETE" && object == null ? oldObject : object`,
  },
  { name: "params", expression: `!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters` },
];

export interface CompiledValidation {
  readonly check: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
}

/**
 * Values of variables already computed for one object, shared by every template evaluated on it. Only
 * variables that read no `params` are kept here, keyed by their expression and those of the variables it
 * reads, so two templates share a value only when they compute it the same way from the same object.
 */
export type ObjectMemo = Map<string, Outcome>;

/** What an evaluation needs besides the compiled template. */
export interface EvaluationInput {
  /**
   * The object under review: a `ReviewObject` (converted once per engine, shared by the templates
   * evaluated on that object), a value already converted with {@link toCelValue}, or decoded JSON/YAML.
   */
  readonly object: unknown;
  /** The constraint (converted with {@link toCelValue}); bound as `params`. */
  readonly constraint: CelInput;
  /**
   * `request` binding, built from the object when omitted: a `ReviewObject` of the request's JSON (converted
   * once per engine, only by an engine that reads it) or a value already converted with {@link toCelValue}.
   */
  readonly request?: CelInput | ReviewObject;
  /** The object's Namespace, when known. @default null */
  readonly namespaceObject?: CelInput;
  /**
   * Variable values shared by the templates evaluated on this same object (same `object`, `request` and
   * `namespaceObject`). Pass one new map per object. @default a map private to this evaluation
   */
  readonly memo?: ObjectMemo;
}

/** One template, compiled once, evaluated many times. */
export interface CompiledTemplate {
  /** `metadata.name` of the template. */
  readonly name: string;
  /** The constraint kind it defines (`spec.crd.spec.names.kind`). */
  readonly kind: string;
  /**
   * Which engine evaluates it: `closures` (compiled to JavaScript closures, `cel-fast.ts`; any run-time error
   * hands that evaluation to the reference) or `reference` (@bufbuild/cel's interpreter).
   */
  readonly engine: "closures" | "reference";
  /** Why the closure engine refused this template (it then runs on the reference engine). */
  readonly refusal?: string;
  /** Violation messages for one object under one constraint; empty when admitted. */
  evaluate(input: EvaluationInput): string[];
}

/** Reads a template's CEL source and kind; throws a {@link TemplateCompileError} when it is not one. */
export function celSourceOf(template: unknown): { name: string; kind: string; source: CelSource } {
  const t = template as {
    metadata?: { name?: string };
    spec?: { crd?: { spec?: { names?: { kind?: string } } }; targets?: { code?: { engine?: string; source?: CelSource }[] }[] };
  };
  const name = t?.metadata?.name ?? "(unnamed)";
  const kind = t?.spec?.crd?.spec?.names?.kind;
  if (!kind) throw new TemplateCompileError(name, "spec.crd.spec.names.kind", "", "is required");
  const targets = t.spec?.targets ?? [];
  if (targets.length !== 1) throw new TemplateCompileError(name, "spec.targets", "", "must have exactly one target");
  const code = (targets[0].code ?? []).filter((block) => block.engine === CEL_ENGINE);
  if (code.length !== 1 || !code[0].source) {
    throw new TemplateCompileError(name, "spec.targets[0].code", "", `must hold exactly one ${CEL_ENGINE} block with a source`);
  }
  return { name, kind, source: code[0].source };
}

/** Compiled programs are pure, so identical templates share one compilation (per process). */
const compiledCache = new Map<string, CompiledTemplate>();

/** JSON with sorted keys: cdk8s sorts keys on synthesis, so the same template must give the same key. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Compiles a ConstraintTemplate's CEL once; see the interface note at the top of this file. */
export function compileTemplate(template: unknown): CompiledTemplate {
  const { name, kind, source } = celSourceOf(template);
  const key = canonicalJson([name, kind, source]);
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const reference = compileSource(name, kind, source);
  const closures = compileClosureTemplate(reference);
  const compiled = closures instanceof FastRefusal ? reference.refused(closures.message) : closures;
  compiledCache.set(key, compiled);
  return compiled;
}

/**
 * A variable name the API server accepts in a ValidatingAdmissionPolicy (Gatekeeper generates one per
 * template): a CEL identifier that is not a CEL reserved word (k8s.io/apiserver/pkg/cel/escaping.go,
 * celReservedSymbols). Without this check a template runs here and in Gatekeeper's webhook but gets no VAP.
 */
const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const CEL_RESERVED = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

function compileSource(name: string, kind: string, source: CelSource): CelTemplate {
  const declared = new Set<string>();
  const variables: { name: string; expr: CompiledExpression }[] = [];
  const ownVariables = source.variables ?? [];
  ownVariables.forEach((variable, i) => {
    if (BUILTIN_VARIABLES.some((builtin) => builtin.name === variable.name)) {
      throw new TemplateCompileError(name, `variables[${i}].name`, variable.name, "is a Gatekeeper built-in variable name");
    }
    if (!CEL_IDENTIFIER.test(variable.name) || CEL_RESERVED.has(variable.name)) {
      throw new TemplateCompileError(
        name,
        `variables[${i}].name`,
        variable.name,
        "is not a CEL identifier the API server accepts (a CEL reserved word, or not [_a-zA-Z][_a-zA-Z0-9]*); rename it",
      );
    }
  });
  const all = [
    ...BUILTIN_VARIABLES.map((v) => ({ v, field: `(built-in variables.${v.name})` })),
    ...ownVariables.map((v, i) => ({ v, field: `variables[${i}].expression` })),
  ];
  for (const { v, field } of all) {
    if (declared.has(v.name)) throw new TemplateCompileError(name, field, v.expression, `declares variables.${v.name} twice`);
    variables.push({ name: v.name, expr: compileExpression(name, field, v.expression, declared) });
    declared.add(v.name);
  }
  const matchConditions = (source.matchConditions ?? []).map((c, i) => compileExpression(name, `matchConditions[${i}].expression`, c.expression, declared));
  if (!Array.isArray(source.validations) || source.validations.length === 0) {
    throw new TemplateCompileError(name, "validations", "", "must list at least one validation");
  }
  const validations: CompiledValidation[] = source.validations.map((v, i) => ({
    check: compileExpression(name, `validations[${i}].expression`, v.expression, declared),
    message: v.message,
    messageExpression:
      v.messageExpression === undefined ? undefined : compileExpression(name, `validations[${i}].messageExpression`, v.messageExpression, declared),
  }));

  return new CelTemplate(name, kind, memoizable(variables), matchConditions, validations);
}

/** A template variable with what its value depends on, which decides where the value may be reused. */
export interface CompiledVariable {
  readonly name: string;
  readonly expr: CompiledExpression;
  /** Key of the value in an {@link ObjectMemo}; undefined when it reads `params` (directly or not). */
  readonly objectKey?: string;
  /** The value reads `params` and nothing of the object: one value per constraint. */
  readonly perConstraint: boolean;
}

const OBJECT_BINDINGS: readonly Binding[] = ["object", "oldObject", "request", "namespaceObject"];

function memoizable(variables: readonly { name: string; expr: CompiledExpression }[]): ReadonlyMap<string, CompiledVariable> {
  const out = new Map<string, CompiledVariable & { reads: ReadonlySet<string> }>();
  for (const { name, expr } of variables) {
    // Variables only read earlier ones (checked at compile), so every `uses` entry is already in `out`.
    const reads = new Set(expr.reads);
    for (const used of expr.uses) for (const read of out.get(used)?.reads ?? []) reads.add(read);
    const readsParams = reads.has("params");
    const objectKey = readsParams ? undefined : JSON.stringify([expr.text, expr.uses.map((used) => [used, out.get(used)?.objectKey ?? ""])]);
    const perConstraint = readsParams && !OBJECT_BINDINGS.some((binding) => reads.has(binding));
    out.set(name, { name, expr, objectKey, perConstraint, reads });
  }
  return out;
}

function runProgram(expr: CompiledExpression, bindings: Record<string, CelInput>): Outcome {
  try {
    const value = expr.run(bindings);
    if (isCelError(value)) return { ok: false, error: errorText(value) };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/** A template on the reference engine; its compiled parts are what the closure engine compiles again. */
export class CelTemplate implements CompiledTemplate {
  readonly engine = "reference";
  refusal?: string;
  /** Values of per-constraint variables, by constraint (the `params` binding). */
  private readonly constraintMemos = new ConstraintMemos();

  constructor(
    readonly name: string,
    readonly kind: string,
    readonly variables: ReadonlyMap<string, CompiledVariable>,
    readonly matchConditions: readonly CompiledExpression[],
    readonly validations: readonly CompiledValidation[],
  ) {}

  /** Records why the closure engine refused this template. */
  refused(reason: string): this {
    this.refusal = reason;
    return this;
  }

  evaluate(input: EvaluationInput): string[] {
    const run = new TemplateRun(this.variables, input, this.constraintMemos.of(input.constraint));
    for (const condition of this.matchConditions) {
      const result = run.expression(condition);
      if (!result.ok) return [`${this.name}: ${condition.field} could not be evaluated (fails closed): ${result.error}`];
      if (result.value !== true) return [];
    }
    const messages: string[] = [];
    for (const validation of this.validations) {
      const result = run.expression(validation.check);
      if (!result.ok) {
        messages.push(`${this.name}: ${validation.check.field} could not be evaluated (fails closed): ${result.error}`);
        continue;
      }
      if (result.value === true) continue;
      if (result.value !== false) {
        messages.push(`${this.name}: ${validation.check.field} returned ${typeof result.value}, not bool (fails closed)`);
        continue;
      }
      let message = validation.message ?? `failed expression: ${validation.check.text}`;
      if (validation.messageExpression) {
        const rendered = run.expression(validation.messageExpression);
        if (rendered.ok && typeof rendered.value === "string" && rendered.value.trim() !== "") message = rendered.value;
      }
      messages.push(message);
    }
    return messages;
  }
}

/** One evaluation of one template on one object under one constraint. */
class TemplateRun {
  private readonly values = new Map<string, CelInput>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly bindings: Record<string, CelInput>;
  private readonly objectMemo: ObjectMemo;

  constructor(
    private readonly variables: ReadonlyMap<string, CompiledVariable>,
    input: EvaluationInput,
    private readonly constraintMemo: Map<string, Outcome>,
  ) {
    this.objectMemo = input.memo ?? new Map();
    this.bindings = {
      object: celInputOf(input.object),
      oldObject: null,
      params: input.constraint,
      request: input.request === undefined ? requestFor(celInputOf(input.object)) : celInputOf(input.request),
      namespaceObject: input.namespaceObject ?? null,
      variables: celMap(this.values),
    };
  }

  /** Runs an expression after the variables it reads (lazily, as Kubernetes does: unread ones cost nothing). */
  expression(expr: CompiledExpression): Outcome {
    for (const used of expr.uses) {
      const outcome = this.variable(used);
      if (!outcome.ok) return { ok: false, error: `variables.${used} failed: ${outcome.error}` };
    }
    return runProgram(expr, this.bindings);
  }

  private variable(name: string): Outcome {
    let outcome = this.outcomes.get(name);
    if (outcome) return outcome;
    const variable = this.variables.get(name);
    if (!variable) return { ok: false, error: `variables.${name} is not declared` };
    const memo = variable.objectKey !== undefined ? this.objectMemo : variable.perConstraint ? this.constraintMemo : undefined;
    const key = variable.objectKey ?? name;
    outcome = memo?.get(key);
    if (!outcome) {
      outcome = this.expression(variable.expr);
      memo?.set(key, outcome);
    }
    this.outcomes.set(name, outcome);
    if (outcome.ok) this.values.set(name, outcome.value as CelInput);
    return outcome;
  }
}
