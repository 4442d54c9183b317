/**
 * The cluster-wide network guardrails: VPC CNI ClusterNetworkPolicies that tenants cannot override,
 * validated against the upstream CRD schema (test/fixtures/crds/).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Chart, Testing } from "cdk8s";
import { parseStackYaml } from "../../config/load";
import { CLUSTER_NETWORK_CHART, buildBulwarkApp } from "../../constructs/app";
import { TENANT_NAMESPACE_LABEL } from "../../constructs/baseline/defaults";
import { ClusterNetworkGuardrails, GUARDRAIL_NAMES } from "../../constructs/network/cluster-network-guardrails";
import type { Manifest } from "../support/repo";
import { vendoredCrd } from "../support/crd-schema";
import { REPO_ROOT, chartsOf, devConfig, findObject } from "../support/repo";

const CRD = vendoredCrd("networking.k8s.aws_clusternetworkpolicies.yaml");

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
      expect(object.apiVersion).toBe(`${CRD.group}/${CRD.version}`);
      expect(object.kind).toBe(CRD.kind);
      expect([object.metadata.name, CRD.errorsOf(object)]).toEqual([object.metadata.name, []]);
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
        from: [
          {
            namespaces: {
              matchExpressions: [
                { key: TENANT_NAMESPACE_LABEL, operator: "Exists" },
                { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["payments"] },
              ],
            },
          },
        ],
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
    const namespaces = chartsOf(buildBulwarkApp(devConfig()))
      .flatMap((c) => c.objects)
      .filter((o) => o.kind === "Namespace");
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
  const objects = guardrailsOf(
    chartsOf(buildBulwarkApp(parseStackYaml("dev", yaml, "Pulumi.dev.yaml"))).find((c) => c.id === CLUSTER_NETWORK_CHART)?.objects ?? [],
  );

  it("a tenant admitted by a grant is passed to the NetworkPolicies; the others stay denied", () => {
    const payments = findObject(objects, "ClusterNetworkPolicy", undefined, "bulwark-isolate-payments") as Policy;
    expect(JSON.stringify(payments.spec.ingress)).toContain('"values":["payments","web"]');
    const web = findObject(objects, "ClusterNetworkPolicy", undefined, "bulwark-isolate-web") as Policy;
    expect(JSON.stringify(web.spec.ingress)).toContain('"values":["web"]');
  });

  it("refuses to admit a tenant the stack does not have", () => {
    expect(() => new ClusterNetworkGuardrails(new Chart(Testing.app(), "c"), "g", { tenants: [{ name: "a", admitsTenants: ["b"] }] })).toThrow(
      /"b", which is not another tenant/,
    );
  });

  it("the schema check itself rejects a bad guardrail", () => {
    const bad = { ...devGuardrails[0], spec: { ...devGuardrails[0].spec, tier: "Root", priority: 5000 } };
    expect(JSON.stringify(CRD.errorsOf(bad))).toMatch(/tier|priority/);
    const typo = { ...devGuardrails[0], spec: { ...devGuardrails[0].spec, egres: [] } };
    expect(CRD.errorsOf(typo)).not.toEqual([]);
  });
});
