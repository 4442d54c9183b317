import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStackFile } from "../../config/load";
import { gatekeeperValues } from "../../lib/gatekeeper/release";
import { managerFlags } from "../../conformance/apiserver/gatekeeper-process";
import { generatedTenantName, pinnedVersion, splitYamlDocuments, writeManyTenantStack } from "../../conformance/apiserver/manifests";
import { GATEKEEPER_CHART } from "../../lib/gatekeeper/release";
import {
  blueprintNamespaceLabels,
  expectsViolation,
  judgeableVersions,
  minorOf,
  pinPodSecurityVersion,
  placeIn,
  psaNamespaceName,
  psaVerdict,
  suiteSampleCases,
} from "../../conformance/apiserver/psa-cases";
import { admissionVerdict, deniedConstraints, vapBindingName } from "../../conformance/apiserver/verdicts";
import { devConfig, REPO_ROOT } from "../support/repo";

describe("conformance/versions.env pins what the blueprint deploys", () => {
  it("Gatekeeper at the chart version, kube-apiserver at the dev cluster's minor", () => {
    expect(pinnedVersion("GATEKEEPER_VERSION")).toBe(`v${GATEKEEPER_CHART.version}`);
    expect(pinnedVersion("KUBERNETES_VERSION")).toMatch(new RegExp(`^v${devConfig().cluster.kubernetesVersion.replace(".", "\\.")}\\.\\d+$`));
    expect(() => pinnedVersion("NO_SUCH_KEY")).toThrow(/has no NO_SUCH_KEY=/);
  });
});

describe("Pod Security version and label mapping", () => {
  it("judges v1.30 up to the server's own minor only", () => {
    expect(judgeableVersions("v1.33.13")).toEqual(["v1.30", "v1.31", "v1.32", "v1.33"]);
    expect(judgeableVersions("v1.30.0")).toEqual(["v1.30"]);
    expect(() => judgeableVersions("1.33")).toThrow(/not v1/);
    expect(minorOf("v1.35")).toBe(35);
    expect(() => minorOf("latest")).toThrow(/not v1/);
  });

  it("labels namespaces as TenantNamespace does, with every *-version pinned", () => {
    expect(blueprintNamespaceLabels("baseline", "v1.31")).toMatchObject({
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/enforce-version": "v1.31",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "v1.31",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "v1.31",
    });
    expect(pinPodSecurityVersion({ a: "v1.33", "pod-security.kubernetes.io/enforce-version": "v1.33" }, "v1.30")).toEqual({
      a: "v1.33",
      "pod-security.kubernetes.io/enforce-version": "v1.30",
    });
    expect(psaNamespaceName("restricted", "v1.33")).toBe("psa-restricted-v1-33");
  });

  it("reads PSA's verdict: Pods by 403, controllers by warning, 422 as no verdict", () => {
    expect(psaVerdict(201, "", [], false)).toBe("allowed");
    expect(psaVerdict(403, 'pods "x" is forbidden: violates PodSecurity "restricted:v1.33": ...', [], false)).toBe("forbidden");
    expect(psaVerdict(403, "forbidden by something else", [], false)).toEqual({ error: "HTTP 403 forbidden by something else" });
    expect(psaVerdict(201, "", ['299 - "would violate PodSecurity \\"restricted:v1.33\\""'], true)).toBe("forbidden");
    expect(psaVerdict(201, "", [], true)).toBe("allowed");
    expect(psaVerdict(422, "invalid name", [], false)).toEqual({ invalid: "invalid name" });
  });

  it("renames upstream fixtures to valid object names in the judged namespace", () => {
    expect(placeIn({ kind: "Pod", metadata: { name: "capabilities_baseline0" } }, "ns")).toEqual({
      kind: "Pod",
      metadata: { name: "capabilities-baseline0", namespace: "ns" },
    });
  });
});

