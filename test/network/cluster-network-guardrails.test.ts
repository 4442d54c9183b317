/**
 * The cluster-wide network guardrails: VPC CNI ClusterNetworkPolicies that tenants cannot override,
 * validated against the upstream CRD schema (test/fixtures/crds/).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { Chart, Testing } from "cdk8s";
import { parse } from "yaml";
import { parseStackYaml } from "../../config/load";
import { CLUSTER_NETWORK_CHART, buildBulwarkApp } from "../../constructs/app";
import { TENANT_NAMESPACE_LABEL } from "../../constructs/baseline/defaults";
import { ClusterNetworkGuardrails, GUARDRAIL_NAMES } from "../../constructs/network/cluster-network-guardrails";
import type { Manifest } from "../support/repo";
import { REPO_ROOT, chartsOf, devConfig, findObject } from "../support/repo";

const CRD = parse(readFileSync(join(REPO_ROOT, "test/fixtures/crds/networking.k8s.aws_clusternetworkpolicies.yaml"), "utf8")) as {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
};
const served = CRD.spec.versions.find((v) => v.served) as (typeof CRD.spec.versions)[number];
/**
 * The schema as the API server applies it with strict field validation: a field the schema does not name is
 * an error (it would be pruned, silently dropping a rule), unless the schema preserves unknown fields.
 */
function strictStructural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictStructural);
  if (schema === null || typeof schema !== "object") return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, strictStructural(sub)])) : strictStructural(v)]));
  const node = schema as Record<string, unknown>;
  if (node.type === "object" && node.properties && node["x-kubernetes-preserve-unknown-fields"] !== true && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat("date-time", { type: "string", validate: (s: string) => !Number.isNaN(Date.parse(s)) });
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
const validate = ajv.compile(strictStructural(served.schema.openAPIV3Schema) as Record<string, unknown>);

type Policy = Manifest & { spec: { tier: string; priority: number; subject: unknown; ingress?: unknown[]; egress?: unknown[] } };
const guardrailsOf = (objects: Manifest[]) => objects as Policy[];
const devGuardrails = guardrailsOf(chartsOf(buildBulwarkApp(devConfig())).find((c) => c.id === CLUSTER_NETWORK_CHART)?.objects ?? []);

describe("the dev stack's guardrails", () => {
  it("are ClusterNetworkPolicies of the CRD's group and served version, valid against its schema", () => {
    expect(devGuardrails.map((o) => o.metadata.name)).toEqual([
      GUARDRAIL_NAMES.instanceMetadata,
      `${GUARDRAIL_NAMES.tenantIsolationPrefix}payments`,
      `${GUARDRAIL_NAMES.tenantIsolationPrefix}web`,
      GUARDRAIL_NAMES.baselineDefaultDeny,
    ]);
    for (const object of devGuardrails) {
      expect(object.apiVersion).toBe(`${CRD.spec.group}/${served.name}`);
      expect(object.kind).toBe(CRD.spec.names.kind);
      expect([object.metadata.name, validate(object) ? [] : validate.errors]).toEqual([object.metadata.name, []]);
    }
  });

  it("Admin tier: tenant pods never reach the IPv4 or IPv6 instance metadata endpoint", () => {
    const policy = findObject(devGuardrails, "ClusterNetworkPolicy", undefined, GUARDRAIL_NAMES.instanceMetadata) as Policy;
    expect(policy.spec).toEqual({
      tier: "Admin",
      priority: 10,
      subject: { namespaces: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: "Exists" }] } },
      egress: [{ name: "deny-instance-metadata", action: "Deny", to: [{ networks: ["169.254.169.254/32", "fd00:ec2::254/128"] }] }],
    });
  });

  it("Admin tier: each tenant denies every other tenant's pods, which no NetworkPolicy can re-open", () => {
    const policy = findObject(devGuardrails, "ClusterNetworkPolicy", undefined, "bulwark-isolate-payments") as Policy;
    expect(policy.spec).toMatchObject({ tier: "Admin", subject: { namespaces: { matchLabels: { "kubernetes.io/metadata.name": "payments" } } } });
    expect(policy.spec.ingress).toEqual([
      {
        name: "deny-other-tenants",
        action: "Deny",
        from: [{ namespaces: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: "Exists" }, { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["payments"] }] } }],
      },
    ]);
  });

  it("Baseline tier: what no NetworkPolicy allows is denied, both ways", () => {
    const policy = findObject(devGuardrails, "ClusterNetworkPolicy", undefined, GUARDRAIL_NAMES.baselineDefaultDeny) as Policy;
    expect(policy.spec.tier).toBe("Baseline");
    expect(policy.spec.ingress).toEqual([{ name: "deny-all-ingress", action: "Deny", from: [{ namespaces: {} }] }]);
    expect(policy.spec.egress).toEqual([{ name: "deny-all-egress", action: "Deny", to: [{ namespaces: {} }, { networks: ["0.0.0.0/0", "::/0"] }] }]);
  });

  it("every tenant Namespace carries the label the guardrails select it by", () => {
    const namespaces = chartsOf(buildBulwarkApp(devConfig())).flatMap((c) => c.objects).filter((o) => o.kind === "Namespace");
    expect(namespaces.map((ns) => [ns.metadata.name, ns.metadata.labels?.[TENANT_NAMESPACE_LABEL]])).toEqual([
      ["payments", "payments"],
      ["web", "web"],
    ]);
  });
});

describe("guardrails follow the stack's declared tenant-to-tenant grants", () => {
  const yaml = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8").replace(
    "  bulwark:tenants:\n    - name: payments\n",
    "  bulwark:tenants:\n    - name: payments\n      ingress:\n        - { name: api, ports: [{ port: 8443 }], from: { tenants: [web] } }\n",
  );
  const objects = guardrailsOf(chartsOf(buildBulwarkApp(parseStackYaml("dev", yaml, "Pulumi.dev.yaml"))).find((c) => c.id === CLUSTER_NETWORK_CHART)?.objects ?? []);

  it("a tenant admitted by a grant is passed to the NetworkPolicies; the others stay denied", () => {
    const payments = findObject(objects, "ClusterNetworkPolicy", undefined, "bulwark-isolate-payments") as Policy;
    expect(JSON.stringify(payments.spec.ingress)).toContain('"values":["payments","web"]');
    const web = findObject(objects, "ClusterNetworkPolicy", undefined, "bulwark-isolate-web") as Policy;
    expect(JSON.stringify(web.spec.ingress)).toContain('"values":["web"]');
  });

  it("refuses to admit a tenant the stack does not have", () => {
    expect(() => new ClusterNetworkGuardrails(new Chart(Testing.app(), "c"), "g", { tenants: [{ name: "a", admitsTenants: ["b"] }] })).toThrow(/"b", which is not another tenant/);
  });

  it("the schema check itself rejects a bad guardrail", () => {
    const bad = { ...devGuardrails[0], spec: { ...devGuardrails[0].spec, tier: "Root", priority: 5000 } };
    expect(validate(bad)).toBe(false);
    expect(JSON.stringify(validate.errors)).toMatch(/tier|priority/);
    const typo = { ...devGuardrails[0], spec: { ...devGuardrails[0].spec, egres: [] } };
    expect(validate(typo)).toBe(false);
  });
});
