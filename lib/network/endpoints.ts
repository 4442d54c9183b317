import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterScope } from "../scope";
import type { ClusterNetwork } from "./vpc";
import { INTERFACE_ENDPOINT_SERVICES } from "./vpc";

/**
 * VPC endpoints of a created VPC, so AWS API traffic (image pulls, STS, logs) never leaves the VPC: an S3
 * gateway endpoint on the private route tables and interface endpoints admitting 443 from the nodes only.
 */
export function createVpcEndpoints(scope: ClusterScope, network: ClusterNetwork, nodeSecurityGroupId: pulumi.Input<string>): void {
  if (!network.created) return;
  const { name, parent, settings, tags } = scope;
  const opts = { parent };
  const endpointSg = new aws.ec2.SecurityGroup(
    `${name}-vpce`,
    {
      vpcId: network.vpcId,
      description: `VPC interface endpoints of ${settings.clusterName}: 443 from the nodes only`,
      revokeRulesOnDelete: true,
      tags: { ...tags, Name: `${settings.clusterName}-vpce` },
    },
    opts,
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-vpce-from-nodes-443`,
    {
      securityGroupId: endpointSg.id,
      referencedSecurityGroupId: nodeSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from the nodes",
    },
    opts,
  );
  new aws.ec2.VpcEndpoint(
    `${name}-vpce-s3`,
    {
      vpcId: network.vpcId,
      serviceName: `com.amazonaws.${settings.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: network.privateRouteTableIds,
      tags: { ...tags, Name: `${settings.clusterName}-s3` },
    },
    opts,
  );
  for (const service of INTERFACE_ENDPOINT_SERVICES) {
    new aws.ec2.VpcEndpoint(
      `${name}-vpce-${service.replace(/\./g, "-")}`,
      {
        vpcId: network.vpcId,
        serviceName: `com.amazonaws.${settings.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: network.privateSubnetIds,
        securityGroupIds: [endpointSg.id],
        tags: { ...tags, Name: `${settings.clusterName}-${service}` },
      },
      opts,
    );
  }
}
