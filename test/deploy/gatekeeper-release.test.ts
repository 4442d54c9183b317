import { loadPolicies } from "../../constructs/gatekeeper/policy";
import { GATEKEEPER_CHART, gatekeeperValues } from "../../lib/gatekeeper/release";
import type { PlannedResource } from "../../lib/plan/engine";
import { planProgram } from "../support/plan";

describe("GatekeeperRelease", () => {
  let release: PlannedResource;
  let component: PlannedResource;
  beforeAll(async () => {
    const plan = await planProgram(
      async () => {
        const k8s = await import("@pulumi/kubernetes");
        const { GatekeeperRelease } = await import("../../lib/gatekeeper/release");
        const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
        new GatekeeperRelease("gatekeeper", { provider, exemptNamespaces: ["kube-system", "kube-public", "kube-node-lease", "platform-tools"] });
      },
      { status: { namespace: "gatekeeper-system" } },
    );
    release = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
    component = plan.resources.find((r) => r.type === "bulwark:gatekeeper:Release")!;
  });
  const values = () => release.inputs.values as Record<string, Record<string, unknown>>;

  test("is a pinned Helm release (>= 3.20), child of the component, on the cluster's provider", () => {
    expect(release.name).toBe("gatekeeper-release");
    expect(release.parent).toBe(component.urn);
    expect(release.provider).toMatch(/pulumi:providers:kubernetes::cluster$/);
    expect(release.inputs.chart).toBe("gatekeeper");
    expect(release.inputs.version).toBe(GATEKEEPER_CHART.version);
    const [major, minor] = GATEKEEPER_CHART.version.split(".").map(Number);
    expect(major > 3 || (major === 3 && minor >= 20)).toBe(true);
    expect(release.inputs.repositoryOpts).toEqual({ repo: GATEKEEPER_CHART.repository });
    expect(release.inputs.namespace).toBe("gatekeeper-system");
  });

  test("runs several replicas behind a PodDisruptionBudget, with resource limits", () => {
    expect(values().replicas).toBe(3);
    expect(values().pdb).toEqual({ controllerManager: { minAvailable: 2 } });
    for (const part of ["controllerManager", "audit"]) {
      const resources = values()[part].resources as { limits: Record<string, string>; requests: Record<string, string> };
      expect(Object.keys(resources.limits).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(resources.requests).sort()).toEqual(["cpu", "memory"]);
    }
  });

  test("audits, fails closed, generates ValidatingAdmissionPolicies from CEL templates, expands controllers", () => {
    expect(values().disableAudit).toBe(false);
    expect(values().validatingWebhookFailurePolicy).toBe("Fail");
    expect(values().enableK8sNativeValidation).toBe(true);
    expect(values().defaultCreateVAPForTemplates).toBe(true);
    expect(values().defaultCreateVAPBindingForConstraints).toBe(true);
    expect(values().enableGeneratorResourceExpansion).toBe(true);
    expect(values().disableMutation).toBe(true);
  });

  test("exempts the configured namespaces, always including its own and kube-system, never by wildcard", () => {
    expect(values().controllerManager.exemptNamespaces).toEqual(["gatekeeper-system", "kube-node-lease", "kube-public", "kube-system", "platform-tools"]);
    expect(gatekeeperValues({ exemptNamespaces: [] }).controllerManager).toMatchObject({ exemptNamespaces: ["gatekeeper-system", "kube-system"] });
    expect(() => gatekeeperValues({ exemptNamespaces: ["kube-*"] })).toThrow(
      /exemptNamespaces entry "kube-\*" must be a namespace name; wildcards are not accepted/,
    );
  });

  test("the generated ValidatingAdmissionPolicies fail closed: the chart default is Fail and no template overrides it", () => {
    expect(values().defaultK8sNativeValidationFailurePolicy).toBe("Fail");
    // The webhook's fail-open opt-out leaves the in-API-server policies failing closed.
    expect(gatekeeperValues({ webhookFailOpenAcceptingBypassDuringOutage: true }).defaultK8sNativeValidationFailurePolicy).toBe("Fail");
    const policies = loadPolicies();
    expect(policies.length).toBeGreaterThan(30);
    for (const policy of policies) {
      const targets = (policy.template.spec as { targets: { code: { engine: string; source: Record<string, unknown> }[] }[] }).targets;
      const sources = targets.flatMap((t) => t.code).filter((c) => c.engine === "K8sNativeValidation");
      expect([policy.name, sources.length]).toEqual([policy.name, 1]);
      // Absent means the chart default (Fail); anything else would have to be Fail too.
      for (const source of sources) expect([policy.name, source.source.failurePolicy ?? "Fail"]).toEqual([policy.name, "Fail"]);
    }
  });

  test("the fail-open opt-out is explicit, and a single replica is refused", () => {
    expect(gatekeeperValues({ webhookFailOpenAcceptingBypassDuringOutage: true }).validatingWebhookFailurePolicy).toBe("Ignore");
    expect(() => gatekeeperValues({ replicas: 1 })).toThrow(/replicas 1 must be a whole number >= 2/);
  });
});
