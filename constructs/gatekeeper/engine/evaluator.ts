/**
 * Evaluates objects against a set of SYNTHESIZED Gatekeeper objects (ConstraintTemplates, constraints,
 * ExpansionTemplates), with Gatekeeper's semantics: match, excluded namespaces, enforcement actions and
 * controller expansion. Templates are compiled once when the set is built.
 */
import type { CelInput } from "@bufbuild/cel";
import type { CompiledTemplate, ObjectMemo } from "./cel";
import type { RequestUserInfo } from "./cel";
import { ReviewObject, compileTemplate, toCelValue } from "./cel";
import { requestJsonFor } from "./request";
import type { ExpansionTemplateObject } from "./expansion";
import { expandObject, splitApiVersion } from "./expansion";
import type { ConstraintMatch, MatchSubject } from "./match";
import { CLUSTER_SCOPED_KINDS, constraintMatches, mayMatchKind } from "./match";
import { parameterProblems } from "./parameters";

/** Enforcement actions Gatekeeper reports. */
export type Enforcement = "deny" | "warn" | "dryrun";

/** One violation of one constraint. */
export interface Violation {
  /** `<ConstraintKind>/<constraint name>`. */
  readonly policy: string;
  readonly enforcementAction: Enforcement;
  readonly message: string;
}

interface LoadedConstraint {
  readonly id: string;
  readonly kind: string;
  readonly match: ConstraintMatch | undefined;
  readonly enforcementAction: Enforcement;
  readonly celConstraint: CelInput;
  readonly template: CompiledTemplate;
}

type K8sObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** Options of {@link PolicySet.evaluate}. */
export interface EvaluateOptions {
  /** Labels of known namespaces (from Namespace objects in the same input), for namespaceSelector. */
  readonly namespaceLabels?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * The requesting user (`request.userInfo`), as an AdmissionReview carries it.
   * @default an unnamed user without groups (what `check` knows of a manifest)
   */
  readonly userInfo?: RequestUserInfo;
}

function toEnforcement(value: unknown, where: string): Enforcement {
  if (value === undefined) return "deny";
  if (value === "deny" || value === "warn" || value === "dryrun") return value;
  throw new Error(`${where}: enforcementAction ${JSON.stringify(value)} is not deny, warn or dryrun`);
}

function subjectOf(object: K8sObject, options: EvaluateOptions): MatchSubject {
  const { group } = splitApiVersion(String(object.apiVersion ?? ""));
  const kind = String(object.kind ?? "");
  const meta = object.metadata ?? {};
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const name = String(meta.name ?? "");
  const isNamespace = kind === "Namespace" && group === "";
  const namespace = isNamespace ? name : clusterScoped ? undefined : String(meta.namespace ?? "");
  return {
    group,
    kind,
    name,
    namespace,
    clusterScoped,
    labels: (meta.labels ?? {}) as Record<string, string>,
    namespaceLabels: namespace === undefined ? undefined : options.namespaceLabels?.get(namespace),
  };
}

/** Kinds remembered by a policy set's index; input may name any number of kinds, the index stays bounded. */
const MAX_INDEXED_KINDS = 1000;

/** A compiled policy set. */
export class PolicySet {
  /** Kind index: the constraints that may select each kind, in set order (workloads' expanded Pods meet Pod's). */
  private readonly byKind = new Map<string, readonly LoadedConstraint[]>();

  private constructor(
    private readonly constraints: readonly LoadedConstraint[],
    /** The ExpansionTemplates of the set (which kinds' pod templates are checked). */
    readonly expansions: readonly ExpansionTemplateObject[],
  ) {}

  /** Number of constraints in the set. */
  get size(): number {
    return this.constraints.length;
  }

  /** The `<Kind>/<name>` of every constraint, sorted. */
  get constraintIds(): readonly string[] {
    return this.constraints.map((c) => c.id);
  }

