/**
 * The report on Kubernetes versions and add-on pins, by EKS support phase: the versions table's dates judged on
 * the report's day (never a day written into the code), and add-ons created unpinned where the table has no
 * sourced version.
 */
import type { PlannedResource } from "../../lib/plan/engine";
import { CONTROLS } from "../../report/catalog";
import type { ControlResult } from "../../report/evaluate";
import { evaluateControls } from "../../report/evaluate";
import type { EvidenceContext } from "../../report/types";
import { collectEvidence } from "../../stacks/report";
import { REPO_ROOT } from "../support/repo";

type Obj = Record<string, unknown>;
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

let dev: EvidenceContext;
beforeAll(async () => {
  dev = await collectEvidence("dev", REPO_ROOT, day("2026-12-02"));
});

function resultOf(ctx: EvidenceContext, id: string): ControlResult {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new Error(`no control ${id}`);
  return evaluateControls(ctx, [control])[0];
}

describe("AWS-VERSION-SUPPORTED by support phase (dev: Kubernetes 1.36, standard support until 2027-08-02)", () => {
  it("the dev stack is on 1.36 in standard support, far from its end: no gap", () => {
    expect(dev.config.cluster.kubernetesVersion).toBe("1.36");
    expect(dev.config.cluster.acceptExtendedSupportCharges).toBeUndefined();
    expect(resultOf(dev, "AWS-VERSION-SUPPORTED")).toMatchObject({ status: "enforced" });
    expect(resultOf({ ...dev, today: day("2027-05-03") }, "AWS-VERSION-SUPPORTED").status).toBe("enforced");
  });

  it("standard support ending within 90 days: partial, naming the day and the days left", () => {
    expect(resultOf({ ...dev, today: day("2027-05-04") }, "AWS-VERSION-SUPPORTED")).toMatchObject({
      status: "partial",
      detail: "Kubernetes 1.36 leaves Amazon EKS standard support on 2027-08-02 (in 90 days); plan the upgrade",
    });
    expect(resultOf({ ...dev, today: day("2027-08-01") }, "AWS-VERSION-SUPPORTED").detail).toContain("(in 1 day)");
  });

  it("in extended support: partial, charged per cluster hour", () => {
    expect(resultOf({ ...dev, today: day("2027-08-02") }, "AWS-VERSION-SUPPORTED")).toMatchObject({
      status: "partial",
      detail: "Kubernetes 1.36 is in Amazon EKS extended support (charged per cluster hour) until 2028-08-02; plan the upgrade",
    });
  });

  it("past extended support: missing", () => {
    expect(resultOf({ ...dev, today: day("2028-08-02") }, "AWS-VERSION-SUPPORTED")).toMatchObject({
      status: "missing",
      detail: "Kubernetes 1.36 is past Amazon EKS extended support",
    });
  });
});

describe("AWS-ADDONS-PINNED: unpinned only where the versions table has no sourced version", () => {
  /** dev's plan with the add-ons `names` created without a version, read as a stack on Kubernetes `version`. */
  function withUnpinned(version: string, names: readonly string[]): EvidenceContext {
    const plan = structuredClone(dev.plan);
    for (const r of plan.resources as PlannedResource[]) {
      if (r.type === "aws:eks/addon:Addon" && names.includes(String(r.inputs.addonName))) delete (r.inputs as Obj).addonVersion;
    }
    const cluster = { ...dev.config.cluster, kubernetesVersion: version as typeof dev.config.cluster.kubernetesVersion };
    return { ...dev, plan, config: { ...dev.config, cluster } };
  }

  it("dev: all five pinned", () => {
    expect(resultOf(dev, "AWS-ADDONS-PINNED").status).toBe("enforced");
  });

  it("1.35's three unsourced add-ons unpinned: partial, saying EKS installs its default at create", () => {
    expect(resultOf(withUnpinned("1.35", ["vpc-cni", "eks-pod-identity-agent", "aws-ebs-csi-driver"]), "AWS-ADDONS-PINNED")).toMatchObject({
      status: "partial",
      detail: "aws-ebs-csi-driver, eks-pod-identity-agent, vpc-cni unpinned: EKS default at create (no sourced version in config/kubernetes-versions.ts)",
    });
  });

  it("an add-on the table pins, planned without a version: missing", () => {
    expect(resultOf(withUnpinned("1.35", ["coredns"]), "AWS-ADDONS-PINNED").status).toBe("missing");
    expect(resultOf(withUnpinned("1.36", ["vpc-cni"]), "AWS-ADDONS-PINNED").status).toBe("missing");
  });
});
