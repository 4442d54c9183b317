/**
 * The blueprint's own workload construct passes the restricted templates at every supported version,
 * and cdk8s-plus's defaults (the gap the architecture notes) are denied by exactly the checks they miss.
 */
import { Chart, Size, Testing } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { HardenedWorkload } from "../../constructs/workload/hardened-workload";
import { denials, policiesOf, pssChecker, VERSIONS } from "./support";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2";

function workloadsOf(build: (chart: Chart) => void): Record<string, unknown>[] {
  const chart = new Chart(Testing.app(), "test", { disableResourceNameHashes: true });
  build(chart);
  return (chart.toJson() as Record<string, unknown>[]).filter((o) => o.kind === "Deployment");
}

describe("HardenedWorkload", () => {
  const [deployment] = workloadsOf((chart) => {
    new HardenedWorkload(chart, "api", {
      name: "api",
      namespace: "payments",
      image: IMAGE,
      port: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    });
  });

  it.each(VERSIONS)("its Deployment is admitted by pss-restricted at %s", (version) => {
    expect(deployment).toBeDefined();
    expect(denials(pssChecker("restricted", version), deployment)).toEqual([]);
  });
});

describe("cdk8s-plus defaults", () => {
  it("are denied at restricted for the missing seccomp profile and drop ALL only", () => {
    const [deployment] = workloadsOf((chart) => {
      new kplus.Deployment(chart, "plain", { containers: [{ image: IMAGE, portNumber: 8080 }] });
    });
    expect(policiesOf(denials(pssChecker("restricted", "v1.37"), deployment))).toEqual(["pss-capabilities-restricted", "pss-seccomp-restricted"]);
    expect(denials(pssChecker("baseline", "v1.37"), deployment)).toEqual([]);
  });
});
