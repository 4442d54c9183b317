import type { KubernetesObject } from "../../lib/bridge/cdk8s-chart";
import { TEMPLATE_READY_ANNOTATION, applyStage } from "../../lib/bridge/cdk8s-chart";
import type { Plan, PlannedResource } from "../../lib/plan/engine";
import { planProgram } from "../support/plan";
import { chartsOf, devConfig } from "../support/repo";
import { buildBulwarkApp } from "../../constructs/app";

/** Plans the bridge over `charts`, with one Kubernetes provider. */
async function planCharts(charts: { id: string; objects: readonly KubernetesObject[] }[]): Promise<Plan> {
  return planProgram(async () => {
    const k8s = await import("@pulumi/kubernetes");
    const { Cdk8sChartResources } = await import("../../lib/bridge/cdk8s-chart");
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    for (const chart of charts) new Cdk8sChartResources(chart.id, { objects: chart.objects, provider });
  });
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

const isObjectResource = (r: PlannedResource) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:yaml");

const GATEKEEPER_CHART = {
  id: "policies",
  objects: [
    { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sRequiredOwner", metadata: { name: "owner" }, spec: { enforcementAction: "deny" } },
    {
      apiVersion: "templates.gatekeeper.sh/v1",
      kind: "ConstraintTemplate",
      metadata: { name: "k8srequiredowner" },
      spec: { crd: { spec: { names: { kind: "K8sRequiredOwner" } } }, targets: [] },
    },
    { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "things.example.com" }, spec: {} },
  ] as KubernetesObject[],
};

describe("the cdk8s → Pulumi bridge", () => {
  let devPlan: Plan;
  const devCharts = chartsOf(buildBulwarkApp(devConfig()));
  beforeAll(async () => {
    devPlan = await planCharts(devCharts);
  });

  test("registers every synthesized object as its own resource, byte-for-byte, with the cluster's provider", () => {
    const objects = devCharts.flatMap((c) => c.objects);
    const resources = devPlan.resources.filter(isObjectResource);
    expect(resources).toHaveLength(objects.length);
    expect(objects.filter((o) => o.kind === "ConstraintTemplate").length).toBeGreaterThanOrEqual(20);
    const provider = devPlan.resources.find((r) => r.type === "pulumi:providers:kubernetes")!.urn;
    // ConstraintTemplates carry the readiness annotation (tested below); everything else is unchanged.
    const withoutReadiness = (inputs: Record<string, unknown>) => {
      const metadata = { ...(inputs.metadata as Record<string, unknown>) };
      if (inputs.kind !== "ConstraintTemplate") return inputs;
      const annotations = { ...(metadata.annotations as Record<string, string>) };
      for (const key of Object.keys(TEMPLATE_READY_ANNOTATION)) delete annotations[key];
      if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
      else delete metadata.annotations;
      return { ...inputs, metadata };
    };
    for (const object of objects) {
      const match = resources.filter((r) => canonical(withoutReadiness(r.inputs)) === canonical(object));
      expect([object.kind, object.metadata.name, match.length]).toEqual([object.kind, object.metadata.name, 1]);
      expect(match[0].provider).toBe(provider);
    }
  });

  test("namespaced objects are applied after their Namespace", () => {
    const namespaces = devPlan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    expect(namespaces).toHaveLength(2);
    for (const resource of devPlan.resources.filter(isObjectResource)) {
      const ns = (resource.inputs.metadata as { namespace?: string }).namespace;
      if (ns === undefined) continue; // cluster-scoped
      const namespace = namespaces.find((n) => (n.inputs.metadata as { name: string }).name === ns)!;
      expect(resource.dependsOn).toContain(namespace.urn);
    }
  });

  test("CRDs first, then templates (marked to wait for their CRD), then constraints", async () => {
    const plan = await planCharts([GATEKEEPER_CHART]);
    const byKind = (kind: string) => plan.resources.find((r) => isObjectResource(r) && r.inputs.kind === kind)!;
    const crd = byKind("CustomResourceDefinition");
    const template = byKind("ConstraintTemplate");
    const constraint = byKind("K8sRequiredOwner");
    expect(template.dependsOn).toContain(crd.urn);
    expect(constraint.dependsOn).toContain(template.urn);
    expect((template.inputs.metadata as { annotations: Record<string, string> }).annotations).toEqual(TEMPLATE_READY_ANNOTATION);
    // The annotation is the only change: everything else is the synthesized template.
    const { annotations: _dropped, ...metadata } = template.inputs.metadata as Record<string, unknown>;
    expect(canonical({ ...template.inputs, metadata })).toBe(canonical(GATEKEEPER_CHART.objects[1]));
    expect(canonical(constraint.inputs)).toBe(canonical(GATEKEEPER_CHART.objects[0]));
  });

  test("apply stages", () => {
    expect(GATEKEEPER_CHART.objects.map(applyStage)).toEqual(["constraints", "templates", "definitions"]);
    expect(applyStage({ apiVersion: "v1", kind: "Namespace" })).toBe("namespaces");
    expect(applyStage({ apiVersion: "expansion.gatekeeper.sh/v1beta1", kind: "ExpansionTemplate" })).toBe("templates");
    expect(applyStage({ apiVersion: "apps/v1", kind: "Deployment" })).toBe("objects");
  });

  test("rejects a malformed or duplicated object before registering anything", async () => {
    const bad = { id: "bad", objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: {} } as unknown as KubernetesObject] };
    await expect(planCharts([bad])).rejects.toThrow(/objects\[0\] is not a Kubernetes object/);
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "n" } };
    await expect(planCharts([{ id: "dup", objects: [cm, cm] }])).rejects.toThrow(/objects\[1\] duplicates v1\/ConfigMap\/n\/a/);
  });

  test("the plan masks secrets and is deterministic", async () => {
    const again = await planCharts(devCharts);
    expect(JSON.stringify(again)).toBe(JSON.stringify(devPlan));
    const provider = devPlan.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(provider.inputs.kubeconfig).toBe("{}");
    const secretPlan = await planProgram(async () => {
      const pulumi = await import("@pulumi/pulumi");
      const k8s = await import("@pulumi/kubernetes");
      new k8s.Provider("secret", { kubeconfig: pulumi.secret("token: abc") });
    });
    expect(secretPlan.resources.find((r) => r.name === "secret")!.inputs.kubeconfig).toBe("[secret]");
    expect(JSON.stringify(secretPlan)).not.toContain("abc");
  });
});
