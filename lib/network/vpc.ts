import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HARDENED_CLUSTER_DEFAULTS } from "../cluster/args";
import { flowLogDeliveryPolicy, serviceTrustPolicy } from "../cluster/policies";
import type { ClusterScope } from "../scope";
import { vpcLayout } from "./subnets";

/** The network the cluster runs in. */
export interface ClusterNetwork {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** Route tables of the private subnets (created VPC only), for the S3 gateway endpoint. */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** True when Bulwark created the VPC (and so owns its endpoints and flow logs). */
  readonly created: boolean;
}

/** Interface endpoints nodes need to run without the internet: image pulls, IRSA/Pod Identity, logs, ELB. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "eks-auth"] as const;

/**
 * The created VPC: 3 AZs, private subnets for nodes and control-plane ENIs, NAT per AZ (egress `nat`) or no
 * internet route at all (`vpcEndpointsOnly`), the default security group emptied, and flow logs (all traffic)
 * to a KMS-encrypted log group. An existing VPC is used as given.
 */
export function createNetwork(scope: ClusterScope, logsKeyArn: pulumi.Input<string>, accountId: pulumi.Input<string>): ClusterNetwork {
  const { name, parent, settings, tags } = scope;
  const network = settings.network;
  if (network.kind === "existing") {
    return {
      vpcId: pulumi.output(network.vpcId),
      privateSubnetIds: network.privateSubnetIds.map((id) => pulumi.output(id)),
      privateRouteTableIds: [],
      created: false,
    };
  }
  const opts = { parent };
  const zones = HARDENED_CLUSTER_DEFAULTS.availabilityZones;
  const azs = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent });
  const zone = (i: number) =>
    azs.names.apply((names) => {
      if (names.length < zones) throw new Error(`${name}: the region has ${names.length} available AZs; a created VPC needs ${zones}`);
      return [...names].sort()[i];
    });
  const layout = vpcLayout(network.vpcCidr, zones);

  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: network.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...tags, Name: `${settings.clusterName}-vpc` },
    },
    opts,
  );
  // CIS AWS 5.4: the default security group admits nothing, so nothing can fall back to it.
  new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { ...tags, Name: `${settings.clusterName}-default-unused` } }, opts);

  const privateSubnets = layout.private.map(
    (cidrBlock, i) =>
      new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock,
          availabilityZone: zone(i),
          mapPublicIpOnLaunch: false,
          tags: { ...tags, Name: `${settings.clusterName}-private-${i}`, "kubernetes.io/role/internal-elb": "1" },
        },
        opts,
      ),
  );

  const natGatewayIds = network.egress === "nat" ? createNatEgress(scope, vpc.id, layout.public, zone) : [];

  const privateRouteTableIds = privateSubnets.map((subnet, i) => {
    const table = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId: vpc.id, tags: { ...tags, Name: `${settings.clusterName}-private-${i}` } }, opts);
    if (network.egress === "nat") {
      new aws.ec2.Route(`${name}-private-default-${i}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGatewayIds[i] }, opts);
    }
    new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: table.id }, opts);
    return table.id;
  });

  createFlowLogs(scope, vpc.id, logsKeyArn, accountId);
  return { vpcId: vpc.id, privateSubnetIds: privateSubnets.map((s) => s.id), privateRouteTableIds, created: true };
}

/** Egress `nat`: an internet gateway, and per AZ a small public subnet holding only its NAT gateway. */
function createNatEgress(
  scope: ClusterScope,
  vpcId: pulumi.Output<string>,
  publicCidrs: readonly string[],
  zone: (i: number) => pulumi.Output<string>,
): pulumi.Output<string>[] {
  const { name, parent, settings, tags } = scope;
  const opts = { parent };
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpcId, tags: { ...tags, Name: `${settings.clusterName}-igw` } }, opts);
  const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpcId, tags: { ...tags, Name: `${settings.clusterName}-public` } }, opts);
  new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, opts);
  return publicCidrs.map((cidrBlock, i) => {
    // Public subnets hold only the NAT gateways: no public IPs on launch, no ELB role tag.
    const subnet = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        vpcId: vpcId,
        cidrBlock,
        availabilityZone: zone(i),
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: `${settings.clusterName}-public-${i}` },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts);
    const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { ...tags, Name: `${settings.clusterName}-nat-${i}` } }, opts);
    return new aws.ec2.NatGateway(
      `${name}-nat-${i}`,
      {
        allocationId: eip.id,
        subnetId: subnet.id,
        tags: { ...tags, Name: `${settings.clusterName}-nat-${i}` },
      },
      { parent, dependsOn: [igw] },
    ).id;
  });
}

/** Flow logs: every accepted and rejected flow, to a log group encrypted with the logs key. */
function createFlowLogs(scope: ClusterScope, vpcId: pulumi.Output<string>, logsKeyArn: pulumi.Input<string>, accountId: pulumi.Input<string>): void {
  const { name, parent, settings, tags } = scope;
  const opts = { parent };
  const flowLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    {
      name: `/aws/vpc/${settings.clusterName}/flow-logs`,
      kmsKeyId: logsKeyArn,
      retentionInDays: settings.logRetentionInDays,
      tags,
    },
    opts,
  );
  const flowLogRole = new aws.iam.Role(
    `${name}-flow-logs`,
    {
      description: `VPC flow log delivery for ${settings.clusterName}`,
      assumeRolePolicy: pulumi
        .output(accountId)
        .apply((account) =>
          JSON.stringify(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", ["sts:AssumeRole"], { StringEquals: { "aws:SourceAccount": account } })),
        ),
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-flow-logs`,
    {
      role: flowLogRole.id,
      policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogDeliveryPolicy(arn))),
    },
    opts,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-logs`,
    {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags,
    },
    opts,
  );
}
