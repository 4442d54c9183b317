import type { MatchSubject } from "../../constructs/gatekeeper/engine/match";
import { constraintMatches, globMatches, selectorMatches } from "../../constructs/gatekeeper/engine/match";
import { expandObject } from "../../constructs/gatekeeper/engine/expansion";
import { PolicySet } from "../../constructs/gatekeeper/engine/evaluator";
import { POD_EXPANSIONS } from "../../constructs/gatekeeper/resources";

const pod: MatchSubject = { group: "", kind: "Pod", name: "api", namespace: "payments", clusterScoped: false, labels: { app: "api", tier: "web" } };
const role: MatchSubject = { group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r", clusterScoped: true, labels: {} };
const ns: MatchSubject = { group: "", kind: "Namespace", name: "kube-system", namespace: "kube-system", clusterScoped: true, labels: { a: "b" } };

/** A ConstraintTemplate defining `kind` with one CEL validation. */
function celTemplate(kind: string, validation: { expression: string; message?: string }) {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: kind.toLowerCase() },
    spec: {
      crd: { spec: { names: { kind } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", code: [{ engine: "K8sNativeValidation", source: { validations: [validation] } }] }],
    },
  };
}

describe("Gatekeeper match semantics", () => {
  it("kinds: group and kind must both match; empty lists and '*' match all", () => {
    expect(constraintMatches({ kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, pod)).toBe(true);
    expect(constraintMatches({ kinds: [{ apiGroups: ["apps"], kinds: ["Pod"] }] }, pod)).toBe(false);
    expect(constraintMatches({ kinds: [{ apiGroups: ["*"], kinds: ["*"] }] }, role)).toBe(true);
    expect(constraintMatches({ kinds: [{ kinds: ["ClusterRole"] }] }, role)).toBe(true);
    expect(constraintMatches({}, role)).toBe(true);
  });

  it("namespaces / excludedNamespaces apply to namespaced objects and to Namespaces by name, not to other cluster-scoped objects", () => {
    expect(constraintMatches({ excludedNamespaces: ["payments"] }, pod)).toBe(false);
    expect(constraintMatches({ namespaces: ["web"] }, pod)).toBe(false);
    expect(constraintMatches({ namespaces: ["payments"] }, pod)).toBe(true);
    expect(constraintMatches({ excludedNamespaces: ["kube-system"] }, ns)).toBe(false);
    expect(constraintMatches({ excludedNamespaces: ["kube-system"], namespaces: ["x"] }, role)).toBe(true);
  });

  it("globs are prefix* or *suffix only", () => {
    expect(globMatches("kube-*", "kube-system")).toBe(true);
    expect(globMatches("*-system", "gatekeeper-system")).toBe(true);
    expect(globMatches("kube-system", "kube-systemx")).toBe(false);
    expect(globMatches("kube", "kube-system")).toBe(false);
  });

  it("scope and name", () => {
    expect(constraintMatches({ scope: "Cluster" }, pod)).toBe(false);
    expect(constraintMatches({ scope: "Namespaced" }, role)).toBe(false);
    expect(constraintMatches({ scope: "*" }, role)).toBe(true);
    expect(constraintMatches({ name: "ap*" }, pod)).toBe(true);
    expect(constraintMatches({ name: "web" }, pod)).toBe(false);
  });

  it("label selectors: matchLabels and all four operators", () => {
    const labels = { app: "api", tier: "web" };
    expect(selectorMatches({ matchLabels: { app: "api" } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: "db" } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["web", "x"] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "team", operator: "Exists" }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "team", operator: "DoesNotExist" }] }, labels)).toBe(true);
    expect(constraintMatches({ labelSelector: { matchLabels: { app: "db" } } }, pod)).toBe(false);
  });

  it("namespaceSelector needs the namespace's labels; unknown labels select nothing", () => {
    expect(constraintMatches({ namespaceSelector: { matchLabels: { env: "prod" } } }, pod)).toBe(false);
    expect(constraintMatches({ namespaceSelector: { matchLabels: { env: "prod" } } }, { ...pod, namespaceLabels: { env: "prod" } })).toBe(true);
    expect(constraintMatches({ namespaceSelector: { matchLabels: { a: "b" } } }, ns)).toBe(true);
  });
});

describe("expansion", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "payments" },
    spec: { template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
  };
  const templates = POD_EXPANSIONS.map((e) => ({ metadata: { name: e.name }, spec: e.spec }));

  it("builds the resultant Pod as Gatekeeper does", () => {
    const [resultant] = expandObject(deployment, templates);
    expect(resultant.template).toBe("expand-apps-workloads");
    expect(resultant.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "api-pod",
        namespace: "payments",
        labels: { app: "api" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "api" }],
      },
      spec: deployment.spec.template.spec,
    });
  });

  it("ignores other versions and kinds", () => {
    expect(expandObject({ ...deployment, apiVersion: "apps/v1beta2" }, templates)).toEqual([]);
    expect(expandObject({ ...deployment, kind: "Service" }, templates)).toEqual([]);
  });

  it("an ExpansionTemplate's enforcementAction overrides the constraint's for implied violations", () => {
    const template = celTemplate("K8sDenyAll", { expression: "false", message: "no" });
    const constraint = {
      apiVersion: "constraints.gatekeeper.sh/v1beta1",
      kind: "K8sDenyAll",
      metadata: { name: "all" },
      spec: { match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] } },
    };
    const expansion = {
      apiVersion: "expansion.gatekeeper.sh/v1beta1",
      kind: "ExpansionTemplate",
      metadata: { name: "exp" },
      spec: { ...POD_EXPANSIONS[0].spec, enforcementAction: "dryrun" },
    };
    const set = PolicySet.fromObjects([template, constraint, expansion]);
    expect(set.evaluate(deployment)).toEqual([{ policy: "K8sDenyAll/all", enforcementAction: "dryrun", message: "[Implied by exp] no" }]);
    expect(set.evaluate({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "x" } })).toEqual([
      { policy: "K8sDenyAll/all", enforcementAction: "deny", message: "no" },
    ]);
  });

  it("lists the constraints whose match selects an object, without expansion", () => {
    const constraint = (kind: string, match: unknown) => ({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind, metadata: { name: "c" }, spec: { match } });
    const set = PolicySet.fromObjects([
      celTemplate("K8sPods", { expression: "true" }),
      celTemplate("K8sRoles", { expression: "true" }),
      constraint("K8sPods", { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-system"] }),
      constraint("K8sRoles", { kinds: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role"] }] }),
    ]);
    expect(set.constraintsFor({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "web" } })).toEqual(["K8sPods/c"]);
    expect(set.constraintsFor({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "kube-system" } })).toEqual([]);
    expect(set.constraintsFor(deployment)).toEqual([]);
    expect(set.constraintsFor({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "web" } })).toEqual(["K8sRoles/c"]);
  });

  it("a constraint without its template is an error", () => {
    expect(() => PolicySet.fromObjects([{ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sNope", metadata: { name: "x" }, spec: {} }])).toThrow(
      /constraint K8sNope\/x has no ConstraintTemplate defining kind K8sNope/,
    );
  });
});
