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
 */
import type { CelInput, CelList, CelValue } from "@bufbuild/cel";
import { CelScalar, celEnv, celFunc, celList, celMap, celMethod, isCelError, listType, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
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

const ENV = celEnv({ funcs: [...strings, ...KUBERNETES_FUNCTIONS] });

/**
 * Converts decoded JSON/YAML into a CEL input: integral numbers become int (bigint), other numbers double,
 * so templates see the types Kubernetes CEL gives schema `integer` and `number` fields.
 */
export function toCelValue(value: unknown): CelInput {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  // Build CEL lists and maps once: @bufbuild/cel would otherwise copy a plain object into a new Map on
  // every field access, for every expression of every constraint.
  if (Array.isArray(value)) return celList(value.map(toCelValue));
  if (value !== null && typeof value === "object") {
    const out = new Map<string, CelInput>();
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out.set(key, toCelValue(item));
    return celMap(out);
  }
  return value as CelInput;
}

type Program = (bindings: Record<string, CelInput>) => unknown;

/** The names a template's CEL is evaluated against; anything else is a comprehension variable. */
type Binding = "object" | "oldObject" | "params" | "request" | "namespaceObject";
const BINDINGS: ReadonlySet<string> = new Set<Binding>(["object", "oldObject", "params", "request", "namespaceObject"]);

interface CompiledExpression {
  readonly field: string;
  readonly text: string;
  readonly run: Program;
  /** Names of `variables.X` this expression reads. */
  readonly uses: readonly string[];
  /** The bindings (`object`, `params`...) this expression reads directly. */
  readonly reads: ReadonlySet<string>;
}

interface CompiledValidation {
  readonly check: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
}

/** The outcome of one expression: its value, or why it could not be evaluated. */
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * Values of variables already computed for one object, shared by every template evaluated on it. Only
 * variables that read no `params` are kept here, keyed by their expression and those of the variables it
 * reads, so two templates share a value only when they compute it the same way from the same object.
 */
export type ObjectMemo = Map<string, Outcome>;

/** What an evaluation needs besides the compiled template. */
export interface EvaluationInput {
  /** The object under review, already converted with {@link toCelValue}. */
  readonly object: CelInput;
  /** The constraint (converted with {@link toCelValue}); bound as `params`. */
  readonly constraint: CelInput;
  /** `request` binding; built from the object when omitted. */
  readonly request?: CelInput;
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
  /** Violation messages for one object under one constraint; empty when admitted. */
  evaluate(input: EvaluationInput): string[];
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

function compileExpression(template: string, field: string, text: unknown, declared: ReadonlySet<string>): CompiledExpression {
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

function errorText(value: unknown): string {
  return value instanceof Error ? value.message : String((value as { message?: string })?.message ?? value);
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
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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
  const compiled = compileSource(name, kind, source);
  compiledCache.set(key, compiled);
  return compiled;
}

function compileSource(name: string, kind: string, source: CelSource): CompiledTemplate {
  const declared = new Set<string>();
  const variables: { name: string; expr: CompiledExpression }[] = [];
  const ownVariables = source.variables ?? [];
  ownVariables.forEach((variable, i) => {
    if (BUILTIN_VARIABLES.some((builtin) => builtin.name === variable.name)) {
      throw new TemplateCompileError(name, `variables[${i}].name`, variable.name, "is a Gatekeeper built-in variable name");
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
  const matchConditions = (source.matchConditions ?? []).map((c, i) =>
    compileExpression(name, `matchConditions[${i}].expression`, c.expression, declared),
  );
  if (!Array.isArray(source.validations) || source.validations.length === 0) {
    throw new TemplateCompileError(name, "validations", "", "must list at least one validation");
  }
  const validations: CompiledValidation[] = source.validations.map((v, i) => ({
    check: compileExpression(name, `validations[${i}].expression`, v.expression, declared),
    message: v.message,
    messageExpression:
      v.messageExpression === undefined
        ? undefined
        : compileExpression(name, `validations[${i}].messageExpression`, v.messageExpression, declared),
  }));

  return new CelTemplate(name, kind, memoizable(variables), matchConditions, validations);
}

/** A template variable with what its value depends on, which decides where the value may be reused. */
interface CompiledVariable {
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
    const objectKey = readsParams
      ? undefined
      : JSON.stringify([expr.text, expr.uses.map((used) => [used, out.get(used)?.objectKey ?? ""])]);
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

class CelTemplate implements CompiledTemplate {
  /** Values of per-constraint variables, by constraint (the `params` binding). */
  private readonly perConstraint = new WeakMap<object, Map<string, Outcome>>();

  constructor(
    readonly name: string,
    readonly kind: string,
    private readonly variables: ReadonlyMap<string, CompiledVariable>,
    private readonly matchConditions: readonly CompiledExpression[],
    private readonly validations: readonly CompiledValidation[],
  ) {}

  evaluate(input: EvaluationInput): string[] {
    const run = new TemplateRun(this.variables, input, this.constraintMemo(input.constraint));
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
      object: input.object,
      oldObject: null,
      params: input.constraint,
      request: input.request ?? requestFor(input.object),
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
