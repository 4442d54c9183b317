import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEcrRepositories, createGuardDuty } from "../account";
import { createAddons } from "../addons";
import { createClusterKeys } from "../kms";
import { createNetwork, createSecurityGroups, createVpcEndpoints } from "../network";
import { createNodeGroups, createNodeRole } from "../nodes";
import type { ClusterScope } from "../scope";
import { createAccessEntries } from "./access";
import type { HardenedEksClusterArgs } from "./args";
import { HARDENED_CLUSTER_TYPE } from "./args";
import { createControlPlane } from "./control-plane";
import { eksKubeconfig } from "./kubeconfig";

/**
 * A hardened EKS cluster from `@pulumi/aws` primitives: private endpoint, firewalled control plane, one KMS key
 * per purpose, all control-plane logs in a protected log group, API-only access entries, Bottlerocket nodes
 * with IMDSv2 (hop limit 1) and encrypted volumes, pinned add-ons with NetworkPolicy enforcement.
 * Composition only: each concern is one module (`lib/kms`, `lib/network`, `lib/nodes`, `lib/addons`,
 * `lib/account`, `./control-plane`, `./access`) whose resources are parented on this component.
 * See docs/cluster.md for every control and its arguments.
 */
export class HardenedEksCluster extends pulumi.ComponentResource {
  /** The settings the component was built from. */
  readonly settings: HardenedEksClusterArgs;
  readonly cluster: aws.eks.Cluster;
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  /** Base64 certificate authority data. */
  readonly certificateAuthority: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The security group Bulwark manages on the control-plane ENIs (443 from nodes and admins only). */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The security group EKS creates itself (admits only its own members; Bulwark's nodes are not in it). */
  readonly eksManagedSecurityGroupId: pulumi.Output<string>;
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly auditLogGroupName: pulumi.Output<string>;
  readonly keyArns: Readonly<Record<"secrets" | "logs" | "ebs", pulumi.Output<string>>>;
  /** A kubeconfig (secret) that authenticates with `aws eks get-token`; it holds no credential itself. */
  readonly kubeconfig: pulumi.Output<string>;

  /** @param args validated, resolved settings: `hardenedClusterArgsFromConfig(config)` (`lib/from-config.ts`). */
  constructor(name: string, args: HardenedEksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(HARDENED_CLUSTER_TYPE, name, {}, opts);
    const settings = args;
    this.settings = settings;
    // Destroy protection of what cannot be recreated: the cluster, the keys and the audit trail.
    const guarded = { parent: this, protect: settings.protect, retainOnDelete: settings.protect };
    const scope: ClusterScope = { name, parent: this, settings, tags: settings.tags, guarded };

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const account = pulumi.all([partition, identity.accountId]).apply(([p, a]) => ({ partition: p, accountId: a, region: settings.region }));

    const keys = createClusterKeys(scope, account);
    const network = createNetwork(scope, keys.logs.arn, identity.accountId);
    const securityGroups = createSecurityGroups(scope, network.vpcId);
    createVpcEndpoints(scope, network, securityGroups.nodes.id);
    const { cluster, auditLogGroup, oidcProvider, issuer } = createControlPlane(scope, {
      keys,
      partition,
      privateSubnetIds: network.privateSubnetIds,
      clusterSecurityGroupId: securityGroups.cluster.id,
    });
    const clusterName = cluster.name;
    createAccessEntries(scope, clusterName, partition);

    const nodeRole = createNodeRole(scope, partition);
    const addons = createAddons(scope, {
      clusterName,
      partition,
      oidcProviderArn: oidcProvider.arn,
      oidcIssuer: issuer,
      ebsKeyArn: keys.ebs.arn,
      policyEventLogGroupArn: auditLogGroup.arn,
    });
    const nodeGroups = createNodeGroups(scope, {
      clusterName,
      nodeRole,
      nodeSecurityGroupId: securityGroups.nodes.id,
      privateSubnetIds: network.privateSubnetIds,
      ebsKeyArn: keys.ebs.arn,
      dependsOn: addons.beforeNodes,
    });
    addons.afterNodes(nodeGroups);
    createGuardDuty(scope);
    createEcrRepositories(scope, account);

    this.cluster = cluster;
    this.clusterName = clusterName;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data ?? "");
    this.oidcIssuer = issuer;
    this.oidcProviderArn = oidcProvider.arn;
    this.clusterSecurityGroupId = securityGroups.cluster.id;
    this.eksManagedSecurityGroupId = cluster.vpcConfig.apply((vpc) => vpc.clusterSecurityGroupId);
    this.nodeSecurityGroupId = securityGroups.nodes.id;
    this.nodeRoleArn = nodeRole.role.arn;
    this.vpcId = network.vpcId;
    this.privateSubnetIds = pulumi.all(network.privateSubnetIds);
    this.auditLogGroupName = auditLogGroup.name;
    this.keyArns = { secrets: keys.secrets.arn, logs: keys.logs.arn, ebs: keys.ebs.arn };
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([clusterName, cluster.endpoint, this.certificateAuthority])
        .apply(([n, endpoint, ca]) => JSON.stringify(eksKubeconfig({ clusterName: n, endpoint, certificateAuthorityData: ca, region: settings.region }))),
    );
    this.registerOutputs(this.outputs());
  }

  /** The component's outputs, as registered. */
  private outputs(): pulumi.Inputs {
    return {
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      certificateAuthority: this.certificateAuthority,
      oidcIssuer: this.oidcIssuer,
      oidcProviderArn: this.oidcProviderArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      eksManagedSecurityGroupId: this.eksManagedSecurityGroupId,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      nodeRoleArn: this.nodeRoleArn,
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      auditLogGroupName: this.auditLogGroupName,
      keyArns: this.keyArns,
      kubeconfig: this.kubeconfig,
    };
  }
}
