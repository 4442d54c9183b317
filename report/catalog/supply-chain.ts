/**
 * The supply chain: ECR scanning and immutability (AWS), and the workload and build controls, the
 * constructs app teams use checked against the stack's own policies.
 */
import { Chart, Size, Testing } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { PolicySet } from "../../constructs/gatekeeper/engine/evaluator";
import { HardenedWorkload } from "../../constructs/workload/hardened-workload";
import type { K8sObject } from "../evidence";
import { allObjects, nameOf, objectRef } from "../evidence";
import { gatekeeperObjects, list, planResources } from "../plan-view";
import type { Control, EvidenceContext } from "../types";
import { BP, control, missing, NSA, partial, policy, ref, requireAll, T_ACCOUNT, T_CHECK, T_SUITES, T_WORKLOAD } from "./control";

export const ecrControls: Control[] = [
  control(
    {
      id: "AWS-ECR-SCAN",
      title: "ECR repositories scan images on push",
      layer: "build",
      checklist: "image scanning and provenance",
      nsa: NSA.images,
      cis: "5.1.1 Ensure Image Vulnerability Scanning using Amazon ECR image scanning or a third party provider",
      bp: BP.image,
    },
    "resource",
    "aws:ecr/repository:Repository imageScanningConfiguration",
    { file: T_ACCOUNT, name: "optional controls › ECR repositories: scan on push, immutable tags, encrypted with their own KMS key" },
    (ctx) => {
      const repos = planResources(ctx.plan, "aws:ecr/repository:Repository");
      if (repos.length === 0) return missing("no ECR repositories (bulwark:cluster.ecrRepositories)");
      return requireAll(
        repos.map(ref),
        repos.filter((r) => r.inputs.imageScanningConfiguration?.scanOnPush !== true).map((r) => `${r.name}: scanOnPush is not true`),
      );
    },
  ),
  control(
    {
      id: "AWS-ECR-IMMUTABLE",
      title: "ECR image tags are immutable and repositories KMS-encrypted",
      layer: "build",
      checklist: "image scanning and provenance",
      nsa: NSA.images,
      bp: BP.image,
    },
    "resource",
    "aws:ecr/repository:Repository imageTagMutability",
    { file: T_ACCOUNT, name: "optional controls › ECR repositories: scan on push, immutable tags, encrypted with their own KMS key" },
    (ctx) => {
      const repos = planResources(ctx.plan, "aws:ecr/repository:Repository");
      if (repos.length === 0) return missing("no ECR repositories (bulwark:cluster.ecrRepositories)");
      const problems = repos.flatMap((r) => [
        ...(r.inputs.imageTagMutability === "IMMUTABLE" ? [] : [`${r.name}: tags are mutable`]),
        ...(list(r.inputs.encryptionConfigurations).some((e) => e.encryptionType === "KMS") ? [] : [`${r.name}: not KMS-encrypted`]),
      ]);
      return requireAll(repos.map(ref), problems);
    },
  ),
];

function policySetOf(ctx: EvidenceContext): PolicySet {
  return PolicySet.fromObjects(ctx.charts.filter((c) => c.name.startsWith("gatekeeper-")).flatMap((c) => c.objects));
}

const denials = (set: PolicySet, objects: readonly K8sObject[]) =>
  objects.flatMap((o) =>
    set
      .evaluate(o)
      .filter((v) => v.enforcementAction === "deny")
      .map((v) => `${objectRef(o)}: ${v.policy}: ${v.message}`),
  );

/** A sample HardenedWorkload for the stack's first tenant and registry, as an app team would write it. */
function sampleWorkload(ctx: EvidenceContext, namespace: string, registry: string): K8sObject[] {
  const chart = new Chart(Testing.app(), "report-sample", { disableResourceNameHashes: true });
  new HardenedWorkload(chart, "sample", {
    name: "sample",
    namespace,
    image: `${registry}sample/app:1.0.0${ctx.config.policy.requireImageDigest ? "@sha256:0000000000000000000000000000000000000000000000000000000000000000" : ""}`,
    resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
    labels: Object.fromEntries((ctx.config.policy.requiredLabels ?? []).map((l) => [l, "sample"])),
  });
  return chart.toJson() as K8sObject[];
}

export const buildControls: Control[] = [
  control(
    {
      id: "WL-HARDENED-WORKLOAD",
      title: "HardenedWorkload output passes every deny constraint of the stack (restricted pods by construction)",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.immutable,
      bp: BP.pod,
    },
    "construct",
    "HardenedWorkload",
    { file: T_WORKLOAD, name: "HardenedWorkload › snapshot" },
    (ctx) => {
      const tenant = ctx.config.tenants[0];
      const registry = ctx.config.policy.allowedRegistries[0];
      if (!tenant || !registry) return missing("the stack has no tenant or allowed registry to build a sample workload for");
      const objects = sampleWorkload(ctx, tenant.name, registry);
      return requireAll(
        objects.map((o) => `${objectRef(o)} (sample)`),
        denials(policySetOf(ctx), objects),
        ["offline Gatekeeper engine"],
      );
    },
  ),
  control(
    {
      id: "BLD-STATIC-CHECK",
      title: "Static analysis: the stack's own manifests pass its synthesized Gatekeeper policies offline (`npm run check`)",
      layer: "build",
      checklist: "static YAML analysis",
      nsa: NSA.upgrading,
      bp: BP.compliance,
    },
    "construct",
    "constructs/gatekeeper/check/ (same CEL as the cluster)",
    { file: T_CHECK, name: "check --format json › exits 1 when any object is denied" },
    (ctx) => {
      const tenantObjects = allObjects(ctx.charts.filter((c) => c.name.startsWith("tenant-")));
      if (tenantObjects.length === 0) return missing("no tenant manifests synthesized");
      return requireAll([`${tenantObjects.length} tenant objects`], denials(policySetOf(ctx), tenantObjects), ["offline Gatekeeper engine"]);
    },
  ),
  control(
    {
      id: "BLD-IMAGE-PROVENANCE",
      title: "Images pinned by digest (provenance); signatures are not verified by Bulwark",
      layer: "build",
      checklist: "image scanning and provenance",
      nsa: NSA.images,
      bp: BP.image,
    },
    "constraint",
    "image-tags (requireImageDigest)",
    { file: T_SUITES, name: "suite of image-tags › case %s passes" },
    (ctx) => {
      const constraint = gatekeeperObjects(ctx.charts, policy(ctx, "image-tags").kind)[0];
      if (!constraint) return missing("no image-tags constraint synthesized");
      const digest = ctx.config.policy.requireImageDigest === true;
      const evidence = [`${String(constraint.kind)}/${nameOf(constraint)}`];
      // Immutable ECR tags make a tag a stable name, but only a digest (plus signature checks) proves provenance.
      return digest
        ? partial("digests are required; image signatures are not verified (no admission controller for signatures)", evidence)
        : partial("bulwark:policy.requireImageDigest is false: tags, not digests; image signatures are not verified", evidence);
    },
  ),
];
