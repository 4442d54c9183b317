/**
 * The versions table (config/kubernetes-versions.ts) and the rules read from it: support phases by day,
 * the refusal of a version out of EKS standard support without the opt-in, the upgrade policy, and the
 * 90-day warning. Every day is given; nothing depends on the clock.
 */
import { ADDON_NAMES, ADDON_VERSION, PINNED_ADDON_VERSIONS } from "../../config/cluster";
import type { KubernetesVersion, KubernetesVersionRow } from "../../config/kubernetes-versions";
import {
  KUBERNETES_VERSIONS,
  STANDARD_SUPPORT_WARNING_DAYS,
  SUPPORTED_KUBERNETES_VERSIONS,
  resolvedUpgradePolicy,
  standardSupportVersions,
  supportNotice,
  supportPhase,
  supportProblem,
} from "../../config/kubernetes-versions";
import { ConfigError } from "../../config/errors";
import { hardenedClusterArgsFromConfig } from "../../lib/from-config";
import { clusterArgs, testConfig } from "../support/cluster-args";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
/** The day this table was written against: 1.34's standard support ends on it. */
const TODAY = day("2026-12-02");
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const rows = Object.entries(KUBERNETES_VERSIONS) as [KubernetesVersion, KubernetesVersionRow][];

describe("the table", () => {
  test("the accepted versions are its rows, oldest first, 1.33 to 1.36", () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(["1.33", "1.34", "1.35", "1.36"]);
  });

  test.each(rows)("%s: dates are days in lifecycle order, each row cites its source", (_version, row) => {
    const dates = [row.upstreamRelease, row.eksRelease, row.endOfStandardSupport, row.endOfExtendedSupport].filter((d) => d !== undefined);
    for (const d of dates) expect(d).toMatch(ISO_DAY);
    expect([...dates].sort()).toEqual(dates);
    expect(row.lifecycleSource).toMatch(/^https:\/\//);
    // AWS: extended support is the 12 months after standard support.
    expect(Number(row.endOfExtendedSupport.slice(0, 4)) - Number(row.endOfStandardSupport.slice(0, 4))).toBe(1);
    expect(row.endOfExtendedSupport.slice(4)).toBe(row.endOfStandardSupport.slice(4));
  });

  test.each(rows)("%s: every pin is an EKS add-on version with a source; kube-proxy matches the minor version", (version, row) => {
    for (const [key, pin] of Object.entries(row.addons)) {
      expect([key, pin.version]).toEqual([key, expect.stringMatching(ADDON_VERSION)]);
      expect(pin.source.length).toBeGreaterThan(10);
      expect(Object.keys(ADDON_NAMES)).toContain(key);
    }
    expect(row.addons.kubeProxy?.version.startsWith(`v${version}.`)).toBe(true);
    expect(PINNED_ADDON_VERSIONS[version]).toEqual(Object.fromEntries(Object.entries(row.addons).map(([k, p]) => [k, p.version])));
  });
});

describe("support phases by day", () => {
  test("on 2026-12-02: 1.35 and 1.36 in standard support; 1.34 (its last standard day was yesterday) and 1.33 extended", () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v, supportPhase(v, TODAY).phase])).toEqual([
      ["1.33", "extended"],
      ["1.34", "extended"],
      ["1.35", "standard"],
      ["1.36", "standard"],
    ]);
    expect(standardSupportVersions(TODAY)).toEqual(["1.35", "1.36"]);
  });

  test("the boundaries: the end day is already out, the day before is in", () => {
    expect(supportPhase("1.34", day("2026-12-01"))).toEqual({ phase: "standard", daysOfStandardLeft: 1 });
    expect(supportPhase("1.34", day("2026-12-02"))).toEqual({ phase: "extended", daysOfStandardLeft: 0 });
    expect(supportPhase("1.33", day("2027-07-28")).phase).toBe("extended");
    expect(supportPhase("1.33", day("2027-07-29")).phase).toBe("ended");
  });
});

