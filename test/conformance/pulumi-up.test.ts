import { specDifferences } from "../../conformance/pulumi/observe";
import { conformanceConfig, conformanceStackEntries, noNodesTransform } from "../../conformance/pulumi/program";
import { REPO_ROOT } from "../support/repo";

describe("the pulumi-up judge's pieces (the real engine runs only in npm run conformance)", () => {
  test("specDifferences: every synthesized field must be live with the same value; server defaults are fine", () => {
    const synthesized = { kind: "NetworkPolicy", spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
    const live = {
      kind: "NetworkPolicy",
      metadata: { uid: "u" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] },
    };
    expect(specDifferences(synthesized, live)).toEqual([]);
    expect(specDifferences(synthesized, { ...live, spec: { ...live.spec, egress: [{ ports: [{ port: 54 }] }] } })).toEqual([
      "spec.egress[0].ports[0].port: expected 53, live 54",
    ]);
    expect(specDifferences(synthesized, { ...live, spec: { ...live.spec, egress: [] } })).toEqual([expect.stringMatching(/^spec\.egress: expected/)]);
    expect(specDifferences({ a: { b: 1 } }, {})).toEqual(["a: expected a mapping, live undefined"]);
  });

  test("the test-only transform: Helm releases without waiting, hooks or webhook configuration; quotas not awaited", () => {
    const release = noNodesTransform({
      custom: true,
      type: "kubernetes:helm.sh/v3:Release",
      name: "gk",
      props: { chart: "gatekeeper", values: { replicas: 3 } },
      opts: {},
    });
    expect(release).toEqual({
      props: { chart: "gatekeeper", atomic: false, skipAwait: true, disableWebhooks: true, values: { replicas: 3, disableValidatingWebhook: true } },
      opts: {},
    });
    expect(noNodesTransform({ custom: true, type: "kubernetes:core/v1:Namespace", name: "ns", props: {}, opts: {} })).toBeUndefined();
    const quota = noNodesTransform({ custom: true, type: "kubernetes:core/v1:ResourceQuota", name: "q", props: { metadata: { name: "q" } }, opts: {} });
    expect(quota).toEqual({ props: { metadata: { name: "q", annotations: { "pulumi.com/skipAwait": "true" } } }, opts: {} });
  });

  test("the stack is the dev stack as a cluster made elsewhere, on the loopback kubeconfig, with the module's chart", () => {
    const entries = conformanceStackEntries(REPO_ROOT, "/tmp/run/kubeconfig", "/mod/gatekeeper/v3@v3.21.1");
    const config = conformanceConfig(entries);
    expect(config.deploy).toEqual({
      target: "existing",
      kubeconfig: { path: "/tmp/run/kubeconfig" },
      charts: { gatekeeper: { path: "/mod/gatekeeper/v3@v3.21.1/charts/gatekeeper" } },
    });
    expect(Object.keys(entries["bulwark:cluster"] as object).sort()).toEqual(["acceptExtendedSupportCharges", "kubernetesVersion", "name"]);
    expect(config.tenants.length).toBeGreaterThanOrEqual(2);
  });
});
