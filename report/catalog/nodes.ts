/** AWS layer, the nodes: IMDSv2, encrypted volumes, a minimal OS. */
import { list, planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, missing, NSA, ref, requireAll, T_NODES } from "./control";

export const nodeControls: Control[] = [
  control(
    {
      id: "AWS-IMDSV2",
      title: "Nodes require IMDSv2 with a hop limit of 1: pods cannot reach the node's instance credentials",
      layer: "aws",
      checklist: "block the metadata endpoint",
      nsa: NSA.cloudInfra,
      bp: BP.iam,
    },
    "resource",
    "aws:ec2/launchTemplate:LaunchTemplate metadataOptions",
    { file: T_NODES, name: "nodes › launch template: IMDSv2 required with hop limit 1, KMS-encrypted volumes, node SG, no SSH key" },
    (ctx) => {
      const templates = planResources(ctx.plan, "aws:ec2/launchTemplate:LaunchTemplate");
      if (templates.length === 0) return missing("no node launch template in the plan");
      const problems = templates.flatMap((t) => {
        const m = t.inputs.metadataOptions;
        return [
          ...(m?.httpTokens === "required" ? [] : [`${t.name}: httpTokens is not required`]),
          ...(Number(m?.httpPutResponseHopLimit) === 1 ? [] : [`${t.name}: hop limit is not 1`]),
        ];
      });
      return requireAll(templates.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-NODE-VOLUMES-ENCRYPTED",
      title: "Node volumes encrypted with the customer-managed EBS key",
      layer: "aws",
      checklist: "encrypt data at rest and rotate keys",
      nsa: NSA.encryption,
      bp: BP.encryption,
    },
    "resource",
    "aws:ec2/launchTemplate:LaunchTemplate blockDeviceMappings",
    { file: T_NODES, name: "nodes › launch template: IMDSv2 required with hop limit 1, KMS-encrypted volumes, node SG, no SSH key" },
    (ctx) => {
      const templates = planResources(ctx.plan, "aws:ec2/launchTemplate:LaunchTemplate");
      if (templates.length === 0) return missing("no node launch template in the plan");
      const problems = templates.flatMap((t) =>
        list(t.inputs.blockDeviceMappings)
          .filter((d) => String(d.ebs?.encrypted) !== "true" || !d.ebs?.kmsKeyId)
          .map((d) => `${t.name} ${String(d.deviceName)}: not KMS-encrypted`),
      );
      return requireAll(templates.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-NODE-OS",
      title: "Managed node groups run Bottlerocket, a minimal container OS",
      layer: "aws",
      checklist: "node isolation",
      nsa: NSA.workerSegmentation,
      bp: BP.infra,
    },
    "resource",
    "aws:eks/nodeGroup:NodeGroup amiType",
    { file: T_NODES, name: "nodes › managed node group: Bottlerocket, the launch template, no remote access, private subnets" },
    (ctx) => {
      const groups = planResources(ctx.plan, "aws:eks/nodeGroup:NodeGroup");
      if (groups.length === 0) return missing("no managed node group in the plan");
      return requireAll(
        groups.map(ref),
        groups.filter((g) => !String(g.inputs.amiType).startsWith("BOTTLEROCKET_")).map((g) => `${g.name}: amiType is not Bottlerocket`),
      );
    },
  ),
];
