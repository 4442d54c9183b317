/**
 * Runs a policy folder's gator-style `suite.yaml` through the offline engine, with `gator verify`'s
 * semantics: a test expands workloads into Pods only when it names an `expansion` file (the policies'
 * suites name `../expansions.yaml`, the ExpansionTemplates Bulwark installs), so a suite that passes here
 * also passes under the real gator (conformance judge `gator-verify`).
 *
 * Suite shape (subset of `gator verify`): `tests[].template`, `tests[].constraint`, optional
 * `tests[].expansion`, `tests[].cases[]` with `name`, `object` and `assertions[]` of
 * `{ violations: "yes" | "no" | N, message?: regex }`. Paths are relative to the folder. A case is "allowed"
 * when it asserts `violations: no` (or 0) only, otherwise "disallowed". A case object of kind
 * `AdmissionReview` (as gator accepts) is judged as its `request.object`, with its `request.userInfo` as the
 * requesting user.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml, parseAllDocuments } from "yaml";
import type { EvaluateOptions } from "./evaluator";
import { PolicySet } from "./evaluator";
import { CONSTRAINT_API_VERSION } from "../resources";

/** One assertion of a case. */
export interface SuiteAssertion {
  readonly violations?: "yes" | "no" | number | boolean;
  readonly message?: string;
}

/** The outcome of one case. */
export interface SuiteCaseResult {
  readonly test: string;
  readonly name: string;
  readonly object: string;
  readonly allowed: boolean;
  readonly messages: readonly string[];
  /** Why the case failed; empty when it passed. */
  readonly failures: readonly string[];
}

interface SuiteFile {
  readonly tests?: readonly {
    readonly name?: string;
    readonly template?: string;
    readonly constraint?: string;
    readonly expansion?: string;
    /** The constraint must be rejected (its parameters break the template's schema), as in gator verify. */
    readonly invalid?: boolean;
    readonly cases?: readonly { readonly name?: string; readonly object?: string; readonly assertions?: readonly SuiteAssertion[] }[];
  }[];
}

function readYaml(file: string): unknown {
  return parseYaml(readFileSync(file, "utf8"));
}

function readObjects(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS() as Record<string, unknown>;
    })
    .filter((object) => object !== null);
}

function isAllowedCase(assertions: readonly SuiteAssertion[]): boolean {
  return assertions.length > 0 && assertions.every((a) => a.violations === "no" || a.violations === 0 || a.violations === false);
}

function checkAssertion(assertion: SuiteAssertion, messages: readonly string[]): string | undefined {
  const pattern = assertion.message === undefined ? undefined : new RegExp(assertion.message);
  const relevant = pattern ? messages.filter((m) => pattern.test(m)) : messages;
  const count = relevant.length;
  const want = assertion.violations ?? "yes";
  const what = pattern ? `violations matching /${assertion.message}/` : "violations";
  if (want === "yes" || want === true) return count > 0 ? undefined : `expected ${what}, got none (all: ${JSON.stringify(messages)})`;
  if (want === "no" || want === false) return count === 0 ? undefined : `expected no ${what}, got ${JSON.stringify(relevant)}`;
  return count === want ? undefined : `expected ${want} ${what}, got ${count}: ${JSON.stringify(relevant)}`;
}

/** The outcome of an `invalid: true` test: it passes when building the policy set refuses the constraint. */
function invalidConstraintResult(test: string, constraint: string, build: () => unknown): SuiteCaseResult {
  let failures = [`expected ${constraint} to be rejected by the template's parameters schema, but it was accepted`];
  let messages: string[] = [];
  try {
    build();
  } catch (error) {
    failures = [];
    messages = [(error as Error).message];
  }
  return { test, name: "(invalid constraint)", object: constraint, allowed: false, messages, failures };
}

/** The object a case judges and the options it implies: an AdmissionReview stands for its request. */
function caseInput(object: Record<string, unknown>): { object: Record<string, unknown>; options: EvaluateOptions } {
  if (object.kind !== "AdmissionReview") return { object, options: {} };
  const request = (object.request ?? {}) as { object?: Record<string, unknown>; userInfo?: EvaluateOptions["userInfo"] };
  if (!request.object) throw new Error("AdmissionReview has no request.object");
  return { object: request.object, options: { userInfo: request.userInfo ?? {} } };
}

/** Runs every case of a suite file; never throws for a failing case (see `failures`). */
export function runSuite(suiteFile: string): SuiteCaseResult[] {
  const dir = dirname(suiteFile);
  const suite = readYaml(suiteFile) as SuiteFile;
  const results: SuiteCaseResult[] = [];
  for (const test of suite.tests ?? []) {
    if (!test.template || !test.constraint) throw new Error(`${suiteFile}: test ${test.name ?? "?"} needs template and constraint`);
    const template = readYaml(join(dir, test.template)) as Record<string, unknown>;
    const constraints = readObjects(join(dir, test.constraint));
    for (const c of constraints) {
      if (c.apiVersion !== CONSTRAINT_API_VERSION) throw new Error(`${join(dir, test.constraint)}: constraints must be ${CONSTRAINT_API_VERSION}`);
    }
    const expansions = test.expansion ? readObjects(join(dir, test.expansion)) : [];
    if (test.invalid) {
      results.push(invalidConstraintResult(test.name ?? "", test.constraint, () => PolicySet.fromObjects([template, ...constraints])));
      continue;
    }
    const set = PolicySet.fromObjects([template, ...constraints, ...expansions]);
    for (const testCase of test.cases ?? []) {
      const assertions = testCase.assertions ?? [];
      const failures: string[] = [];
      const messages: string[] = [];
      if (!testCase.object) failures.push("case has no object");
      else {
        try {
          for (const read of readObjects(join(dir, testCase.object))) {
            const { object, options } = caseInput(read);
            messages.push(...set.evaluate(object, options).map((v) => v.message));
          }
        } catch (error) {
          failures.push(`cannot evaluate ${testCase.object}: ${(error as Error).message}`);
        }
      }
      if (assertions.length === 0) failures.push("case has no assertions");
      for (const assertion of assertions) {
        const failure = checkAssertion(assertion, messages);
        if (failure) failures.push(failure);
      }
      results.push({
        test: test.name ?? "",
        name: testCase.name ?? "",
        object: testCase.object ?? "",
        allowed: isAllowedCase(assertions),
        messages,
        failures,
      });
    }
  }
  return results;
}
