import { ConfigError } from "../../config/errors";
import Ajv from "ajv";
import { App, Chart } from "cdk8s";
import type { BulwarkConfig } from "../../config/model";
import { synthesizeGatekeeperObjects } from "../../constructs/gatekeeper/check";
import {
  addGatekeeperCharts,
  CONSTRAINTS_CHART,
  DEFAULT_EXEMPT_NAMESPACES,
  GatekeeperConstraint,
  loadPolicies,
  TEMPLATES_CHART,
} from "../../constructs/gatekeeper";
import { devConfig } from "../support/repo";
import { CONSTRAINT_TEMPLATE_SCHEMA, constraintSchema, EXPANSION_TEMPLATE_SCHEMA, structuralProblems } from "./gatekeeper-schemas";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: Record<string, unknown> };

const config = devConfig();
const objects = synthesizeGatekeeperObjects({ config }) as Obj[];
const templates = objects.filter((o) => o.kind === "ConstraintTemplate");
const constraints = objects.filter((o) => o.apiVersion.startsWith("constraints.gatekeeper.sh/"));
const ajv = new Ajv({ allErrors: true, strict: false });

function constraintOf(id: string, objs: readonly Obj[] = objects): Obj {
  const found = objs.filter((o) => o.apiVersion.startsWith("constraints.gatekeeper.sh/") && o.metadata.name === id);
  expect(found).toHaveLength(1);
  return found[0];
}

function withPolicy(overrides: Partial<BulwarkConfig["policy"]>): BulwarkConfig {
  return { ...config, policy: { ...config.policy, ...overrides } };
}

describe("synthesized Gatekeeper objects are schema-valid", () => {
  const validateTemplate = ajv.compile(CONSTRAINT_TEMPLATE_SCHEMA);
  const validateExpansion = ajv.compile(EXPANSION_TEMPLATE_SCHEMA);

  it("has at least 20 ConstraintTemplates, each with constraints, and the pod ExpansionTemplates", () => {
    expect(templates.length).toBeGreaterThanOrEqual(20);
    expect(templates.length).toBe(loadPolicies().length);
    const kinds = new Set(constraints.map((c) => c.kind));
    for (const t of templates)
      expect([t.metadata.name, kinds.has((t.spec.crd as { spec: { names: { kind: string } } }).spec.names.kind)]).toEqual([t.metadata.name, true]);
    expect(objects.filter((o) => o.kind === "ExpansionTemplate").map((o) => o.metadata.name)).toEqual([
      "expand-apps-workloads",
      "expand-jobs-and-replication-controllers",
      "expand-pod-templates",
      "expand-cronjobs",
    ]);
  });

  it.each(templates.map((t) => [t.metadata.name, t] as const))("template %s matches the ConstraintTemplate CRD and is CEL-only", (_name, template) => {
    expect(validateTemplate(template) ? [] : validateTemplate.errors).toEqual([]);
    const targets = template.spec.targets as { rego?: string; code: { engine: string }[] }[];
    expect(targets.flatMap((t) => t.code.map((c) => c.engine))).toEqual(["K8sNativeValidation"]);
    expect(targets.every((t) => t.rego === undefined)).toBe(true);
    expect(template.metadata.name).toBe((template.spec.crd as { spec: { names: { kind: string } } }).spec.names.kind.toLowerCase());
  });

  it.each(loadPolicies().map((p) => [p.name, p] as const))(
    "policy %s: the typed binding (cdk8s import of the CRD) carries every field of template.yaml",
    (_name, policy) => {
      const synthesized = templates.find((t) => t.metadata.name === policy.kind.toLowerCase());
      expect(synthesized?.spec).toEqual((policy.template as { spec: unknown }).spec);
    },
  );

  it.each(templates.map((t) => [t.metadata.name, t] as const))(
    "template %s declares no empty `properties: {}` (the API server drops it: a perpetual diff for pulumi up)",
    (_name, template) => {
      const empties: string[] = [];
      const walk = (node: unknown, path: string) => {
        if (node === null || typeof node !== "object") return;
        for (const [key, value] of Object.entries(node)) {
          if (key === "properties" && value !== null && typeof value === "object" && Object.keys(value).length === 0) empties.push(`${path}.properties`);
          walk(value, `${path}.${key}`);
        }
      };
      walk(template.spec.crd, "spec.crd");
      expect(empties).toEqual([]);
    },
  );

  it.each(templates.map((t) => [t.metadata.name, t] as const))("template %s has a structural parameters schema", (_name, template) => {
    const schema = (template.spec.crd as { spec: { validation: { openAPIV3Schema: Record<string, unknown> } } }).spec.validation.openAPIV3Schema;
    expect(structuralProblems(schema)).toEqual([]);
  });

  it.each(constraints.map((c) => [`${c.kind}/${c.metadata.name}`, c] as const))("constraint %s matches its generated CRD schema", (_id, constraint) => {
    const template = templates.find((t) => (t.spec.crd as { spec: { names: { kind: string } } }).spec.names.kind === constraint.kind);
    expect(template).toBeDefined();
    const parameters = (template!.spec.crd as { spec: { validation: { openAPIV3Schema: Record<string, unknown> } } }).spec.validation.openAPIV3Schema;
    const validate = ajv.compile(constraintSchema(constraint.kind, parameters));
    expect(validate(constraint) ? [] : validate.errors).toEqual([]);
  });

  it.each(objects.filter((o) => o.kind === "ExpansionTemplate").map((o) => [o.metadata.name, o] as const))("expansion template %s matches its CRD", (_n, o) => {
    expect(validateExpansion(o) ? [] : validateExpansion.errors).toEqual([]);
  });

  it("the schema catches a misspelt parameter (the API server would prune it silently)", () => {
    const c = constraintOf("allowed-registries");
    const template = templates.find((t) => t.metadata.name === "bulwarkallowedregistries")!;
    const validate = ajv.compile(
      constraintSchema(c.kind, (template.spec.crd as { spec: { validation: { openAPIV3Schema: Record<string, unknown> } } }).spec.validation.openAPIV3Schema),
    );
    expect(validate({ ...c, spec: { ...c.spec, parameters: { registry: ["x/"] } } })).toBe(false);
    expect(validate({ ...c, spec: { ...c.spec, match: { excludeNamespaces: ["kube-system"] } } })).toBe(false);
  });
});

