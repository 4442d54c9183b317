import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KUBE_SYSTEM_NAMESPACE } from "../../config/namespaces";
import { INGRESS_CLASS_NAMES } from "../../constructs/network/ingress-classes";
import { workloadTrustPolicy } from "./tenant-workload-identity";
// The controller's own least-privilege IAM policy, unchanged: kubernetes-sigs/aws-load-balancer-controller,
// docs/install/iam_policy.json at tag v3.5.0 (commit 11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4).
import CONTROLLER_IAM_POLICY from "./load-balancer-controller-iam-policy.json";

/**
 * The AWS Load Balancer Controller chart Bulwark installs. Source: kubernetes-sigs/aws-load-balancer-controller
 * helm/aws-load-balancer-controller/Chart.yaml at v3.5.0 (chart version = app version), published in
 * aws/eks-charts.
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  name: "aws-load-balancer-controller",
  version: "3.5.0",
  repository: "https://aws.github.io/eks-charts",
  namespace: KUBE_SYSTEM_NAMESPACE,
  serviceAccount: "aws-load-balancer-controller",
} as const;

/** The IngressClass every Ingress gets by default: its IngressClassParams force internal ALBs (`AlbIngressClasses`). */
export const INTERNAL_INGRESS_CLASS = INGRESS_CLASS_NAMES.internal;

export interface LoadBalancerControllerArgs {
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** The EKS cluster's name (plain: it scopes the role's trust policy). */
  readonly clusterName: string;
  /** The cluster's region (the controller then needs no instance metadata to find it). */
  readonly region: string;
  /** The cluster's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The EKS cluster resource name to associate the Pod Identity with. */
  readonly eksClusterName: pulumi.Input<string>;
  /**
   * Controller replicas; a PodDisruptionBudget keeps one available.
   * @default 2
   */
  readonly replicas?: number;
}

/** Secure defaults of {@link LoadBalancerController}, in one place. */
export const LOAD_BALANCER_CONTROLLER_DEFAULTS = {
  replicas: 2,
  scheme: "internal",
  // IP targets: with the VPC CNI pods have VPC addresses, so traffic goes straight to the pods that a
  // tenant's ingress grant (from.loadBalancers) admits, not through every node's NodePort.
  targetType: "ip",
} as const;

/** The trust policy of the controller's role: EKS Pod Identity, for its service account in kube-system of this cluster only. */
export function controllerTrustPolicy(clusterName: string): Record<string, unknown> {
  return workloadTrustPolicy(clusterName, LOAD_BALANCER_CONTROLLER_CHART.namespace, LOAD_BALANCER_CONTROLLER_CHART.serviceAccount);
}

/** The chart values: pure, so tests and the plan show exactly what is installed. */
export function loadBalancerControllerValues(args: Omit<LoadBalancerControllerArgs, "provider" | "eksClusterName">): Record<string, unknown> {
  const replicas = args.replicas ?? LOAD_BALANCER_CONTROLLER_DEFAULTS.replicas;
  if (!Number.isInteger(replicas) || replicas < 2) {
    throw new Error(
      `LoadBalancerController: replicas ${JSON.stringify(replicas)} must be a whole number >= 2, so load balancers keep reconciling while one pod is lost`,
    );
  }
  return {
    clusterName: args.clusterName,
    region: args.region,
    vpcId: args.vpcId,
    replicaCount: replicas,
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_CHART.serviceAccount },
    // Every new LoadBalancer Service goes to this controller (the in-tree provider ignores the scheme annotation).
    enableServiceMutatorWebhook: true,
    defaultLoadBalancerScheme: LOAD_BALANCER_CONTROLLER_DEFAULTS.scheme,
    defaultTargetType: LOAD_BALANCER_CONTROLLER_DEFAULTS.targetType,
    // The IngressClasses and their IngressClassParams (which force the scheme) are Bulwark's own objects,
    // synthesized and reviewed with the rest (chart ingress-classes, constructs/network/ingress-classes.ts),
    // applied after this release has installed the IngressClassParams CRD.
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    ingressClass: INTERNAL_INGRESS_CLASS,
    // Only IngressClasses pick this controller: the legacy kubernetes.io/ingress.class annotation would name
    // a class with no IngressClassParams, so an annotation could make the ALB internet-facing.
    disableIngressClassAnnotation: true,
  };
}

/**
 * The AWS Load Balancer Controller, hardened: chart pinned, IAM through EKS Pod Identity with the
 * controller's own least-privilege policy, internal by default for Services and Ingresses, its Service
 * mutator webhook on so every `LoadBalancer` Service goes to it.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    const values = loadBalancerControllerValues(args); // validates before anything is registered
    super("bulwark:addons:LoadBalancerController", name, {}, opts);
    this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: JSON.stringify(controllerTrustPolicy(args.clusterName)) }, { parent: this });
    const policy = new aws.iam.Policy(`${name}-policy`, { policy: JSON.stringify(CONTROLLER_IAM_POLICY) }, { parent: this });
    const attachment = new aws.iam.RolePolicyAttachment(`${name}-policy-attachment`, { role: this.role.name, policyArn: policy.arn }, { parent: this });
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity`,
      {
        clusterName: args.eksClusterName,
        namespace: LOAD_BALANCER_CONTROLLER_CHART.namespace,
        serviceAccount: LOAD_BALANCER_CONTROLLER_CHART.serviceAccount,
        roleArn: this.role.arn,
      },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: LOAD_BALANCER_CONTROLLER_CHART.name,
        chart: LOAD_BALANCER_CONTROLLER_CHART.name,
        version: LOAD_BALANCER_CONTROLLER_CHART.version,
        repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repository },
        namespace: LOAD_BALANCER_CONTROLLER_CHART.namespace,
        atomic: true,
        values,
      },
      { parent: this, provider: args.provider, dependsOn: [attachment, association] },
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
