import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterScope } from "../scope";

/** Ports the control plane opens on nodes: kubelet, and the usual admission-webhook ports. */
export const CONTROL_PLANE_TO_NODE_PORTS = [443, 4443, 6443, 8443, 9443, 10250] as const;

/** The two security groups Bulwark manages: the control-plane ENIs' and the nodes'. */
export interface ClusterSecurityGroups {
  readonly cluster: aws.ec2.SecurityGroup;
  readonly nodes: aws.ec2.SecurityGroup;
}

/**
 * Firewall: the control plane admits 443 from the nodes and the configured admin networks only; nodes admit
 * each other and the control plane's kubelet and webhook ports. Node egress stays open (images, AWS APIs,
 * tenant egress); the NetworkPolicies of the baseline narrow pods.
 */
export function createSecurityGroups(scope: ClusterScope, vpcId: pulumi.Output<string>): ClusterSecurityGroups {
  const { name, parent, settings, tags } = scope;
  const opts = { parent };
  const clusterSg = new aws.ec2.SecurityGroup(
    `${name}-cluster`,
    {
      vpcId,
      description: `EKS control plane of ${settings.clusterName}: 443 from nodes and admin networks only`,
      revokeRulesOnDelete: true,
      tags: { ...tags, Name: `${settings.clusterName}-cluster` },
    },
    opts,
  );
  const nodeSg = new aws.ec2.SecurityGroup(
    `${name}-nodes`,
    {
      vpcId,
      description: `EKS nodes of ${settings.clusterName}: from each other and the control plane only`,
      revokeRulesOnDelete: true,
      tags: { ...tags, Name: `${settings.clusterName}-nodes`, [`kubernetes.io/cluster/${settings.clusterName}`]: "owned" },
    },
    opts,
  );
  createControlPlaneIngress(scope, clusterSg, nodeSg);
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-nodes-from-nodes`,
    {
      securityGroupId: nodeSg.id,
      referencedSecurityGroupId: nodeSg.id,
      ipProtocol: "-1",
      description: "Node to node (pod networking, DNS)",
    },
    opts,
  );
  for (const port of CONTROL_PLANE_TO_NODE_PORTS) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-nodes-from-cluster-${port}`,
      {
        securityGroupId: nodeSg.id,
        referencedSecurityGroupId: clusterSg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: port === 10250 ? "kubelet from the control plane" : "admission webhooks from the control plane",
      },
      opts,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-cluster-to-nodes-${port}`,
      {
        securityGroupId: clusterSg.id,
        referencedSecurityGroupId: nodeSg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: "Control plane to kubelet and webhooks",
      },
      opts,
    );
  }
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-nodes-egress`,
    {
      securityGroupId: nodeSg.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "Node egress (NAT or VPC endpoints)",
    },
    opts,
  );
  return { cluster: clusterSg, nodes: nodeSg };
}

/** 443 of the control plane: from the nodes, the admin networks and the admin security groups. */
function createControlPlaneIngress(scope: ClusterScope, clusterSg: aws.ec2.SecurityGroup, nodeSg: aws.ec2.SecurityGroup): void {
  const { name, parent, settings } = scope;
  const opts = { parent };
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-cluster-from-nodes-443`,
    {
      securityGroupId: clusterSg.id,
      referencedSecurityGroupId: nodeSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "Kubernetes API from the nodes",
    },
    opts,
  );
  settings.adminCidrs.forEach((cidr, i) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-cluster-from-admin-cidr-${i}`,
      {
        securityGroupId: clusterSg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        description: "Kubernetes API from an admin network",
      },
      opts,
    );
  });
  settings.adminSecurityGroupIds.forEach((sg, i) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-cluster-from-admin-sg-${i}`,
      {
        securityGroupId: clusterSg.id,
        referencedSecurityGroupId: sg,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "Kubernetes API from an admin security group",
      },
      opts,
    );
  });
}
