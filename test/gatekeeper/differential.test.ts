import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import type { DifferentialReport } from "../../bench/differential";
import { corpusObjects, differential } from "../../bench/differential";
import { synthesizeGatekeeperObjects } from "../../constructs/gatekeeper/check";
import { ReviewObject, compileTemplate, toCelValue } from "../../constructs/gatekeeper/engine/cel";
import { ClosureTemplate } from "../../constructs/gatekeeper/engine/cel-fast-template";
import { POLICIES_DIR } from "../../constructs/gatekeeper/policy";
import { FIXTURES_DIR } from "../pod-security/support";
import { devConfig } from "../support/repo";

type K8sObject = Record<string, unknown>;

function documents(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc) => doc.toJS() as K8sObject)
    .filter((object) => object !== null && typeof object === "object");
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every suite's templates, constraints and case objects (the suites' own parameters vary the constraints). */
function suites(): { gatekeeper: K8sObject[]; objects: { label: string; object: K8sObject }[] } {
  const gatekeeper: K8sObject[] = [];
  const objects: { label: string; object: K8sObject }[] = [];
  for (const folder of readdirSync(POLICIES_DIR).sort()) {
    const dir = join(POLICIES_DIR, folder);
    if (!existsSync(join(dir, "suite.yaml"))) continue; // expansions.yaml, the suites' shared expansion file
    const suite = parse(readFileSync(join(dir, "suite.yaml"), "utf8")) as {
      tests: { template: string; constraint: string; invalid?: boolean; cases?: { object: string }[] }[];
    };
    for (const test of suite.tests) {
      // An `invalid: true` test's constraint is meant to be refused when the policy set is built.
      if (test.invalid || !test.cases) continue;
      gatekeeper.push(...documents(join(dir, test.template)), ...documents(join(dir, test.constraint)));
      for (const c of test.cases) for (const object of documents(join(dir, c.object))) objects.push({ label: `${folder}/${c.object}`, object });
    }
  }
  return { gatekeeper, objects };
}

const CORPUS_SIZE = 2000;

describe("the closure engine agrees with the reference engine (@bufbuild/cel)", () => {
  const bundle = synthesizeGatekeeperObjects({ config: devConfig(), bundle: "all" });
  const suite = suites();
  const fixtures = yamlFiles(FIXTURES_DIR).flatMap((file) => documents(file).map((object) => ({ label: file.slice(FIXTURES_DIR.length + 1), object })));
  const corpus = corpusObjects(CORPUS_SIZE);

  it("no template of the bundle is refused by the closure engine", () => {
    expect(differential(bundle, []).refused).toEqual([]);
  });

  let corpusReport: DifferentialReport | undefined;
  const corpusRun = () => (corpusReport ??= differential(bundle, corpus));

  it.each([
    ["every suite case", () => differential(suite.gatekeeper, suite.objects)],
    ["every Pod Security fixture", () => differential(bundle, fixtures)],
    [`the conformance corpus (at least ${CORPUS_SIZE} mutated hardened objects)`, corpusRun],
  ] as const)("on %s: same messages per constraint, 0 disagreements", (_what, run) => {
    const report = run();
    expect(report.disagreements.slice(0, 10)).toEqual([]);
    expect(report.disagreements.length).toBe(0);
    // Not vacuous: most evaluations ran on the closure engine, and some of them found violations.
    expect(report.compared).toBeGreaterThan(report.delegated);
    expect(report.violations).toBeGreaterThan(0);
  });

  it("the corpus is large and varied: objects of every seed kind, with violations and with hand-overs", () => {
    const report = corpusRun();
    expect(new Set(corpus.map((c) => c.object.kind)).size).toBeGreaterThanOrEqual(8);
    expect(report.compared).toBeGreaterThan(CORPUS_SIZE);
    expect(report.delegated).toBeGreaterThan(0);
  });
});

describe("null means absent, for both engines", () => {
  const template = compileTemplate({
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: "k8snulltest" },
    spec: {
      crd: { spec: { names: { kind: "K8sNullTest" } } },
      targets: [
        {
          target: "admission.k8s.gatekeeper.sh",
          code: [
            {
              engine: "K8sNativeValidation",
              source: {
                validations: [
                  { expression: "!has(object.spec.securityContext)", message: "has securityContext" },
                  { expression: "object.spec.containers.all(c, !has(c.image))", message: "has image" },
                  { expression: "size(object.spec.volumes) == 1", message: "volumes" },
                ],
              },
            },
          ],
        },
      ],
    },
  });
  const constraint = toCelValue({ metadata: { name: "c" }, spec: {} });
  // As `check` passes objects (each engine converts the JSON) and as a converted CEL value.
  const evaluate = (object: unknown) => ({
    closures: (template as ClosureTemplate).evaluateClosures({ object: new ReviewObject(object), constraint }),
    reference: (template as ClosureTemplate).reference.evaluate({ object: new ReviewObject(object), constraint }),
    closuresOnCel: (template as ClosureTemplate).evaluateClosures({ object: toCelValue(object), constraint }),
  });

  it("the template runs on the closure engine", () => {
    expect(template).toBeInstanceOf(ClosureTemplate);
  });

  it("a field set to null is absent: has() is false in both engines", () => {
    const result = evaluate({ spec: { securityContext: null, containers: [{ name: "a", image: null }], volumes: [null] } });
    expect(result).toEqual({ closures: [], reference: [], closuresOnCel: [] });
  });

  it("a present field is seen (so the test above can fail)", () => {
    const result = evaluate({ spec: { securityContext: {}, containers: [{ name: "a", image: "x" }], volumes: [null, null] } });
    expect(result.closures).toEqual(["has securityContext", "has image", "volumes"]);
    expect(result.reference).toEqual(result.closures);
    expect(result.closuresOnCel).toEqual(result.closures);
  });
});
