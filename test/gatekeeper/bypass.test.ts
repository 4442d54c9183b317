import { Chart, Size, Testing } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import type { BulwarkConfig } from "../../config/model";
import { buildBulwarkApp } from "../../constructs/app";
import { HardenedWorkload } from "../../constructs/workload/hardened-workload";
import type { Checker } from "../../constructs/gatekeeper/check";
import { createChecker } from "../../constructs/gatekeeper/check";
import { devConfig } from "../support/repo";
import { controllersWith, ECR, goodContainer, goodPodSpec, podWith } from "./fixtures";

const config = devConfig();
const checker = createChecker({ config });

function policies(checkerToUse: Checker, object: Record<string, unknown>): string[] {
  return [...new Set(checkerToUse.checkObject(object).map((v) => v.policy))].sort();
}

describe("positive controls", () => {
  it("the compliant pod and its seven controllers pass every policy of the dev stack", () => {
    expect(checker.checkObject(podWith(goodPodSpec()))).toEqual([]);
    for (const workload of controllersWith(goodPodSpec())) expect([workload.kind, checker.checkObject(workload)]).toEqual([workload.kind, []]);
  });
});

describe("pod templates nested in every controller kind are checked (expansion)", () => {
  const badSpec = { ...goodPodSpec(), containers: [goodContainer("app", "nginx:1.27")] };
  it.each(controllersWith(badSpec).map((w) => [w.kind as string, w] as const))("%s with a docker.io image is denied", (_kind, workload) => {
    const violations = checker.checkObject(workload).filter((v) => v.policy === "BulwarkAllowedRegistries/allowed-registries");
    expect(violations).toHaveLength(1);
    expect(violations[0].enforcementAction).toBe("deny");
    expect(violations[0].message).toMatch(/^\[Implied by expand-[a-z-]+\] .*docker\.io\/library\/nginx:1\.27/);
  });

  it.each(controllersWith({ ...goodPodSpec(), hostNetwork: true }).map((w) => [w.kind as string, w] as const))(
    "%s with hostNetwork is denied by Pod Security baseline",
    (_kind, workload) => {
      expect(policies(checker, workload)).toContain("K8sPSSHostNamespaces/pss-host-namespaces");
    },
  );
});

describe("every container list is checked", () => {
  it("an init container from another registry is denied", () => {
    const spec = { ...goodPodSpec(), initContainers: [goodContainer("init", "ghcr.io/example/init:1.0")] };
    expect(policies(checker, podWith(spec))).toEqual(["BulwarkAllowedRegistries/allowed-registries"]);
  });

  it("an ephemeral container with :latest from another registry is denied by both image policies", () => {
    const spec = { ...goodPodSpec(), ephemeralContainers: [{ ...goodContainer("debug", "busybox:latest"), resources: undefined }] };
    expect(policies(checker, podWith(spec))).toEqual(["BulwarkAllowedRegistries/allowed-registries", "BulwarkImageTags/image-tags"]);
  });

  it("a privileged ephemeral container is denied", () => {
    const debug = { ...goodContainer("debug"), securityContext: { ...(goodContainer().securityContext as object), privileged: true } };
    delete (debug as Record<string, unknown>).resources;
    expect(policies(checker, podWith({ ...goodPodSpec(), ephemeralContainers: [debug] }))).toContain("K8sPSSPrivileged/pss-privileged");
  });
});

describe("container-level settings override pod-level ones", () => {
  it("a container setting runAsNonRoot: false under a pod that sets true is denied", () => {
    const container = { ...goodContainer(), securityContext: { ...(goodContainer().securityContext as object), runAsNonRoot: false } };
    expect(policies(checker, podWith({ ...goodPodSpec(), containers: [container] }))).toContain("K8sPSSRunAsNonRoot/pss-run-as-non-root");
  });

  it("a container setting seccomp Unconfined under a RuntimeDefault pod is denied", () => {
    const container = { ...goodContainer(), securityContext: { ...(goodContainer().securityContext as object), seccompProfile: { type: "Unconfined" } } };
    expect(policies(checker, podWith({ ...goodPodSpec(), containers: [container] })).join(" ")).toMatch(/K8sPSSSeccomp/);
  });
});

