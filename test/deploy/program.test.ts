import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../config/errors";
import type { Plan, PlannedResource } from "../../lib/plan/engine";
import { planStack } from "../../stacks/plan";
import { synthObjects, REPO_ROOT, runStackCommand } from "../support/repo";

const byType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const kinds = (plan: Plan, group: string) => plan.resources.filter((r) => r.custom && r.type.startsWith(`kubernetes:${group}`));
const one = (plan: Plan, type: string) => {
  const found = byType(plan, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};

describe("the dev stack program under the mock engine", () => {
  let plan: Plan;
  const objects = synthObjects();
  beforeAll(async () => {
    plan = await planStack("dev", REPO_ROOT);
  });

  test("registers the hardened cluster, Gatekeeper, every tenant baseline, every template and constraint", () => {
    expect(one(plan, "bulwark:eks:HardenedCluster").name).toBe("bulwark-dev");
    expect(one(plan, "aws:eks/cluster:Cluster").inputs.name).toBe("bulwark-dev");
    expect(
      byType(plan, "kubernetes:helm.sh/v3:Release")
        .map((r) => r.inputs.chart)
        .sort(),
    ).toEqual(["aws-load-balancer-controller", "gatekeeper"]);
    expect(one(plan, "bulwark:addons:LoadBalancerController").name).toBe("bulwark-dev-load-balancer-controller");
    expect((one(plan, "kubernetes:storage.k8s.io/v1:StorageClass").inputs.metadata as { name: string }).name).toBe("gp3-encrypted");
    const namespaces = byType(plan, "kubernetes:core/v1:Namespace").map((r) => (r.inputs.metadata as { name: string }).name);
    expect(namespaces.sort()).toEqual(["payments", "web"]);
    const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
    expect(byType(plan, "kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate")).toHaveLength(count("ConstraintTemplate"));
    expect(count("ConstraintTemplate")).toBeGreaterThanOrEqual(20);
    expect(kinds(plan, "constraints.gatekeeper.sh/")).toHaveLength(objects.filter((o) => o.apiVersion.startsWith("constraints.gatekeeper.sh/")).length);
    // Every synthesized object is deployed: one Kubernetes resource per object. (The StorageClass is lib's: it
    // carries the KMS key's ARN, a deploy-time output.)
    const deployed = plan.resources.filter(
      (r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && !r.type.startsWith("kubernetes:storage.k8s.io"),
    );
    expect(deployed).toHaveLength(objects.length);
  });

  test("applies cluster → Gatekeeper → baselines → templates → constraints", () => {
    const release = byType(plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "gatekeeper") as (typeof plan.resources)[number];
    const eks = one(plan, "aws:eks/cluster:Cluster");
    const provider = one(plan, "pulumi:providers:kubernetes");
    const templates = byType(plan, "kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate");
    // The IngressClasses are not baseline: they follow the load balancer controller's release (its CRD).
    const ingressClasses = plan.resources.filter((r) => r.custom && r.name.startsWith("ingress-classes-"));
    const baseline = plan.resources.filter((r) => r.custom && /^kubernetes:(core|rbac|networking)/.test(r.type) && !ingressClasses.includes(r));
    // The provider's kubeconfig comes from the cluster, and it is a secret.
    expect(provider.inputs.kubeconfig).toBe("[secret]");
    expect(release.provider).toBe(provider.urn);
    expect(eks.protect).toBe(true);
    for (const r of baseline.filter((b) => b.type === "kubernetes:core/v1:Namespace")) expect(r.dependsOn).toContain(release.urn);
    for (const template of templates) {
      expect(template.dependsOn).toContain(release.urn);
      for (const b of baseline) expect(template.dependsOn).toContain(b.urn);
    }
    for (const constraint of kinds(plan, "constraints.gatekeeper.sh/")) {
      for (const template of templates) expect(constraint.dependsOn).toContain(template.urn);
    }
    const controller = byType(plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller");
    expect(ingressClasses.map((r) => r.type).sort()).toEqual([
      "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
      "kubernetes:networking.k8s.io/v1:IngressClass",
    ]);
    for (const r of ingressClasses) expect(r.dependsOn).toContain(controller?.urn);
  });

  test("every child is parented under its component; every Kubernetes object uses the cluster's provider", () => {
    const urns = new Set(plan.resources.map((r) => r.urn));
    const provider = one(plan, "pulumi:providers:kubernetes").urn;
    for (const r of plan.resources) {
      if (r.type !== "pulumi:pulumi:Stack") expect([r.name, urns.has(r.parent ?? "")]).toEqual([r.name, true]);
      if (r.custom && r.type.startsWith("kubernetes:")) expect([r.name, r.provider]).toEqual([r.name, provider]);
    }
  });

  test("the plan is deterministic", async () => {
    const again = await planStack("dev", REPO_ROOT);
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
  });
});

describe("deploy phases and bad input", () => {
  function scratchStack(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-plan-"));
    writeFileSync(join(dir, "Pulumi.dev.yaml"), edit(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")));
    return dir;
  }

  test("phase cluster deploys the AWS side only", async () => {
    const dir = scratchStack((t) => `${t}\n  bulwark:deploy:\n    phase: cluster\n`);
    const plan = await planStack("dev", dir);
    expect(byType(plan, "aws:eks/cluster:Cluster")).toHaveLength(1);
    expect(plan.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes")).toEqual([]);
  });

  test("a bad stack file is rejected before anything is registered", async () => {
    const dir = scratchStack((t) => t.replace("name: payments", "name: Bad_Name"));
    await expect(planStack("dev", dir)).rejects.toThrow(ConfigError);
  });

  test("npm run plan writes plan.json in the documented shape, and exits 2 on a bad stack file", () => {
    const good = scratchStack((t) => t);
    const ok = runStackCommand("plan.ts", ["--quiet", "--out", "out/plan.json"], good);
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringMatching(/plan: \d+ resources for stack dev/)]);
    const written = JSON.parse(readFileSync(join(good, "out", "plan.json"), "utf8")) as Plan;
    expect(written.stack).toBe("dev");
    const cluster = written.resources.find((r: PlannedResource) => r.type === "aws:eks/cluster:Cluster")!;
    expect(Object.keys(cluster)).toEqual(expect.arrayContaining(["urn", "type", "name", "parent", "dependsOn", "inputs"]));
    const bad = scratchStack((t) => t.replace("name: payments", "name: Bad_Name"));
    const failed = runStackCommand("plan.ts", ["--out", "out/plan.json"], bad);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/bulwark:tenants\[0\]\.name = "Bad_Name"/);
    expect(existsSync(join(bad, "out"))).toBe(false);
  });
});
