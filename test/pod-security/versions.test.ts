/**
 * The `version` parameter matters: fixtures whose verdict changed between Pod Security Standards
 * versions get the OLD verdict when checked at the older version, and the constraints default to the
 * cluster's minor version (like the PSA `enforce-version` label) when `--pss-version` is not given.
 */
import { join } from "node:path";
import { createChecker } from "../../constructs/gatekeeper/check";
import { denials, denyConfig, FIXTURES_DIR, fixtureFiles, policiesOf, pssChecker, readFixture } from "./support";

const fixture = (path: string) => readFixture(join(FIXTURES_DIR, path));

describe("version-dependent rules, evaluated one version before they changed", () => {
  it("host probe / lifecycle hosts: denied from v1.34, admitted at v1.33", () => {
    const files = fixtureFiles("baseline", "v1.34", "fail").filter((f) => f.includes("hostprobesandhostlifecycle"));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      expect(policiesOf(denials(pssChecker("baseline", "v1.34"), readFixture(file)))).toEqual(["pss-host-probes"]);
      expect(denials(pssChecker("baseline", "v1.33"), readFixture(file))).toEqual([]);
    }
  });

  it("procMount Unmasked with hostUsers: false: baseline admits it from v1.35, not at v1.34; restricted never", () => {
    const pod = fixture("baseline/v1.35/pass/procmount1.yaml");
    expect(denials(pssChecker("baseline", "v1.35"), pod)).toEqual([]);
    expect(policiesOf(denials(pssChecker("baseline", "v1.34"), pod))).toEqual(["pss-proc-mount"]);
    expect(policiesOf(denials(pssChecker("restricted", "v1.37"), pod))).toContain("pss-proc-mount-restricted");
  });

  it.each([
    ["v1.32", "v1.31", "tcp_rmem / tcp_wmem"],
    ["v1.37", "v1.36", "tcp_slow_start_after_idle / tcp_notsent_lowat"],
  ])("sysctls safe from %s are forbidden at %s (%s)", (added, before) => {
    const pod = fixture(`baseline/${added}/pass/sysctls1.yaml`);
    expect(denials(pssChecker("baseline", added), pod)).toEqual([]);
    expect(policiesOf(denials(pssChecker("baseline", before), pod))).toEqual(["pss-sysctls"]);
  });

  it("SELinux type container_engine_t: allowed from v1.31, forbidden at v1.30", () => {
    const pod = fixture("baseline/v1.30/pass/selinuxoptions1.yaml") as { spec: { containers: { securityContext: Record<string, unknown> }[] } };
    pod.spec.containers[0].securityContext = { seLinuxOptions: { type: "container_engine_t" } };
    expect(denials(pssChecker("baseline", "v1.31"), pod)).toEqual([]);
    expect(policiesOf(denials(pssChecker("baseline", "v1.30"), pod))).toEqual(["pss-selinux"]);
  });
});

describe("the PSS version defaults to the cluster's minor version", () => {
  const hostProbe = () => fixture("baseline/v1.34/fail/hostprobesandhostlifecycle0.yaml");

  it.each([
    ["1.33", "v1.33", 0],
    ["1.34", "v1.34", 1],
  ] as const)("cluster %s: constraints carry version %s", (cluster, version, expectedDenials) => {
    const config = denyConfig({ kubernetesVersion: cluster });
    const checker = createChecker({ config, bundle: "pss-baseline" });
    const pssConstraints = checker.gatekeeperObjects.filter((o) => String(o.kind).startsWith("K8sPSS"));
    expect(pssConstraints.length).toBeGreaterThanOrEqual(12);
    for (const constraint of pssConstraints) {
      expect((constraint as { spec: { parameters: { version: string } } }).spec.parameters.version).toBe(version);
    }
    expect(denials(checker, hostProbe())).toHaveLength(expectedDenials);
  });

  it("--pss-version overrides the cluster's version", () => {
    const config = denyConfig({ kubernetesVersion: "1.33" });
    expect(denials(createChecker({ config, bundle: "pss-baseline", pssVersion: "v1.34" }), hostProbe())).toHaveLength(1);
  });
});
