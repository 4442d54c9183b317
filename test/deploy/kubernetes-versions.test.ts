/**
 * Every accepted Kubernetes version plans (the whole program under the mock engine), synthesizes, and
 * passes the offline check of its own manifests, with no hand pins, on the day the table was written
 * against. An add-on the versions table has no sourced version of is created without a version (EKS installs
 * its default at create), and the plan says so.
 */
import type { AddonKey } from "../../config/cluster";
import { ADDON_NAMES } from "../../config/cluster";
import type { KubernetesVersion } from "../../config/kubernetes-versions";
import { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, supportPhase } from "../../config/kubernetes-versions";
import { buildBulwarkApp } from "../../constructs/app";
import { createChecker } from "../../constructs/gatekeeper/check";
import { synthesizeApp } from "../../constructs/synthesize";
import { runPlan } from "../../lib/plan/engine";
import { DEFAULT_MOCK_ACCOUNT, accountMocks } from "../../lib/plan/mocks";
import { deployBulwark } from "../../stacks/program";
import { testConfig } from "../support/cluster-args";

const TODAY = new Date("2026-12-02T12:00:00Z");

/** Add-ons without a sourced version per Kubernetes version: the gaps the table documents. */
const UNPINNED: Readonly<Record<KubernetesVersion, readonly AddonKey[]>> = {
  "1.33": [],
  "1.34": [],
  "1.35": ["vpcCni", "podIdentityAgent", "ebsCsiDriver"],
  "1.36": [],
};

describe.each(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v]))("Kubernetes %s", (version) => {
  const extended = supportPhase(version, TODAY).phase !== "standard";
  const unpinned = UNPINNED[version];
  // No addonVersions: the table's pins and nothing else.
  const config = testConfig({ kubernetesVersion: version, ...(extended ? { acceptExtendedSupportCharges: true } : {}) });

  test("the table's gaps are exactly the unpinned ones", () => {
    const missing = (Object.keys(ADDON_NAMES) as AddonKey[]).filter((key) => !(key in KUBERNETES_VERSIONS[version].addons));
    expect(missing).toEqual(unpinned);
  });

  test("plans under the mock engine with the table's add-on versions and its support policy, warning when extended or unpinned", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const plan = await runPlan({
      stack: "test",
      project: "bulwark",
      config: {},
      mocks: accountMocks(DEFAULT_MOCK_ACCOUNT),
      program: () => {
        deployBulwark(config, { today: TODAY });
      },
    });
    const cluster = plan.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
    expect(cluster?.inputs).toMatchObject({ version, upgradePolicy: { supportType: extended ? "EXTENDED" : "STANDARD" } });
    const addons = Object.fromEntries(plan.resources.filter((r) => r.type === "aws:eks/addon:Addon").map((r) => [r.inputs.addonName, r.inputs.addonVersion]));
    expect(Object.keys(addons)).toHaveLength(5);
    for (const key of Object.keys(ADDON_NAMES) as AddonKey[]) {
      const pin: { version: string } | undefined = (KUBERNETES_VERSIONS[version].addons as Partial<Record<AddonKey, { version: string }>>)[key];
      expect([key, addons[ADDON_NAMES[key]]]).toEqual([key, pin?.version]);
    }
    for (const group of plan.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) expect(group.inputs.version).toBe(version);
    const warnings = warn.mock.calls.map((call) => String(call[0])).filter((text) => text.includes("Amazon EKS") || text.includes("unpinned"));
    warn.mockRestore();
    expect(warnings).toEqual([
      ...(extended ? [expect.stringContaining(`Kubernetes ${version} is in Amazon EKS extended support`)] : []),
      ...(unpinned.length > 0
        ? [expect.stringContaining(`Kubernetes ${version}: ${unpinned.map((k) => ADDON_NAMES[k]).join(", ")} unpinned: EKS default at create`)]
        : []),
    ]);
  });

  test("synthesizes, and its manifests pass its own policies offline", () => {
    const objects = synthesizeApp(buildBulwarkApp(config)).flatMap((chart) => chart.objects);
    expect(objects.length).toBeGreaterThan(20);
    const tenantObjects = objects.filter((o) => !String(o.apiVersion).includes("gatekeeper.sh"));
    const report = createChecker({ config }).checkObjects(tenantObjects.map((object, i) => ({ file: "synth", document: i + 1, line: 1, object })));
    expect(report.summary).toMatchObject({ deny: 0 });
    expect(report.summary.objects).toBe(tenantObjects.length);
  });
});