describe("constraints from the stack config", () => {
  it("take parameters from bulwark:policy", () => {
    expect(constraintOf("allowed-registries").spec.parameters).toEqual({ registries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"] });
    expect(constraintOf("required-labels").spec.parameters).toEqual({ labels: ["app.kubernetes.io/name"] });
    expect(constraintOf("image-tags").spec.parameters).toEqual({ requireDigest: false });
    expect(constraintOf("rbac-no-wildcards").spec.parameters).toEqual({ exemptRequesters: [], exemptRequesterGroups: ["system:masters"] });
    const roles = synthesizeGatekeeperObjects({
      config: withPolicy({ rbacExemptRequesters: ["deployer", "argo"], publicSubjectBindings: ["RoleBinding/web/status"] }),
    }) as Obj[];
    for (const id of ["rbac-no-escalation-verbs", "rbac-no-wildcards", "rbac-no-sensitive-grants", "rbac-reserved-identities", "rbac-no-public-subjects"]) {
      expect([id, (constraintOf(id, roles).spec.parameters as { exemptRequesters: string[] }).exemptRequesters]).toEqual([id, ["argo", "deployer"]]);
    }
    expect((constraintOf("rbac-no-public-subjects", roles).spec.parameters as { allowedBindings: string[] }).allowedBindings).toEqual([
      "RoleBinding/web/status",
    ]);
    const digest = synthesizeGatekeeperObjects({ config: withPolicy({ requireImageDigest: true }) }) as Obj[];
    expect(constraintOf("image-tags", digest).spec.parameters).toEqual({ requireDigest: true });
  });

  it("give PSS constraints the cluster's version, or the override", () => {
    const pss = constraints.filter((c) => c.metadata.name.startsWith("pss-"));
    expect(pss.length).toBeGreaterThan(10);
    for (const c of pss) expect((c.spec.parameters as { version: string }).version).toBe("v1.36");
    const v130 = synthesizeGatekeeperObjects({ config, pssVersion: "v1.30" }) as Obj[];
    for (const c of v130.filter((o) => o.metadata.name.startsWith("pss-") && o.apiVersion.startsWith("constraints"))) {
      expect((c.spec.parameters as { version: string }).version).toBe("v1.30");
    }
  });

  // Bindings to anonymous users must be denied in the system namespaces too.
  const JUDGES_EXEMPT_NAMESPACES = ["rbac-no-public-subjects"];

  it("exclude exactly the system namespaces by default, by name", () => {
    for (const c of constraints.filter((o) => !JUDGES_EXEMPT_NAMESPACES.includes(o.metadata.name))) {
      const match = c.spec.match as { excludedNamespaces: string[] };
      expect([c.metadata.name, match.excludedNamespaces]).toEqual([c.metadata.name, [...DEFAULT_EXEMPT_NAMESPACES]]);
    }
  });

  it("judge public-subject bindings in every namespace, the system ones included", () => {
    for (const name of JUDGES_EXEMPT_NAMESPACES) expect((constraintOf(name).spec.match as { excludedNamespaces: string[] }).excludedNamespaces).toEqual([]);
  });

  it("use bulwark:policy.exemptNamespaces when the stack sets it", () => {
    const custom = synthesizeGatekeeperObjects({ config: withPolicy({ exemptNamespaces: ["kube-system", "monitoring"] }) }) as Obj[];
    expect((constraintOf("image-tags", custom).spec.match as { excludedNamespaces: string[] }).excludedNamespaces).toEqual(["kube-system", "monitoring"]);
  });

  it("skip baseline tenants in restricted-only checks, never in baseline checks", () => {
    const cfg: BulwarkConfig = { ...config, tenants: config.tenants.map((t) => (t.name === "web" ? { ...t, podSecurity: "baseline" as const } : t)) };
    const objs = synthesizeGatekeeperObjects({ config: cfg }) as Obj[];
    const excluded = (id: string) => (constraintOf(id, objs).spec.match as { excludedNamespaces: string[] }).excludedNamespaces;
    expect(excluded("pss-run-as-non-root")).toContain("web");
    expect(excluded("pss-privileged")).not.toContain("web");
    expect(excluded("allowed-registries")).not.toContain("web");
  });

  it("default to deny, follow bulwark:policy.enforcementAction, and a per-policy override wins", () => {
    for (const c of constraints) expect(c.spec.enforcementAction).toBe("deny");
    const warn = synthesizeGatekeeperObjects({ config: withPolicy({ enforcementAction: "warn", enforcementActions: { "image-tags": "dryrun" } }) }) as Obj[];
    expect(constraintOf("image-tags", warn).spec.enforcementAction).toBe("dryrun");
    expect(constraintOf("allowed-registries", warn).spec.enforcementAction).toBe("warn");
  });

  it("reject an enforcementActions key that names no policy, as a config error (exit 2)", () => {
    const build = () => synthesizeGatekeeperObjects({ config: withPolicy({ enforcementActions: { "image-tag": "warn" } }) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/bulwark:policy\.enforcementActions\.image-tag = "warn": no policy has the id image-tag; accepted ids: .*image-tags/);
  });

  it("refuse a wildcard exempt namespace and an unknown enforcement action at construction", () => {
    const app = new App();
    const chart = new Chart(app, "c");
    const base = { kind: "K8sX", name: "x", enforcementAction: "deny" as const, match: { excludedNamespaces: ["kube-*"] } };
    expect(() => new GatekeeperConstraint(chart, "a", base)).toThrow(/excludedNamespaces entry "kube-\*" is a wildcard/);
    expect(() => new GatekeeperConstraint(chart, "b", { ...base, match: {}, enforcementAction: "block" as never })).toThrow(/enforcementAction "block"/);
  });

  it("restrict the service-account-token policy to tenant namespaces", () => {
    expect((constraintOf("service-account-token").spec.match as { namespaces: string[] }).namespaces).toEqual(["payments", "web"]);
  });

  it("synthesize deterministically into the two named charts", () => {
    const again = synthesizeGatekeeperObjects({ config });
    expect(JSON.stringify(again)).toBe(JSON.stringify(objects));
    const app = new App();
    addGatekeeperCharts(app, config);
    expect(app.charts.map((c) => c.node.id)).toEqual([TEMPLATES_CHART, CONSTRAINTS_CHART]);
  });

  it("select bundles", () => {
    const baseline = synthesizeGatekeeperObjects({ config, bundle: "pss-baseline" }) as Obj[];
    const names = baseline.filter((o) => o.kind === "ConstraintTemplate").map((o) => o.metadata.annotations?.["bulwark.dev/bundles"]);
    expect(names.length).toBeGreaterThan(5);
    for (const bundles of names) expect(bundles).toContain("pss-baseline");
  });
});
