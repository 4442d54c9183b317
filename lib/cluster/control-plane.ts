import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterKeys } from "../kms/keys";
import type { ClusterScope } from "../scope";
import { CONTROL_PLANE_LOG_TYPES } from "./args";
import { managedPolicyArn, secretsKeyUsePolicy, serviceTrustPolicy } from "./policies";

/** The EKS control plane and what exists with it. */
export interface ControlPlane {
  readonly cluster: aws.eks.Cluster;
  readonly auditLogGroup: aws.cloudwatch.LogGroup;
  readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  /** The cluster's OIDC issuer URL (service-account tokens). */
  readonly issuer: pulumi.Output<string>;
}

/** What the control plane is built on. */
export interface ControlPlaneInputs {
  readonly keys: ClusterKeys;
  readonly partition: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly clusterSecurityGroupId: pulumi.Output<string>;
}

/** Cluster role: the EKS service, plus use of the Secrets key for envelope encryption. */
function createClusterRole(scope: ClusterScope, inputs: ControlPlaneInputs): { role: aws.iam.Role; grants: pulumi.Resource[] } {
  const { name, parent, settings, tags } = scope;
  const role = new aws.iam.Role(
    `${name}-cluster`,
    {
      description: `EKS control plane of ${settings.clusterName}`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
      tags,
    },
    { parent },
  );
  const grants = [
    new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      {
        role: role.name,
        policyArn: inputs.partition.apply((p) => managedPolicyArn(p, "AmazonEKSClusterPolicy")),
      },
      { parent },
    ),
    new aws.iam.RolePolicy(
      `${name}-cluster-secrets-key`,
      {
        role: role.id,
        policy: inputs.keys.secrets.arn.apply((arn) => JSON.stringify(secretsKeyUsePolicy(arn))),
      },
      { parent },
    ),
  ];
  return { role, grants };
}

/**
 * The audit log group (before the cluster, so EKS writes into ours: encrypted, retained), the cluster itself
 * (private endpoint, Secrets envelope encryption, all log types, API-only access, no self-managed add-ons),
 * the IAM OIDC provider for IRSA and, when configured, the company IdP.
 */
export function createControlPlane(scope: ClusterScope, inputs: ControlPlaneInputs): ControlPlane {
  const { name, settings, tags, guarded } = scope;
  const auditLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-cluster-logs`,
    {
      name: `/aws/eks/${settings.clusterName}/cluster`,
      kmsKeyId: inputs.keys.logs.arn,
      retentionInDays: settings.logRetentionInDays,
      tags,
    },
    guarded,
  );
  return { auditLogGroup, ...createCluster(scope, inputs, auditLogGroup) };
}

function createCluster(scope: ClusterScope, inputs: ControlPlaneInputs, auditLogGroup: aws.cloudwatch.LogGroup) {
  const { name, parent, settings, tags, guarded } = scope;
  const clusterRole = createClusterRole(scope, inputs);
  const publicAccess = settings.publicAccessCidrs.length > 0;
  const cluster = new aws.eks.Cluster(
    `${name}-cluster`,
    {
      name: settings.clusterName,
      version: settings.kubernetesVersion,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        subnetIds: inputs.privateSubnetIds,
        securityGroupIds: [inputs.clusterSecurityGroupId],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: [...settings.publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: inputs.keys.secrets.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // The managed add-ons are the only ones: no unpinned self-managed defaults.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: settings.upgradePolicy },
      deletionProtection: settings.protect,
      tags,
    },
    { ...guarded, dependsOn: [auditLogGroup, ...clusterRole.grants] },
  );
  const issuer = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
  // IRSA: the IAM OIDC provider trusts this cluster's service-account tokens for STS.
  const oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags }, { parent });
  const idp = settings.identityProvider;
  if (idp) {
    new aws.eks.IdentityProviderConfig(
      `${name}-idp`,
      {
        clusterName: cluster.name,
        oidc: {
          identityProviderConfigName: "company-idp",
          issuerUrl: idp.issuerUrl,
          clientId: idp.clientId,
          usernameClaim: idp.usernameClaim,
          groupsClaim: idp.groupsClaim,
          usernamePrefix: idp.usernamePrefix,
          groupsPrefix: idp.groupsPrefix,
        },
        tags,
      },
      { parent },
    );
  }
  return { cluster, oidcProvider, issuer };
}
