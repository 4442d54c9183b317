import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TenantWorkloadIdentityArgs {
  /** The EKS cluster's name (plain: it scopes the trust policy). */
  readonly clusterName: string;
  /** The EKS cluster resource name the association belongs to. */
  readonly eksClusterName: pulumi.Input<string>;
  /** The tenant's namespace. */
  readonly namespace: string;
  /** The service account (created by the tenant baseline, `WorkloadIdentityAccess`). */
  readonly serviceAccount: string;
  /** IAM managed policies the workload is given (validated by the stack config). */
  readonly managedPolicyArns: readonly string[];
}

/**
 * The trust policy of a role for EKS Pod Identity (the workload's and the load balancer controller's): only
 * Pod Identity may assume it, and only for this service account of this namespace of this cluster: the
 * agent's session tags carry them (EKS User Guide, "Define permissions for EKS Pod Identities to
 * assume roles based on tags").
 */
export function workloadTrustPolicy(clusterName: string, namespace: string, serviceAccount: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": clusterName,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
          },
        },
      },
    ],
  };
}

/**
 * An AWS identity for one tenant workload (`bulwark:addons:TenantWorkloadIdentity`): an IAM role trusted by
 * EKS Pod Identity for exactly one service account, the managed policies the platform grants it, and the
 * Pod Identity association.
 */
export class TenantWorkloadIdentity extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;

  constructor(name: string, args: TenantWorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bulwark:addons:TenantWorkloadIdentity", name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify(workloadTrustPolicy(args.clusterName, args.namespace, args.serviceAccount)),
        tags: { "bulwark:tenant": args.namespace, "bulwark:service-account": args.serviceAccount },
      },
      { parent: this },
    );
    const attachments = [...args.managedPolicyArns]
      .sort()
      .map((policyArn, index) => new aws.iam.RolePolicyAttachment(`${name}-policy-${index}`, { role: this.role.name, policyArn }, { parent: this }));
    new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity`,
      { clusterName: args.eksClusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: this.role.arn },
      { parent: this, dependsOn: attachments },
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