describe("admission verdicts of the gatekeeper-admission judge", () => {
  it("tells PSA, generated VAPs and Gatekeeper's webhook apart; 409 is allowed, a plain 422 is invalid", () => {
    const vap = `pods "x" is forbidden: ValidatingAdmissionPolicy 'gatekeeper-k8spssprivileged' with binding 'gatekeeper-pss-privileged' denied request: no`;
    expect(admissionVerdict(422, vap)).toMatchObject({ kind: "denied", by: "ValidatingAdmissionPolicy" });
    expect(deniedConstraints(admissionVerdict(422, vap))).toEqual(["pss-privileged"]);
    // Gatekeeper 3.23 names the binding after the constraint's kind and name.
    const kinded = `pods "x" is forbidden: ValidatingAdmissionPolicy 'gatekeeper-k8spssprivileged' with binding 'gatekeeper-k8spssprivileged-pss-privileged' denied request: no`;
    expect(deniedConstraints(admissionVerdict(422, kinded))).toEqual(["pss-privileged"]);
    expect(vapBindingName("K8sPSSPrivileged", "pss-privileged")).toBe("gatekeeper-k8spssprivileged-pss-privileged");
    const webhook = 'admission webhook "validation.gatekeeper.sh" denied the request: [required-labels] missing\n[image-tags] latest';
    expect(deniedConstraints(admissionVerdict(403, webhook))).toEqual(["image-tags", "required-labels"]);
    expect(admissionVerdict(403, 'pods "x" is forbidden: violates PodSecurity "baseline:v1.33"')).toMatchObject({ kind: "denied", by: "PodSecurity" });
    expect(admissionVerdict(409, "already exists")).toEqual({ kind: "allowed", message: "" });
    expect(admissionVerdict(422, "spec.ephemeralContainers: Forbidden")).toEqual({ kind: "invalid", message: "spec.ephemeralContainers: Forbidden" });
    expect(admissionVerdict(500, "boom")).toEqual({ kind: "error", message: "HTTP 500 boom" });
  });

  it("reads suite expectations: yes, YAML-1.1 true and positive counts expect a violation", () => {
    expect([expectsViolation("yes"), expectsViolation(true), expectsViolation(2), expectsViolation("no"), expectsViolation(0)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    const cases = suiteSampleCases(join(REPO_ROOT, "constructs", "gatekeeper", "policies", "service-no-nodeport"), "service-no-nodeport");
    expect(cases.filter((c) => c.expectDenied).map((c) => c.id)).toEqual(expect.arrayContaining(["samples/service-no-nodeport/disallowed-nodeport.yaml#1"]));
    expect(cases.some((c) => c.id.includes("constraint"))).toBe(false);
  });
});

describe("inputs of the apiserver-dry-run judge", () => {
  it("keeps each YAML document's text byte for byte", () => {
    const text = "a: 1\n---\n# note\nb: yes\n";
    const docs = splitYamlDocuments("f.yaml", text);
    expect(docs.map((d) => d.object)).toEqual([{ a: 1 }, { b: "yes" }]);
    expect(docs[1].text).toContain("b: yes");
    expect(() => splitYamlDocuments("bad.yaml", "a: [")).toThrow(/bad.yaml: document 1/);
  });

  it("writes a valid many-tenant stack file", () => {
    const dir = mkdtempSync(join(tmpdir(), "many-"));
    try {
      writeManyTenantStack(dir, "many", 3);
      const config = loadStackFile("many", dir);
      expect(config.tenants.map((t) => t.name)).toEqual([generatedTenantName(1), generatedTenantName(2), "tenant-003"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the manager with the blueprint's chart values, on loopback, without a listening metrics exporter", () => {
    const flags = managerFlags(gatekeeperValues({ exemptNamespaces: ["kube-system"] }), { webhook: 1, health: 2, otlp: 3 }, "/c");
    expect(flags).toEqual(
      expect.arrayContaining([
        "--host=127.0.0.1",
        "--port=1",
        "--health-addr=127.0.0.1:2",
        "--disable-cert-rotation=true",
        "--metrics-backend=opentelemetry",
        "--enable-k8s-native-validation=true",
        "--default-create-vap-for-templates=true",
        "--default-create-vap-binding-for-constraints=true",
        "--default-k8s-native-validation-failure-policy=Fail",
        "--exempt-namespace=kube-system",
      ]),
    );
    expect(flags).not.toContain("--operation=mutation-webhook");
  });
});