  /**
   * Builds the set from synthesized objects. Each constraint must have its template; objects that are
   * none of the three kinds are ignored.
   */
  static fromObjects(objects: readonly unknown[]): PolicySet {
    const templates = new Map<string, CompiledTemplate>();
    const templateObjects = new Map<string, K8sObject>();
    const expansions: ExpansionTemplateObject[] = [];
    const constraintObjects: K8sObject[] = [];
    for (const raw of objects) {
      const object = raw as K8sObject;
      if (object.kind === "ConstraintTemplate" && String(object.apiVersion).startsWith("templates.gatekeeper.sh/")) {
        const compiled = compileTemplate(object);
        templates.set(compiled.kind, compiled);
        templateObjects.set(compiled.kind, object);
      } else if (object.kind === "ExpansionTemplate" && String(object.apiVersion).startsWith("expansion.gatekeeper.sh/")) {
        expansions.push(object as unknown as ExpansionTemplateObject);
      } else if (String(object.apiVersion).startsWith("constraints.gatekeeper.sh/")) {
        constraintObjects.push(object);
      }
    }
    const constraints = constraintObjects.map((object) => {
      const kind = String(object.kind);
      const name = String(object.metadata?.name ?? "");
      const template = templates.get(kind);
      if (!template) throw new Error(`constraint ${kind}/${name} has no ConstraintTemplate defining kind ${kind}`);
      const spec = (object.spec ?? {}) as Record<string, unknown>;
      const problems = parameterProblems(templateObjects.get(kind)!, spec.parameters);
      if (problems.length > 0) {
        throw new Error(`constraint ${kind}/${name} breaks its template's parameters schema (the API server would reject it): ${problems.join("; ")}`);
      }
      return {
        id: `${kind}/${name}`,
        kind,
        match: spec.match as ConstraintMatch | undefined,
        enforcementAction: toEnforcement(spec.enforcementAction, `constraint ${kind}/${name}`),
        celConstraint: toCelValue(object),
        template,
      };
    });
    constraints.sort((a, b) => a.id.localeCompare(b.id));
    return new PolicySet(constraints, expansions);
  }

  /** The ids of the constraints whose match selects this object (before any expansion). */
  constraintsFor(object: Readonly<Record<string, unknown>>, options: EvaluateOptions = {}): string[] {
    const subject = subjectOf(object as K8sObject, options);
    return this.constraints.filter((constraint) => constraintMatches(constraint.match, subject)).map((constraint) => constraint.id);
  }

  /** The constraints whose `match.kinds` may select this kind, in set order. */
  private candidatesFor(kind: string): readonly LoadedConstraint[] {
    let candidates = this.byKind.get(kind);
    if (!candidates) {
      candidates = this.constraints.filter((constraint) => mayMatchKind(constraint.match, kind));
      if (this.byKind.size < MAX_INDEXED_KINDS) this.byKind.set(kind, candidates);
    }
    return candidates;
  }

  private evaluateOne(object: K8sObject, options: EvaluateOptions, prefix: string, override: Enforcement | undefined): Violation[] {
    const subject = subjectOf(object, options);
    let request: ReviewObject | undefined;
    const review = new ReviewObject(object);
    // Templates evaluated on this object share the variables they compute alike (e.g. the container list).
    const memo: ObjectMemo = new Map();
    const violations: Violation[] = [];
    for (const constraint of this.candidatesFor(subject.kind)) {
      if (!constraintMatches(constraint.match, subject)) continue;
      request ??= new ReviewObject(requestJsonFor(object, options.userInfo));
      // Each engine converts the object once, when it first needs it.
      const messages = constraint.template.evaluate({ object: review, constraint: constraint.celConstraint, request, memo });
      for (const message of messages) {
        violations.push({ policy: constraint.id, enforcementAction: override ?? constraint.enforcementAction, message: prefix + message });
      }
    }
    return violations;
  }

  /** Every violation of one object, including those of its expanded pod template. */
  evaluate(object: Readonly<Record<string, unknown>>, options: EvaluateOptions = {}): Violation[] {
    const k8s = object as K8sObject;
    const violations = this.evaluateOne(k8s, options, "", undefined);
    for (const expanded of expandObject(k8s, this.expansions)) {
      const override =
        expanded.enforcementAction === undefined ? undefined : toEnforcement(expanded.enforcementAction, `ExpansionTemplate ${expanded.template}`);
      violations.push(...this.evaluateOne(expanded.object, options, `[Implied by ${expanded.template}] `, override));
    }
    return violations;
  }
}
