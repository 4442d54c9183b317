import type { PlannedResource } from "../../lib/plan/engine";
import { CONTROLS } from "../../report/catalog";
import { evaluateControls } from "../../report/evaluate";
import type { EvidenceContext } from "../../report/types";
import { collectEvidence } from "../../stacks/report";
import { REPO_ROOT } from "../support/repo";

type Obj = Record<string, unknown>;

/** One removal: the plan resources and/or the objects of one chart, changed in a copy of the dev evidence. */
interface Removal {
  readonly plan?: (resources: PlannedResource[]) => PlannedResource[];
  readonly objects?: (chart: string, objects: Obj[]) => Obj[];
}

let dev: EvidenceContext;
beforeAll(async () => {
  dev = await collectEvidence("dev", REPO_ROOT);
});

function withRemoval(removal: Removal): EvidenceContext {
  const plan = structuredClone(dev.plan);
  const resources = removal.plan ? removal.plan(plan.resources as PlannedResource[]) : plan.resources;
  const charts = dev.charts.map((c) => ({ name: c.name, objects: removal.objects ? removal.objects(c.name, structuredClone(c.objects) as Obj[]) : c.objects }));
  return { ...dev, plan: { ...plan, resources }, charts };
}

function statusOf(ctx: EvidenceContext, id: string): string {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new Error(`no control ${id}`);
  return evaluateControls(ctx, [control])[0].status;
}

const withoutType = (type: string) => (rs: PlannedResource[]) => rs.filter((r) => r.type !== type);
const editInputs = (type: string, edit: (inputs: Obj, r: PlannedResource) => void) => (rs: PlannedResource[]) => {
  rs.filter((r) => r.type === type).forEach((r) => edit(r.inputs, r));
  return rs;
};
const inTenant = (ns: string, edit: (objects: Obj[]) => Obj[]) => (chart: string, objects: Obj[]) => (chart === `tenant-${ns}` ? edit(objects) : objects);
const isObject = (kind: string, name: string) => (o: Obj) => o.kind === kind && (o.metadata as Obj).name === name;
const withRule = (name: string, rule: Obj) => (o: Obj) => (isObject("Role", name)(o) ? { ...o, rules: [...(o.rules as Obj[]), rule] } : o);

/** A tenant group bound to the built-in edit ClusterRole cluster-wide: it creates pods everywhere. */
const clusterWideEdit: Obj = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "web-developers-edit-everywhere" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "oidc:web-developers" }],
};

