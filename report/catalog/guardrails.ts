/**
 * Controls of the cluster-wide guardrails and the traffic path in: the VPC CNI ClusterNetworkPolicies tenants
 * cannot override, the AWS Load Balancer Controller's internal defaults, and encrypted default storage.
 */
import { INSTANCE_METADATA_CIDRS } from "../../config/tenants";
import { allObjects } from "../evidence";
import { planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, missing, NSA, ref, requireAll, T_ADDONS } from "./control";

const T_GUARDRAILS = "test/network/cluster-network-guardrails.test.ts";
const T_LBC = "test/addons/load-balancer-controller.test.ts";
const T_STORAGE = "test/addons/encrypted-storage-class.test.ts";
const T_INGRESS_CLASSES = "test/network/ingress-classes.test.ts";

interface IngressClassView {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> };
  readonly spec?: { readonly controller?: string; readonly parameters?: { readonly kind?: string; readonly name?: string } };
}
interface IngressClassParamsView {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly scheme?: string;
    readonly namespaceSelector?: {
      readonly matchLabels?: unknown;
      readonly matchExpressions?: readonly { readonly key?: string; readonly operator?: string; readonly values?: readonly string[] }[];
    };
  };
}

/** What is wrong with the ALB IngressClasses: the default must force internal, others internet-facing only for the public namespaces. */
function albIngressClassProblems(objects: readonly unknown[], publicNamespaces: readonly string[]): string[] {
  const classes = (objects as IngressClassView[]).filter((o) => o.kind === "IngressClass" && o.spec?.controller === "ingress.k8s.aws/alb");
  const params = (objects as IngressClassParamsView[]).filter((o) => o.kind === "IngressClassParams");
  const paramsOf = (c: IngressClassView) =>
    c.spec?.parameters?.kind === "IngressClassParams" ? params.find((p) => p.metadata?.name === c.spec?.parameters?.name) : undefined;
  const defaults = classes.filter((c) => c.metadata?.annotations?.["ingressclass.kubernetes.io/is-default-class"] === "true");
  const problems =
    defaults.length === 1 && paramsOf(defaults[0])?.spec?.scheme === "internal"
      ? []
      : ["no single default ALB IngressClass whose IngressClassParams force internal"];
  const expected = JSON.stringify([{ key: "kubernetes.io/metadata.name", operator: "In", values: [...publicNamespaces].sort() }]);
  for (const c of classes) {
    const spec = paramsOf(c)?.spec;
    if (spec?.scheme === "internal") continue;
    const selector = spec?.namespaceSelector;
    if (
      spec?.scheme !== "internet-facing" ||
      selector?.matchLabels !== undefined ||
      JSON.stringify(selector?.matchExpressions) !== expected ||
      publicNamespaces.length === 0
    ) {
      problems.push(`IngressClass ${c.metadata?.name} gives ALBs a scheme not held to internal outside the public namespaces`);
    }
  }
  return problems;
}

interface PolicyDocumentView {
  readonly Statement?: readonly { readonly Effect?: string; readonly Action?: string | readonly string[]; readonly Resource?: string | readonly string[] }[];
}

function parsedJson<T>(text: unknown): T | undefined {
  try {
    return JSON.parse(String(text)) as T;
  } catch {
    return undefined;
  }
}

interface ClusterNetworkPolicy {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly tier?: string;
    readonly egress?: readonly { readonly action?: string; readonly to?: readonly { readonly networks?: readonly string[] }[] }[];
  };
}

