/**
 * `namespaceObject`: the CEL engine binds it (constructs/gatekeeper/engine/cel-expression.ts BINDINGS), but the
 * offline evaluator reviews every object without its Namespace, so it is null offline (docs/policies.md,
 * "Offline semantics"), while Gatekeeper and the generated ValidatingAdmissionPolicies pass the real one. A
 * template reading it would judge differently offline and in the cluster. No template reads a namespace's
 * labels today (namespace-pod-security and namespace-owner review Namespace objects themselves, as `object`),
 * so none may reference `namespaceObject` until the evaluator supplies it.
 */
import { loadPolicies } from "../../constructs/gatekeeper/policy";
import { BINDINGS } from "../../constructs/gatekeeper/engine/cel-expression";

describe("namespaceObject", () => {
  test("is a binding of the CEL engine", () => {
    expect(BINDINGS.has("namespaceObject")).toBe(true);
  });

  test("no template reads it (it is null offline), and the templates about namespace labels review the Namespace itself", () => {
    const policies = loadPolicies();
    expect(policies.length).toBeGreaterThan(30);
    const readers = policies.filter((p) => JSON.stringify(p.template).includes("namespaceObject")).map((p) => p.name);
    expect(readers).toEqual([]);
    for (const name of ["namespace-pod-security", "namespace-owner"]) {
      const policy = policies.find((p) => p.name === name);
      expect([name, policy?.matchKinds.flatMap((m) => m.kinds)]).toEqual([name, ["Namespace"]]);
    }
  });
});