// Each row removes (or breaks) the one thing a control rests on, across the AWS, cluster and Gatekeeper layers.
const removals: [string, string, Removal][] = [
  ["AWS-FLOW-LOGS", "the VPC flow log", { plan: withoutType("aws:ec2/flowLog:FlowLog") }],
  ["AWS-DEFAULT-SG-CLOSED", "the managed default security group", { plan: withoutType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup") }],
  ["AWS-AUDIT-LOG-GROUP", "the log group's KMS key", { plan: editInputs("aws:cloudwatch/logGroup:LogGroup", (i) => delete i.kmsKeyId) }],
  [
    "AWS-NETWORK-POLICY-LOGS",
    "the node agent's CloudWatch logs",
    { plan: editInputs("aws:eks/addon:Addon", (i) => i.addonName === "vpc-cni" && (i.configurationValues = JSON.stringify({ enableNetworkPolicy: "true" }))) },
  ],
  [
    "AWS-NETWORK-POLICY-LOGS",
    "the CNI role's log write grant",
    { plan: (rs) => rs.filter((r) => !(r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("-vpc-cni-policy-event-logs"))) },
  ],
  [
    "AWS-NETWORK-POLICY-LOGS",
    "a write grant scoped to the log group",
    {
      plan: editInputs(
        "aws:iam/rolePolicy:RolePolicy",
        (i, r) =>
          r.name.endsWith("-vpc-cni-policy-event-logs") &&
          (i.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: "*" }] })),
      ),
    },
  ],
  [
    "AWS-NETWORK-POLICY-LOGS",
    "Pulumi protect on the log group",
    { plan: (rs) => rs.map((r) => (r.type === "aws:cloudwatch/logGroup:LogGroup" ? { ...r, protect: false } : r)) },
  ],
  [
    "AWS-LB-CONTROLLER-INTERNAL",
    "the disabled ingress.class annotation",
    {
      plan: editInputs(
        "kubernetes:helm.sh/v3:Release",
        (i) => i.chart === "aws-load-balancer-controller" && ((i.values as Obj).disableIngressClassAnnotation = false),
      ),
    },
  ],
  [
    "K8S-INGRESS-INTERNAL",
    "the internal scheme of the default class",
    {
      objects: (chart, os) =>
        chart === "ingress-classes" ? os.map((o) => (o.kind === "IngressClassParams" ? { ...o, spec: { scheme: "internet-facing" } } : o)) : os,
    },
  ],
  ["K8S-INGRESS-INTERNAL", "the IngressClasses", { objects: (chart, os) => (chart === "ingress-classes" ? [] : os) }],
  [
    "K8S-INGRESS-INTERNAL",
    "the namespace selector of an internet-facing class",
    {
      objects: (chart, os) =>
        chart === "ingress-classes"
          ? [
              ...os,
              { kind: "IngressClassParams", metadata: { name: "open" }, spec: { scheme: "internet-facing" } },
              {
                kind: "IngressClass",
                metadata: { name: "open" },
                spec: { controller: "ingress.k8s.aws/alb", parameters: { kind: "IngressClassParams", name: "open" } },
              },
            ]
          : os,
    },
  ],
  ["AWS-KMS-PROTECTED", "Pulumi protect on the KMS keys", { plan: (rs) => rs.map((r) => (r.type === "aws:kms/key:Key" ? { ...r, protect: false } : r)) }],
  [
    "AWS-API-FIREWALL",
    "the 443-only port range",
    { plan: editInputs("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (i) => i.fromPort === 443 && (i.fromPort = 0)) },
  ],
  ["AWS-NODE-OS", "Bottlerocket", { plan: editInputs("aws:eks/nodeGroup:NodeGroup", (i) => (i.amiType = "AL2023_x86_64_STANDARD")) }],
  [
    "AWS-NODE-VOLUMES-ENCRYPTED",
    "EBS encryption",
    { plan: editInputs("aws:ec2/launchTemplate:LaunchTemplate", (i) => (i.blockDeviceMappings as Obj[]).forEach((d) => ((d.ebs as Obj).encrypted = "false"))) },
  ],
  [
    "AWS-NODES-PRIVATE",
    "private subnets",
    { plan: editInputs("aws:ec2/subnet:Subnet", (i, r) => r.name.includes("private") && (i.mapPublicIpOnLaunch = true)) },
  ],
  [
    "AWS-WORKLOAD-IDENTITY",
    "the Pod Identity agent",
    { plan: (rs) => rs.filter((r) => !(r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "eks-pod-identity-agent")) },
  ],
  ["AWS-KMS-ROTATION", "the key policy lockout safety check", { plan: editInputs("aws:kms/key:Key", (i) => (i.bypassPolicyLockoutSafetyCheck = true)) }],
  [
    "K8S-NS-POD-SECURITY",
    "the enforce label of web",
    { objects: inTenant("web", (os) => os.map((o) => (o.kind === "Namespace" ? { ...o, metadata: { ...(o.metadata as Obj), labels: {} } } : o))) },
  ],
  ["K8S-QUOTA", "the ResourceQuota of web", { objects: inTenant("web", (os) => os.filter((o) => o.kind !== "ResourceQuota")) }],
  [
    "K8S-QUOTA",
    "the CPU limit quota of web",
    {
      objects: inTenant("web", (os) =>
        os.map((o) => (o.kind === "ResourceQuota" ? { ...o, spec: { hard: { ...((o.spec as Obj).hard as Obj), "limits.cpu": undefined } } } : o)),
      ),
    },
  ],
  ["K8S-LIMITRANGE", "the LimitRange of web", { objects: inTenant("web", (os) => os.filter((o) => o.kind !== "LimitRange")) }],
  [
    "K8S-DNS-EGRESS-ONLY",
    "the DNS port limit",
    {
      objects: inTenant("web", (os) =>
        os.map((o) =>
          isObject("NetworkPolicy", "allow-dns-egress")(o) ? { ...o, spec: { ...(o.spec as Obj), egress: [{ to: [{ namespaceSelector: {} }] }] } } : o,
        ),
      ),
    },
  ],
  [
    "K8S-TENANT-RBAC",
    "the tenant-admin RoleBinding of web",
    { objects: inTenant("web", (os) => os.filter((o) => !isObject("RoleBinding", "tenant-admin")(o))) },
  ],
  [
    "K8S-RBAC-EXEC",
    "exec for admins only (view may exec)",
    { objects: inTenant("web", (os) => os.map(withRule("tenant-view", { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }))) },
  ],
  ["K8S-RBAC-CREATE-PODS", "namespace-scoped pod creation", { objects: inTenant("web", (os) => [...os, clusterWideEdit]) }],
  [
    "K8S-TENANT-NO-POLICY-EDIT",
    "read-only NetworkPolicies",
    {
      objects: inTenant("web", (os) =>
        os.map(withRule("tenant-admin", { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["delete"] })),
      ),
    },
  ],
  [
    "K8S-GATEKEEPER-HARDENED",
    "the fail-closed webhook",
    { plan: editInputs("kubernetes:helm.sh/v3:Release", (i) => ((i.values as Obj).validatingWebhookFailurePolicy = "Ignore")) },
  ],
  ["K8S-POD-EXPANSION", "the CronJob ExpansionTemplate", { objects: (_chart, os) => os.filter((o) => !isObject("ExpansionTemplate", "expand-cronjobs")(o)) }],
];

describe("removing one control turns its row missing", () => {
  it.each(removals)("%s without %s", (id, _what, removal) => {
    expect(statusOf(dev, id)).toMatch(/^enforced/);
    expect(statusOf(withRemoval(removal), id)).toBe("missing");
  });
});