export const guardrailControls: Control[] = [
  control(
    {
      id: "K8S-NETWORK-GUARDRAILS",
      title:
        "Guardrails tenants cannot override: no tenant pod reaches the instance metadata endpoints, no undeclared cross-tenant ingress, default deny as the baseline tier",
      layer: "cluster",
      checklist: "block the metadata endpoint",
      nsa: NSA.cloudInfra,
      bp: BP.multiTenancy,
    },
    "construct",
    "ClusterNetworkGuardrails (ClusterNetworkPolicy, chart cluster-network)",
    { file: T_GUARDRAILS, name: "the dev stack's guardrails › Admin tier: tenant pods never reach the IPv4 or IPv6 instance metadata endpoint" },
    (ctx) => {
      const policies = allObjects(ctx.charts).filter((o) => (o as ClusterNetworkPolicy).kind === "ClusterNetworkPolicy") as ClusterNetworkPolicy[];
      const named = (name: string) => policies.find((p) => p.metadata?.name === name);
      const problems: string[] = [];
      const metadata = named("bulwark-deny-instance-metadata");
      const denied = new Set((metadata?.spec?.egress ?? []).filter((r) => r.action === "Deny").flatMap((r) => (r.to ?? []).flatMap((t) => t.networks ?? [])));
      if (metadata?.spec?.tier !== "Admin" || !denied.has(INSTANCE_METADATA_CIDRS.ipv4) || !denied.has(INSTANCE_METADATA_CIDRS.ipv6))
        problems.push("no Admin-tier deny of both instance metadata endpoints");
      for (const tenant of ctx.config.tenants)
        if (named(`bulwark-isolate-${tenant.name}`)?.spec?.tier !== "Admin") problems.push(`no Admin-tier isolation of ${tenant.name}`);
      if (named("bulwark-baseline-default-deny")?.spec?.tier !== "Baseline") problems.push("no Baseline-tier default deny");
      return requireAll(
        policies.map((p) => `ClusterNetworkPolicy/${p.metadata?.name}`),
        problems,
      );
    },
  ),
  control(
    {
      id: "AWS-NETWORK-POLICY-LOGS",
      title:
        "Denied flows are logged: the VPC CNI's network policy agent streams policy events to the KMS-encrypted, retained, protected cluster log group, with write access to that group only",
      layer: "aws",
      checklist: "audit logging",
      nsa: NSA.threat,
      bp: BP.detective,
    },
    "resource",
    "aws:eks/addon:Addon vpc-cni (nodeAgent) + aws:iam/rolePolicy:RolePolicy",
    {
      file: T_ADDONS,
      name: "add-ons › network policy event logs (denied flows) go to the encrypted, retained, protected control-plane log group, and the CNI role may write only there",
    },
    (ctx) => {
      const cni = planResources(ctx.plan, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni");
      if (!cni) return missing("no vpc-cni add-on in the plan");
      const groupName = `/aws/eks/${ctx.config.cluster.name}/cluster`;
      const group = planResources(ctx.plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === groupName);
      if (!group) return missing(`no log group ${groupName} in the plan`);
      const agent = parsedJson<{ nodeAgent?: Record<string, unknown> }>(cni.inputs.configurationValues)?.nodeAgent ?? {};
      const role = String(cni.inputs.serviceAccountRoleArn ?? "")
        .split("/")
        .pop();
      const writes = planResources(ctx.plan, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === role)
        .filter((p) => (parsedJson<PolicyDocumentView>(p.inputs.policy)?.Statement ?? []).some((s) => [s.Action].flat().includes("logs:PutLogEvents")));
      const statements = writes.flatMap((p) => parsedJson<PolicyDocumentView>(p.inputs.policy)?.Statement ?? []);
      const broad = statements.filter(
        (s) =>
          [s.Action].flat().some((a) => String(a).includes("*")) ||
          [s.Resource].flat().some((r) => r === "*" || (r !== undefined && !r.includes(":log-group:"))),
      );
      const writesElsewhere = statements
        .filter((s) => [s.Action].flat().some((a) => a === "logs:PutLogEvents" || a === "logs:CreateLogStream"))
        .flatMap((s) => [s.Resource].flat())
        .filter((r) => !String(r).includes(`:log-group:${groupName}`));
      const problems = [
        ...(agent.enablePolicyEventLogs === "true" && agent.enableCloudWatchLogs === "true"
          ? []
          : ["the node agent's policy event logs to CloudWatch are off (nodeAgent.enablePolicyEventLogs, enableCloudWatchLogs)"]),
        ...(writes.length > 0 ? [] : ["the vpc-cni role may not write policy events to CloudWatch Logs"]),
        ...(broad.length === 0 && writesElsewhere.length === 0 ? [] : ["the policy event log grant reaches beyond the cluster log group"]),
        ...(group.inputs.kmsKeyId ? [] : [`${groupName} is not KMS-encrypted`]),
        ...(Number(group.inputs.retentionInDays ?? 0) > 0 ? [] : [`${groupName} has no retention`]),
        ...(group.protect ? [] : [`${groupName} is not protected from destroy`]),
      ];
      return requireAll([ref(cni), ref(group), ...writes.map(ref)], problems);
    },
  ),
  control(
    {
      id: "AWS-LB-CONTROLLER-INTERNAL",
      needs: "load-balancer-controller",
      title:
        "Load balancers are internal by default: the AWS Load Balancer Controller handles every new LoadBalancer Service, defaults to internal, and the default IngressClass forces internal ALBs",
      layer: "aws",
      checklist: "restrict API access",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    "resource",
    "LoadBalancerController (helm aws-load-balancer-controller, Pod Identity)",
    { file: T_LBC, name: "LoadBalancerController › internal by default for Services and Ingresses; every new LoadBalancer Service goes to it; IP targets" },
    (ctx) => {
      const release = planResources(ctx.plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller");
      if (!release) return missing("no AWS Load Balancer Controller release in the plan");
      const values = release.inputs.values ?? {};
      const association = planResources(ctx.plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
        (a) => a.inputs.serviceAccount === "aws-load-balancer-controller",
      );
      const problems = [
        ...(values.enableServiceMutatorWebhook === true ? [] : ["the Service mutator webhook is off: in-tree load balancers ignore the scheme annotation"]),
        ...(values.defaultLoadBalancerScheme === "internal" ? [] : ["the default scheme is not internal"]),
        ...(values.disableIngressClassAnnotation === true
          ? []
          : ["the legacy kubernetes.io/ingress.class annotation is honoured: it names no IngressClassParams, so an annotation picks the ALB's scheme"]),
        ...(association ? [] : ["no Pod Identity association for the controller"]),
      ];
      return requireAll([ref(release), ...(association ? [ref(association)] : [])], problems);
    },
  ),
  control(
    {
      id: "K8S-INGRESS-INTERNAL",
      needs: "load-balancer-controller",
      title:
        "Ingresses get internal ALBs: the default IngressClass's IngressClassParams force internal; an internet-facing class exists only for the public namespaces and its params refuse every other namespace",
      layer: "cluster",
      checklist: "restrict API access",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    "construct",
    "AlbIngressClasses (IngressClass + IngressClassParams, chart ingress-classes)",
    {
      file: T_INGRESS_CLASSES,
      name: "the ALB IngressClasses › dev: one class, alb, the cluster's default, whose IngressClassParams force internal ALBs in every namespace",
    },
    (ctx) => {
      const objects = allObjects(ctx.charts).filter((o) => ["IngressClass", "IngressClassParams"].includes(String((o as IngressClassView).kind)));
      if (objects.length === 0) return missing("no IngressClass in the manifests: Ingresses would get whatever class or annotation they name");
      const evidence = objects.map((o) => `${String((o as IngressClassView).kind)}/${String((o as IngressClassView).metadata?.name)}`);
      return requireAll(evidence, albIngressClassProblems(objects, ctx.config.policy.publicLoadBalancerNamespaces ?? []));
    },
  ),
  control(
    {
      id: "AWS-STORAGE-ENCRYPTED",
      title: "The default StorageClass is gp3 encrypted with the customer-managed EBS key",
      layer: "aws",
      checklist: "encrypt data at rest and rotate keys",
      nsa: NSA.encryption,
      bp: BP.encryption,
    },
    "resource",
    "EncryptedStorageClass (StorageClass gp3-encrypted)",
    { file: T_STORAGE, name: "EncryptedStorageClass › is the default class: gp3 through the EBS CSI driver, encrypted with the customer-managed key" },
    (ctx) => {
      const classes = planResources(ctx.plan, "kubernetes:storage.k8s.io/v1:StorageClass");
      const defaults = classes.filter((c) => c.inputs.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
      if (defaults.length === 0) return missing("no default StorageClass in the plan: PVCs get EKS's unencrypted gp2 or none");
      const problems = defaults
        .filter((c) => c.inputs.parameters?.encrypted !== "true" || !c.inputs.parameters?.kmsKeyId)
        .map((c) => `${c.name} is not KMS-encrypted`);
      if (defaults.length > 1) problems.push("more than one default StorageClass");
      return requireAll(defaults.map(ref), problems);
    },
  ),
];
