import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, serviceTrustPolicy } from "../cluster/policies";
import type { ClusterScope } from "../scope";

/** The only AWS managed policies the node role gets: join the cluster and pull images. No CNI, no SSM. */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

/** Bottlerocket's OS volume (read-only root, small) and data volume (images, ephemeral storage). */
const BOTTLEROCKET_OS_VOLUME = { deviceName: "/dev/xvda", sizeGiB: 4 } as const;
const BOTTLEROCKET_DATA_VOLUME = "/dev/xvdb";

/** The node role and its policy attachments (node groups wait for them). */
export interface NodeRole {
  readonly role: aws.iam.Role;
  readonly attachments: readonly aws.iam.RolePolicyAttachment[];
}

/** Nodes: a role that can join and pull images, nothing more. */
export function createNodeRole(scope: ClusterScope, partition: pulumi.Output<string>): NodeRole {
  const { name, parent, settings, tags } = scope;
  const role = new aws.iam.Role(
    `${name}-nodes`,
    {
      description: `EKS nodes of ${settings.clusterName}`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
      tags,
    },
    { parent },
  );
  const attachments = NODE_ROLE_POLICIES.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-nodes-${policy}`,
        {
          role: role.name,
          policyArn: partition.apply((p) => managedPolicyArn(p, policy)),
        },
        { parent },
      ),
  );
  return { role, attachments };
}

/** What the node groups are built on. */
export interface NodeGroupInputs {
  readonly clusterName: pulumi.Output<string>;
  readonly nodeRole: NodeRole;
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly ebsKeyArn: pulumi.Output<string>;
  /** What must run before nodes join (the networking add-ons). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * One managed node group per configured group: Bottlerocket, a launch template with IMDSv2 only and hop
 * limit 1 (pods cannot reach the node's credentials), and both volumes encrypted with the EBS key.
 */
export function createNodeGroups(scope: ClusterScope, inputs: NodeGroupInputs): aws.eks.NodeGroup[] {
  const { name, parent, settings, tags } = scope;
  const volume = (deviceName: string, volumeSize: number) => ({
    deviceName,
    ebs: { volumeSize, volumeType: "gp3", encrypted: "true", kmsKeyId: inputs.ebsKeyArn, deleteOnTermination: "true" },
  });
  return settings.nodeGroups.map((group) => {
    const template = new aws.ec2.LaunchTemplate(
      `${name}-${group.name}`,
      {
        description: `Node group ${group.name} of ${settings.clusterName}`,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [volume(BOTTLEROCKET_OS_VOLUME.deviceName, BOTTLEROCKET_OS_VOLUME.sizeGiB), volume(BOTTLEROCKET_DATA_VOLUME, group.diskSizeGiB)],
        vpcSecurityGroupIds: [inputs.nodeSecurityGroupId],
        updateDefaultVersion: true,
        tagSpecifications: [{ resourceType: "instance", tags: { ...tags, Name: `${settings.clusterName}-${group.name}` } }],
        tags,
      },
      { parent },
    );
    return new aws.eks.NodeGroup(
      `${name}-${group.name}`,
      {
        clusterName: inputs.clusterName,
        nodeGroupNamePrefix: `${group.name}-`,
        nodeRoleArn: inputs.nodeRole.role.arn,
        subnetIds: inputs.privateSubnetIds,
        amiType: group.amiType,
        capacityType: group.capacityType,
        instanceTypes: [...group.instanceTypes],
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        updateConfig: { maxUnavailablePercentage: 33 },
        launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
        version: settings.kubernetesVersion,
        labels: { ...group.labels },
        tags,
      },
      { parent, dependsOn: [...inputs.nodeRole.attachments, ...inputs.dependsOn], ignoreChanges: ["scalingConfig.desiredSize"] },
    );
  });
}
