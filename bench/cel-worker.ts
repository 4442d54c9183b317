import { join } from "node:path";
import { loadStackFile } from "../config/load";
import { createChecker } from "../constructs/gatekeeper/check";
import { compileTemplate, requestFor, toCelValue } from "../constructs/gatekeeper/engine/cel";

/**
 * Unit costs of the CEL engine `check` uses (the closure engine, `cel-fast.ts`), to explain the check figure: what one template evaluation costs when
 * its only validation is trivial, reads a field through two function calls, or runs one comprehension,
 * and how many constraints a Pod meets in the dev stack's full bundle. Same engine path as `check`.
 */
const pod = toCelValue({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "web" },
  spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0" }] },
});

function templateOf(name: string, expression: string): unknown {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name },
    spec: {
      crd: { spec: { names: { kind: name } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", code: [{ engine: "K8sNativeValidation", source: { validations: [{ expression }] } }] }],
    },
  };
}

function microseconds(expression: string): number {
  const template = compileTemplate(templateOf(`bench${expression.length}`, expression));
  const constraint = toCelValue({ metadata: { name: "c" }, spec: {} });
  const request = requestFor(pod);
  const run = () => {
    if (template.evaluate({ object: pod, constraint, request }).length !== 0) throw new Error(`${expression} is not true for the bench Pod`);
  };
  for (let i = 0; i < 20000; i++) run();
  const best: number[] = [];
  for (let round = 0; round < 5; round++) {
    const n = 50000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run();
    best.push(Number(process.hrtime.bigint() - start) / 1e3 / n);
  }
  return Math.min(...best);
}

const checker = createChecker({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
const constraintsPerPod = checker.policySet.constraintsFor({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "web" } }).length;

console.log(
  JSON.stringify({
    constantMicroseconds: microseconds("true"),
    functionCallsMicroseconds: microseconds("size(object.spec.containers) == 1"),
    comprehensionMicroseconds: microseconds('object.spec.containers.all(c, c.name != "")'),
    constraintsPerPod,
  }),
);