describe("registry look-alikes are denied", () => {
  const lookAlikes = [
    `${ECR.slice(0, -1)}.attacker.example/payments/api:1.0`,
    `${ECR.slice(0, -1)}x/payments/api:1.0`,
    `${ECR.slice(0, -1)}:443/payments/api:1.0`,
    `${ECR.toUpperCase()}payments/api:1.0`,
    `attacker.example/${ECR}payments/api:1.0`,
    `docker.io/${ECR}payments/api:1.0`,
    `${ECR.slice(0, -1)}`,
    "payments/api:1.0",
  ];
  it.each(lookAlikes)("%s", (image) => {
    const spec = { ...goodPodSpec(), containers: [goodContainer("app", image)] };
    expect(policies(checker, podWith(spec))).toContain("BulwarkAllowedRegistries/allowed-registries");
  });

  it("the configured registry itself is allowed (control)", () => {
    const spec = { ...goodPodSpec(), containers: [goodContainer("app", `${ECR}payments/deep/path/api:1.0`)] };
    expect(policies(checker, podWith(spec))).toEqual([]);
  });
});

describe("exempt namespaces are an explicit list", () => {
  const bad = { ...goodPodSpec(), hostPID: true, containers: [goodContainer("app", "nginx:latest")] };
  it.each(["kube-system", "kube-public", "kube-node-lease", "gatekeeper-system"])("%s is exempt", (ns) => {
    expect(checker.checkObject(podWith(bad, ns))).toEqual([]);
  });
  it.each(["kube-systemx", "kube-other", "gatekeeper", "default"])("%s is not exempt (no wildcard)", (ns) => {
    expect(checker.checkObject(podWith(bad, ns)).length).toBeGreaterThan(0);
  });
});

describe("per-tenant Pod Security level", () => {
  const baselineWeb: BulwarkConfig = { ...config, tenants: config.tenants.map((t) => (t.name === "web" ? { ...t, podSecurity: "baseline" as const } : t)) };
  const webBaseline = createChecker({ config: baselineWeb });
  // Passes baseline, fails restricted (no drop ALL, no seccomp, may run as root).
  const baselineOnly = {
    ...goodPodSpec(),
    securityContext: {},
    containers: [{ name: "app", image: `${ECR}web/site:2.0`, resources: goodContainer().resources }],
  };

  it("restricted checks skip a tenant configured baseline", () => {
    expect(webBaseline.checkObject(podWith(baselineOnly, "web"))).toEqual([]);
  });
  it("restricted checks still apply to the other tenants", () => {
    expect(webBaseline.checkObject(podWith(baselineOnly, "payments")).length).toBeGreaterThan(0);
  });
  it("baseline checks still apply to the baseline tenant", () => {
    expect(policies(webBaseline, podWith({ ...baselineOnly, hostIPC: true }, "web"))).toEqual(["K8sPSSHostNamespaces/pss-host-namespaces"]);
  });
});

describe("the blueprint's own objects", () => {
  it("a HardenedWorkload with default settings passes every policy (Deployment, Service, ...)", () => {
    const chart = new Chart(Testing.app(), "wl", { disableResourceNameHashes: true });
    new HardenedWorkload(chart, "api", {
      name: "api",
      namespace: "payments",
      image: `${ECR}payments/api:1.4.2`,
      port: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    });
    const objects = chart.toJson() as Record<string, unknown>[];
    expect(objects.some((o) => o.kind === "Deployment")).toBe(true);
    const failing = objects.map((o) => [o.kind, checker.checkObject(o)] as const).filter(([, v]) => v.length > 0);
    expect(failing).toEqual([]);
  });

  it("every object the dev stack ships passes every policy (or is exempt by a named rule)", () => {
    const app = buildBulwarkApp(config);
    const objects = app.charts.flatMap((chart) => chart.toJson() as Record<string, unknown>[]);
    const report = checker.checkObjects(objects.map((object, i) => ({ file: "synth", document: i + 1, line: 1, object })));
    const failing = report.results
      .filter((r) => r.violations.length > 0)
      .map((r) => ({ object: `${r.kind}/${r.namespace}/${r.name}`, violations: r.violations }));
    expect(failing).toEqual([]);
    expect(report.summary.objects).toBeGreaterThan(10);
  });
});
