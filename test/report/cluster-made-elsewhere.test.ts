import { buildReport, formatSummaryLine, toMarkdown } from "../../report";
import { CLUSTER_MADE_ELSEWHERE, LOAD_BALANCER_CONTROLLER_ELSEWHERE } from "../../report/evaluate";
import { collectEvidence } from "../../stacks/report";
import { existingStackText, scratchProject, withoutIdentities } from "../support/existing-stack";
import { REPO_ROOT } from "../support/repo";

describe("the report of a cluster made elsewhere (bulwark:deploy.target existing)", () => {
  let elsewhere: ReturnType<typeof buildReport>;
  let own: ReturnType<typeof buildReport>;
  beforeAll(async () => {
    const dir = scratchProject(existingStackText({ target: "existing", kubeconfig: { path: "k.yaml" } }, withoutIdentities));
    elsewhere = buildReport(await collectEvidence("dev", dir));
    own = buildReport(await collectEvidence("dev", REPO_ROOT));
  });

  test("marks every AWS-side control it cannot see as not verified, never as enforced or missing", () => {
    const aws = elsewhere.results.filter(
      (r) => (r.control.layer === "aws" || r.control.id.startsWith("AWS-")) && r.control.enforcement.mechanism !== "organizational",
    );
    expect(aws.length).toBeGreaterThanOrEqual(20);
    for (const r of aws) expect([r.control.id, r.status, r.detail]).toEqual([r.control.id, "not-verified", CLUSTER_MADE_ELSEWHERE]);
    const lbOnly = elsewhere.results.filter((r) => r.control.needs === "load-balancer-controller" && !aws.includes(r));
    expect(elsewhere.summary["not-verified"]).toBe(aws.length + lbOnly.length);
    expect(elsewhere.summary.missing).toBe(0);
  });

  test("with a kubeconfig only, the load balancer controller's controls (controller and IngressClasses, not deployed) are not verified", () => {
    const lb = elsewhere.results.filter((r) => r.control.needs === "load-balancer-controller");
    expect(lb.map((r) => r.control.id).sort()).toEqual(["AWS-LB-CONTROLLER-INTERNAL", "K8S-INGRESS-INTERNAL"]);
    const ingress = lb.find((r) => r.control.id === "K8S-INGRESS-INTERNAL");
    expect([ingress?.status, ingress?.detail]).toEqual(["not-verified", LOAD_BALANCER_CONTROLLER_ELSEWHERE]);
    expect(own.results.find((r) => r.control.id === "K8S-INGRESS-INTERNAL")?.status).not.toBe("not-verified");
  });

  test("still evaluates the in-cluster layer it deploys, as for a cluster Bulwark made", () => {
    const statusOf = (report: typeof own, id: string) => report.results.find((r) => r.control.id === id)?.status;
    for (const r of own.results.filter((x) => x.control.layer !== "aws" && !x.control.id.startsWith("AWS-") && x.control.needs === undefined)) {
      expect([r.control.id, statusOf(elsewhere, r.control.id)]).toEqual([r.control.id, r.status]);
    }
  });

  test("says so in the summary table and line; a stack Bulwark made shows no such row", () => {
    expect(toMarkdown(elsewhere)).toContain("| not-verified | ");
    expect(toMarkdown(elsewhere)).toContain("not verified: cluster made elsewhere");
    expect(formatSummaryLine(elsewhere, "r.md")).toMatch(/\d+ not verified \(cluster made elsewhere\), 0 missing/);
    expect(toMarkdown(own)).not.toContain("| not-verified | ");
    expect(own.summary["not-verified"]).toBe(0);
  });
});
