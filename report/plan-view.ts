/**
 * A typed view of the plan resources and synthesized objects the catalog reads. The plan records each
 * resource's inputs as the program registered them, so their shape is the Pulumi `*Args` type of the
 * resource, unwrapped (outputs resolved, as the mock engine records them). Every field is optional in
 * the view: a predicate must report a missing field, not throw on it.
 */
import type * as aws from "@pulumi/aws";
import type * as kubernetes from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import type { k8s } from "cdk8s-plus-33";
import type { SynthesizedChart } from "../constructs/synthesize";
import type { Plan, PlannedResource } from "../lib/plan/engine";

/** Every field optional and read-only, all the way down. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The Pulumi args type of each resource type token the catalog reads (source: @pulumi/aws, @pulumi/kubernetes). */
export interface PlanArgs {
  "aws:cloudwatch/logGroup:LogGroup": aws.cloudwatch.LogGroupArgs;
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": aws.ec2.DefaultSecurityGroupArgs;
  "aws:ec2/flowLog:FlowLog": aws.ec2.FlowLogArgs;
  "aws:ec2/launchTemplate:LaunchTemplate": aws.ec2.LaunchTemplateArgs;
  "aws:ec2/subnet:Subnet": aws.ec2.SubnetArgs;
  "aws:ec2/vpc:Vpc": aws.ec2.VpcArgs;
  "aws:ec2/vpcEndpoint:VpcEndpoint": aws.ec2.VpcEndpointArgs;
  "aws:ecr/repository:Repository": aws.ecr.RepositoryArgs;
  "aws:eks/accessEntry:AccessEntry": aws.eks.AccessEntryArgs;
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": aws.eks.AccessPolicyAssociationArgs;
  "aws:eks/addon:Addon": aws.eks.AddonArgs;
  "aws:eks/cluster:Cluster": aws.eks.ClusterArgs;
  "aws:eks/identityProviderConfig:IdentityProviderConfig": aws.eks.IdentityProviderConfigArgs;
  "aws:eks/nodeGroup:NodeGroup": aws.eks.NodeGroupArgs;
  "aws:guardduty/detectorFeature:DetectorFeature": aws.guardduty.DetectorFeatureArgs;
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": aws.iam.OpenIdConnectProviderArgs;
  "aws:iam/rolePolicy:RolePolicy": aws.iam.RolePolicyArgs;
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": aws.iam.RolePolicyAttachmentArgs;
  "aws:kms/key:Key": aws.kms.KeyArgs;
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": aws.vpc.SecurityGroupIngressRuleArgs;
  "kubernetes:helm.sh/v3:Release": kubernetes.helm.v3.ReleaseArgs;
  "kubernetes:storage.k8s.io/v1:StorageClass": kubernetes.storage.v1.StorageClassArgs;
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": aws.eks.PodIdentityAssociationArgs;
}

export type PlanType = keyof PlanArgs;

/**
 * The Gatekeeper chart values the catalog reads (the Release args type them as `any`). Source: the
 * gatekeeper chart's values.yaml; set by lib/gatekeeper/release.ts.
 */
export interface GatekeeperChartValues {
  readonly validatingWebhookFailurePolicy?: string;
  readonly replicas?: number;
  readonly disableAudit?: boolean;
  readonly controllerManager?: { readonly exemptNamespaces?: readonly string[] };
  // The AWS Load Balancer Controller chart's (values.yaml at v3.5.0; set by lib/addons/load-balancer-controller.ts).
  readonly enableServiceMutatorWebhook?: boolean;
  readonly defaultLoadBalancerScheme?: string;
  readonly ingressClassParams?: { readonly create?: boolean; readonly spec?: { readonly scheme?: string } };
  readonly disableIngressClassAnnotation?: boolean;
}

type InputsOf<T extends PlanType> = T extends "kubernetes:helm.sh/v3:Release"
  ? Omit<DeepPartial<Unwrap<PlanArgs[T]>>, "values"> & { readonly values?: GatekeeperChartValues }
  : DeepPartial<Unwrap<PlanArgs[T]>>;

/** A planned resource of type `T`, its inputs typed as the program set them. */
export type PlanResource<T extends PlanType> = Omit<PlannedResource, "type" | "inputs"> & { readonly type: T; readonly inputs: InputsOf<T> };

/** The planned resources of one type, typed. */
export function planResources<T extends PlanType>(plan: Plan, type: T): PlanResource<T>[] {
  return plan.resources.filter((r) => r.type === type) as unknown as PlanResource<T>[];
}

/** A Kubernetes object registered in the plan (`kubernetes:<group>/<version>:<Kind>`). */
export type PlannedKubernetesObject = Omit<PlannedResource, "inputs"> & { readonly inputs: { readonly metadata?: DeepPartial<k8s.ObjectMeta> } };

/** cdk8s props as their JSON: quantities and int-or-strings are plain strings or numbers. */
export type Json<T> = T extends k8s.Quantity | k8s.IntOrString
  ? string | number
  : T extends readonly (infer U)[]
    ? readonly Json<U>[]
    : T extends object
      ? { readonly [K in keyof T]?: Json<T[K]> }
      : T;

/** The cdk8s props type of each built-in kind the catalog reads (source: cdk8s-plus-33's k8s imports). */
export interface ObjectProps {
  ClusterRole: k8s.KubeClusterRoleProps;
  LimitRange: k8s.KubeLimitRangeProps;
  Namespace: k8s.KubeNamespaceProps;
  NetworkPolicy: k8s.KubeNetworkPolicyProps;
  ResourceQuota: k8s.KubeResourceQuotaProps;
  Role: k8s.KubeRoleProps;
  RoleBinding: k8s.KubeRoleBindingProps;
  ServiceAccount: k8s.KubeServiceAccountProps;
}

/** A synthesized object of a built-in kind, typed as its JSON. */
export type K8sObjectOf<K extends keyof ObjectProps> = Json<ObjectProps[K]> & { readonly kind: K; readonly apiVersion: string };

/**
 * A synthesized Gatekeeper object (ConstraintTemplate, constraint, ExpansionTemplate): the fields the catalog
 * reads. Source: Gatekeeper's CRDs (constraints' spec.enforcementAction; ExpansionTemplate spec.applyTo).
 */
export interface GatekeeperObject {
  readonly kind: string;
  readonly metadata?: DeepPartial<k8s.ObjectMeta>;
  readonly spec?: {
    readonly enforcementAction?: string;
    readonly applyTo?: readonly { readonly kinds?: readonly string[] }[];
  };
}

/** An array field, or none when the value is absent or not an array (a malformed plan reads as empty). */
export function list<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** The synthesized objects of one built-in kind, typed. */
export function objectsOf<K extends keyof ObjectProps>(charts: readonly SynthesizedChart[], kind: K): K8sObjectOf<K>[] {
  return charts.flatMap((c) => c.objects).filter((o) => o.kind === kind) as unknown as K8sObjectOf<K>[];
}

/** The synthesized Gatekeeper objects of one kind (a ConstraintTemplate, a constraint kind, ExpansionTemplate). */
export function gatekeeperObjects(charts: readonly SynthesizedChart[], kind: string): GatekeeperObject[] {
  return charts.flatMap((c) => c.objects).filter((o) => o.kind === kind) as unknown as GatekeeperObject[];
}