describe("a version out of standard support is refused unless the opt-in accepts extended support", () => {
  test("refused, naming the key, the value, the dates and what is accepted", () => {
    expect(supportProblem({ kubernetesVersion: "1.34" }, TODAY)).toEqual({
      key: "kubernetesVersion",
      value: "1.34",
      message:
        "is out of Amazon EKS standard support since 2026-12-02 (extended support, charged per cluster hour, until 2027-12-02); use a version in standard support: 1.35, 1.36, or set acceptExtendedSupportCharges: true",
    });
  });

  test("accepted with the opt-in, then upgrade policy EXTENDED; STANDARD is refused for it", () => {
    expect(supportProblem({ kubernetesVersion: "1.33", acceptExtendedSupportCharges: true }, TODAY)).toBeUndefined();
    expect(resolvedUpgradePolicy({ kubernetesVersion: "1.33", acceptExtendedSupportCharges: true }, TODAY)).toBe("EXTENDED");
    expect(supportProblem({ kubernetesVersion: "1.33", acceptExtendedSupportCharges: true, upgradePolicy: "STANDARD" }, TODAY)).toEqual(
      expect.objectContaining({ key: "upgradePolicy", value: "STANDARD", message: expect.stringContaining("must be EXTENDED") }),
    );
  });

  test("a version in standard support needs nothing and keeps upgrade policy STANDARD by default", () => {
    expect(supportProblem({ kubernetesVersion: "1.35" }, TODAY)).toBeUndefined();
    expect(resolvedUpgradePolicy({ kubernetesVersion: "1.35" }, TODAY)).toBe("STANDARD");
    expect(resolvedUpgradePolicy({ kubernetesVersion: "1.35", upgradePolicy: "EXTENDED", acceptExtendedSupportCharges: true }, TODAY)).toBe("EXTENDED");
  });

  test("past extended support no opt-in helps", () => {
    expect(supportProblem({ kubernetesVersion: "1.33", acceptExtendedSupportCharges: true }, day("2027-08-01"))).toEqual(
      expect.objectContaining({ key: "kubernetesVersion", message: expect.stringContaining("past Amazon EKS extended support since 2027-07-29") }),
    );
  });

  test("the adapter raises it as a config error at bulwark:cluster.kubernetesVersion, naming the stack file", () => {
    const config = testConfig({ kubernetesVersion: "1.34" });
    expect(() => hardenedClusterArgsFromConfig(config, { today: TODAY, file: "Pulumi.test.yaml" })).toThrow(ConfigError);
    expect(() => hardenedClusterArgsFromConfig(config, { today: TODAY, file: "Pulumi.test.yaml" })).toThrow(
      /Pulumi\.test\.yaml: bulwark:cluster\.kubernetesVersion = "1\.34": is out of Amazon EKS standard support/,
    );
    expect(hardenedClusterArgsFromConfig(testConfig({ ...config.cluster, acceptExtendedSupportCharges: true }), { today: TODAY }).upgradePolicy).toBe(
      "EXTENDED",
    );
    expect(clusterArgs().upgradePolicy).toBe("STANDARD");
  });
});

describe(`the warning ${STANDARD_SUPPORT_WARNING_DAYS} days ahead`, () => {
  test("1.35 (end of standard support 2027-03-27): warned from 90 days before, not 91", () => {
    expect(supportNotice("1.35", day("2026-12-26"))).toBeUndefined();
    expect(supportNotice("1.35", day("2026-12-27"))).toBe("Kubernetes 1.35 leaves Amazon EKS standard support on 2027-03-27 (in 90 days); upgrade to 1.36");
    expect(supportNotice("1.35", day("2027-03-26"))).toContain("(in 1 day);");
  });

  test("in extended support: a warning every plan; in standard support far from the end: none", () => {
    expect(supportNotice("1.33", TODAY)).toBe(
      "Kubernetes 1.33 is in Amazon EKS extended support (charged per cluster hour) until 2027-07-29; upgrade to 1.35 or 1.36",
    );
    expect(supportNotice("1.36", TODAY)).toBeUndefined();
  });
});
