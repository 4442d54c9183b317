import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADDON_NAMES } from "../../config/cluster";
import type { AddonKey } from "../../config/cluster";
import type { TenantTier } from "../../config/tenants";
import type { HardenedEksClusterArgs, ResolvedHardenedClusterSettings } from "./args";
import { CONTROL_PLANE_LOG_TYPES, HARDENED_CLUSTER_TYPE, resolveHardenedClusterSettings } from "./args";
import { eksKubeconfig } from "./kubeconfig";
import type { ChildScope } from "./network";
import { createNetwork, createVpcEndpoints } from "./network";
import type { KeyPurpose } from "./policies";
import {
  accessPolicyArn,
  ebsCsiKeyUsePolicy,
  irsaTrustPolicy,
  keyPolicy,
  managedPolicyArn,
  secretsKeyUsePolicy,
  serviceTrustPolicy,
} from "./policies";

/**
 * EKS access policy associated, namespace-scoped, with each tenant tier's IAM principals. Always the
 * read-only View policy: EKS access policies add to RBAC, and AmazonEKSEditPolicy / AmazonEKSAdminPolicy
 * would grant more than the tenant Roles (exec for edit, Secrets and RBAC writes). What a tier may
 * change comes only from the baseline's Roles, bound to the tier's Kubernetes group.
 */
export const TENANT_TIER_ACCESS_POLICIES: Readonly<Record<TenantTier, string>> = {
  admin: "AmazonEKSViewPolicy",
  edit: "AmazonEKSViewPolicy",
  view: "AmazonEKSViewPolicy",
};

/** EKS access policy of the cluster administrators (cluster scope). */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/** The only AWS managed policies the node role gets: join the cluster and pull images. No CNI, no SSM. */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

/** Ports the control plane opens on nodes: kubelet, and the usual admission-webhook ports. */
export const CONTROL_PLANE_TO_NODE_PORTS = [443, 4443, 6443, 8443, 9443, 10250] as const;

/** Add-ons that must run before nodes join (networking, kube-proxy, Pod Identity); the rest need nodes. */
const ADDONS_BEFORE_NODES: readonly AddonKey[] = ["vpcCni", "kubeProxy", "podIdentityAgent"];
const ADDONS_AFTER_NODES: readonly AddonKey[] = ["coredns", "ebsCsiDriver"];

/** Service accounts of the add-ons that call AWS APIs through IRSA. */
export const ADDON_SERVICE_ACCOUNTS = {
  vpcCni: { namespace: "kube-system", serviceAccount: "aws-node", policy: "AmazonEKS_CNI_Policy" },
  ebsCsiDriver: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", policy: "service-role/AmazonEBSCSIDriverPolicy" },
} as const;

/** Bottlerocket's OS volume (read-only root, small) and data volume (images, ephemeral storage). */
const BOTTLEROCKET_OS_VOLUME = { deviceName: "/dev/xvda", sizeGiB: 4 } as const;
const BOTTLEROCKET_DATA_VOLUME = "/dev/xvdb";

/**
 * A hardened EKS cluster from `@pulumi/aws` primitives: private endpoint, firewalled control plane, one KMS key
 * per purpose, all control-plane logs in a protected log group, API-only access entries, Bottlerocket nodes
 * with IMDSv2 (hop limit 1) and encrypted volumes, pinned add-ons with NetworkPolicy enforcement.
 * See docs/cluster.md for every control and its arguments.
 */
export class HardenedEksCluster extends pulumi.ComponentResource {
  /** The settings the component was built from (arguments with defaults applied). */
  readonly settings: ResolvedHardenedClusterSettings;
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

  constructor(name: string, args: HardenedEksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate before anything is registered: a bad argument registers nothing.
    const settings = resolveHardenedClusterSettings(name, args);
    super(HARDENED_CLUSTER_TYPE, name, {}, opts);
    this.settings = settings;
    const tags = settings.tags;
    const scope: ChildScope = { name, parent: this, tags };
    const childOpts = { parent: this };
    // Destroy protection of what cannot be recreated: the cluster, the keys and the audit trail.
    const guarded = { parent: this, protect: settings.protect, retainOnDelete: settings.protect };

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = identity.accountId;
    const account = pulumi.all([partition, accountId]).apply(([p, a]) => ({ partition: p, accountId: a, region: settings.region }));

    // KMS: one customer-managed key per purpose, rotated yearly, long deletion window.
    const key = (purpose: KeyPurpose, description: string) => {
      const k = new aws.kms.Key(`${name}-${purpose}`, {
        description: `${settings.clusterName}: ${description}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: settings.kmsDeletionWindowInDays,
        bypassPolicyLockoutSafetyCheck: false,
        policy: account.apply((ctx) => JSON.stringify(keyPolicy(purpose, ctx, settings.kmsKeyAdministrators))),
        tags,
      }, guarded);
      new aws.kms.Alias(`${name}-${purpose}`, { name: `alias/${settings.clusterName}-${purpose}`, targetKeyId: k.keyId }, childOpts);
      return k;
    };
    const secretsKey = key("secrets", "envelope encryption of Kubernetes Secrets");
    const logsKey = key("logs", "control-plane and VPC flow log groups");
    const ebsKey = key("ebs", "node and persistent volumes");

    // The audit log group exists before the cluster, so EKS writes into ours (encrypted, retained).
    const auditLogGroup = new aws.cloudwatch.LogGroup(`${name}-cluster-logs`, {
      name: `/aws/eks/${settings.clusterName}/cluster`,
      kmsKeyId: logsKey.arn,
      retentionInDays: settings.logRetentionInDays,
      tags,
    }, guarded);

    const network = createNetwork(scope, settings, logsKey.arn, accountId);

    // Firewall: the control plane admits 443 from the nodes and configured admin networks only.
    const clusterSg = new aws.ec2.SecurityGroup(`${name}-cluster`, {
      vpcId: network.vpcId,
      description: `EKS control plane of ${settings.clusterName}: 443 from nodes and admin networks only`,
      revokeRulesOnDelete: true,
      tags: { ...tags, Name: `${settings.clusterName}-cluster` },
    }, childOpts);
    const nodeSg = new aws.ec2.SecurityGroup(`${name}-nodes`, {
      vpcId: network.vpcId,
      description: `EKS nodes of ${settings.clusterName}: from each other and the control plane only`,
      revokeRulesOnDelete: true,
      tags: { ...tags, Name: `${settings.clusterName}-nodes`, [`kubernetes.io/cluster/${settings.clusterName}`]: "owned" },
    }, childOpts);
    new aws.vpc.SecurityGroupIngressRule(`${name}-cluster-from-nodes-443`, {
      securityGroupId: clusterSg.id, referencedSecurityGroupId: nodeSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443,
      description: "Kubernetes API from the nodes",
    }, childOpts);
    settings.adminCidrs.forEach((cidr, i) => {
      new aws.vpc.SecurityGroupIngressRule(`${name}-cluster-from-admin-cidr-${i}`, {
        securityGroupId: clusterSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443,
        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        description: "Kubernetes API from an admin network",
      }, childOpts);
    });
    settings.adminSecurityGroupIds.forEach((sg, i) => {
      new aws.vpc.SecurityGroupIngressRule(`${name}-cluster-from-admin-sg-${i}`, {
        securityGroupId: clusterSg.id, referencedSecurityGroupId: sg, ipProtocol: "tcp", fromPort: 443, toPort: 443,
        description: "Kubernetes API from an admin security group",
      }, childOpts);
    });
    new aws.vpc.SecurityGroupIngressRule(`${name}-nodes-from-nodes`, {
      securityGroupId: nodeSg.id, referencedSecurityGroupId: nodeSg.id, ipProtocol: "-1",
      description: "Node to node (pod networking, DNS)",
    }, childOpts);
    for (const port of CONTROL_PLANE_TO_NODE_PORTS) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-nodes-from-cluster-${port}`, {
        securityGroupId: nodeSg.id, referencedSecurityGroupId: clusterSg.id, ipProtocol: "tcp", fromPort: port, toPort: port,
        description: port === 10250 ? "kubelet from the control plane" : "admission webhooks from the control plane",
      }, childOpts);
      new aws.vpc.SecurityGroupEgressRule(`${name}-cluster-to-nodes-${port}`, {
        securityGroupId: clusterSg.id, referencedSecurityGroupId: nodeSg.id, ipProtocol: "tcp", fromPort: port, toPort: port,
        description: "Control plane to kubelet and webhooks",
      }, childOpts);
    }
    // Node egress stays open (images, AWS APIs, tenant egress); the NetworkPolicies of the baseline narrow pods.
    new aws.vpc.SecurityGroupEgressRule(`${name}-nodes-egress`, {
      securityGroupId: nodeSg.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Node egress (NAT or VPC endpoints)",
    }, childOpts);
    createVpcEndpoints(scope, settings, network, nodeSg.id);

    // Cluster role: the EKS service, plus use of the Secrets key for envelope encryption.
    const clusterRole = new aws.iam.Role(`${name}-cluster`, {
      description: `EKS control plane of ${settings.clusterName}`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
      tags,
    }, childOpts);
    const clusterRoleDeps = [
      new aws.iam.RolePolicyAttachment(`${name}-cluster-policy`, {
        role: clusterRole.name, policyArn: partition.apply((p) => managedPolicyArn(p, "AmazonEKSClusterPolicy")),
      }, childOpts),
      new aws.iam.RolePolicy(`${name}-cluster-secrets-key`, {
        role: clusterRole.id, policy: secretsKey.arn.apply((arn) => JSON.stringify(secretsKeyUsePolicy(arn))),
      }, childOpts),
    ];

    const publicAccess = settings.publicAccessCidrs.length > 0;
    this.cluster = new aws.eks.Cluster(`${name}-cluster`, {
      name: settings.clusterName,
      version: settings.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: network.privateSubnetIds,
        securityGroupIds: [clusterSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: [...settings.publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // The managed add-ons below are the only ones: no unpinned self-managed defaults.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: settings.upgradePolicy },
      deletionProtection: settings.protect,
      tags,
    }, { ...guarded, dependsOn: [auditLogGroup, ...clusterRoleDeps] });
    const cluster = this.cluster;
    const clusterName = cluster.name;
    const issuer = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");

    // IRSA: the IAM OIDC provider trusts this cluster's service-account tokens for STS.
    const oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      tags,
    }, childOpts);

    if (settings.identityProvider) {
      const idp = settings.identityProvider;
      new aws.eks.IdentityProviderConfig(`${name}-idp`, {
        clusterName,
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
      }, childOpts);
    }

    this.createAccessEntries(name, settings, clusterName, partition);

    // Nodes: a role that can join and pull images, nothing more.
    const nodeRole = new aws.iam.Role(`${name}-nodes`, {
      description: `EKS nodes of ${settings.clusterName}`,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
      tags,
    }, childOpts);
    const nodeRoleDeps = NODE_ROLE_POLICIES.map((policy) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, {
      role: nodeRole.name, policyArn: partition.apply((p) => managedPolicyArn(p, policy)),
    }, childOpts));

    // IRSA roles for the add-ons that call AWS (the CNI policy lives here, not on the node role).
    const irsaRole = (addon: keyof typeof ADDON_SERVICE_ACCOUNTS) => {
      const sa = ADDON_SERVICE_ACCOUNTS[addon];
      const role = new aws.iam.Role(`${name}-${ADDON_NAMES[addon]}`, {
        description: `${ADDON_NAMES[addon]} (${sa.namespace}/${sa.serviceAccount}) of ${settings.clusterName}`,
        assumeRolePolicy: pulumi.all([oidcProvider.arn, issuer]).apply(([arn, url]) =>
          JSON.stringify(irsaTrustPolicy(arn, url, sa.namespace, sa.serviceAccount)),
        ),
        tags,
      }, childOpts);
      new aws.iam.RolePolicyAttachment(`${name}-${ADDON_NAMES[addon]}`, {
        role: role.name, policyArn: partition.apply((p) => managedPolicyArn(p, sa.policy)),
      }, childOpts);
      return role;
    };
    const cniRole = irsaRole("vpcCni");
    const ebsCsiRole = irsaRole("ebsCsiDriver");
    new aws.iam.RolePolicy(`${name}-aws-ebs-csi-driver-key`, {
      role: ebsCsiRole.id, policy: ebsKey.arn.apply((arn) => JSON.stringify(ebsCsiKeyUsePolicy(arn))),
    }, childOpts);

    const addon = (key: AddonKey, extra: Partial<aws.eks.AddonArgs>, dependsOn: pulumi.Resource[]) =>
      new aws.eks.Addon(`${name}-${ADDON_NAMES[key]}`, {
        clusterName,
        addonName: ADDON_NAMES[key],
        addonVersion: settings.addonVersions[key],
        // Our pinned configuration wins over anything changed in the cluster.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
        ...extra,
      }, { parent: this, dependsOn });
    const addonExtras: Record<AddonKey, Partial<aws.eks.AddonArgs>> = {
      // NetworkPolicies do nothing without an enforcing CNI.
      vpcCni: { serviceAccountRoleArn: cniRole.arn, configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) },
      kubeProxy: {},
      podIdentityAgent: {},
      coredns: {},
      ebsCsiDriver: { serviceAccountRoleArn: ebsCsiRole.arn },
    };
    const beforeNodes = ADDONS_BEFORE_NODES.map((k) => addon(k, addonExtras[k], []));

    const nodeGroups = settings.nodeGroups.map((group) => {
      const volume = (deviceName: string, volumeSize: number) => ({
        deviceName,
        ebs: { volumeSize, volumeType: "gp3", encrypted: "true", kmsKeyId: ebsKey.arn, deleteOnTermination: "true" },
      });
      const template = new aws.ec2.LaunchTemplate(`${name}-${group.name}`, {
        description: `Node group ${group.name} of ${settings.clusterName}`,
        // IMDSv2 only, and one hop: pods cannot reach the node's credentials.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [volume(BOTTLEROCKET_OS_VOLUME.deviceName, BOTTLEROCKET_OS_VOLUME.sizeGiB), volume(BOTTLEROCKET_DATA_VOLUME, group.diskSizeGiB)],
        vpcSecurityGroupIds: [nodeSg.id],
        updateDefaultVersion: true,
        tagSpecifications: [{ resourceType: "instance", tags: { ...tags, Name: `${settings.clusterName}-${group.name}` } }],
        tags,
      }, childOpts);
      return new aws.eks.NodeGroup(`${name}-${group.name}`, {
        clusterName,
        nodeGroupNamePrefix: `${group.name}-`,
        nodeRoleArn: nodeRole.arn,
        subnetIds: network.privateSubnetIds,
        amiType: group.amiType,
        capacityType: group.capacityType,
        instanceTypes: [...group.instanceTypes],
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        updateConfig: { maxUnavailablePercentage: 33 },
        launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
        version: settings.kubernetesVersion,
        labels: { ...group.labels },
        tags,
      }, { parent: this, dependsOn: [...nodeRoleDeps, ...beforeNodes], ignoreChanges: ["scalingConfig.desiredSize"] });
    });
    ADDONS_AFTER_NODES.forEach((k) => addon(k, addonExtras[k], nodeGroups));

    if (settings.guardDuty.enabled) {
      const detectorId = settings.guardDuty.detectorId ?? new aws.guardduty.Detector(`${name}-guardduty`, { enable: true, tags }, childOpts).id;
      new aws.guardduty.DetectorFeature(`${name}-guardduty-eks-audit-logs`, { detectorId, name: "EKS_AUDIT_LOGS", status: "ENABLED" }, childOpts);
      new aws.guardduty.DetectorFeature(`${name}-guardduty-runtime`, {
        detectorId,
        name: "RUNTIME_MONITORING",
        status: "ENABLED",
        additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
      }, childOpts);
    }

    if (settings.ecrRepositories.length > 0) {
      const ecrKey = key("ecr", "container images in ECR");
      for (const repository of settings.ecrRepositories) {
        new aws.ecr.Repository(`${name}-ecr-${repository.replace(/[^a-z0-9-]/g, "-")}`, {
          name: repository,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: ecrKey.arn }],
          forceDelete: false,
          tags,
        }, childOpts);
      }
    }

    this.clusterName = clusterName;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data ?? "");
    this.oidcIssuer = issuer;
    this.oidcProviderArn = oidcProvider.arn;
    this.clusterSecurityGroupId = clusterSg.id;
    this.eksManagedSecurityGroupId = cluster.vpcConfig.apply((vpc) => vpc.clusterSecurityGroupId);
    this.nodeSecurityGroupId = nodeSg.id;
    this.nodeRoleArn = nodeRole.arn;
    this.vpcId = network.vpcId;
    this.privateSubnetIds = pulumi.all(network.privateSubnetIds);
    this.auditLogGroupName = auditLogGroup.name;
    this.keyArns = { secrets: secretsKey.arn, logs: logsKey.arn, ebs: ebsKey.arn };
    this.kubeconfig = pulumi.secret(
      pulumi.all([clusterName, cluster.endpoint, this.certificateAuthority]).apply(([n, endpoint, ca]) =>
        JSON.stringify(eksKubeconfig({ clusterName: n, endpoint, certificateAuthorityData: ca, region: settings.region })),
      ),
    );
    this.registerOutputs({
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
    });
  }

  /**
   * Access entries: one per IAM principal (EKS allows one), carrying the Kubernetes groups of every tenant tier
   * it is in, and one policy association per access policy, cluster-scoped for admins and scoped to the
   * tenants' namespaces otherwise.
   */
  private createAccessEntries(name: string, settings: ResolvedHardenedClusterSettings, clusterName: pulumi.Output<string>, partition: pulumi.Output<string>) {
    const grants = planAccess(settings);
    for (const grant of grants) {
      const slug = principalSlug(grant.principalArn);
      const entry = new aws.eks.AccessEntry(`${name}-access-${slug}`, {
        clusterName,
        principalArn: grant.principalArn,
        type: "STANDARD",
        ...(grant.kubernetesGroups.length > 0 ? { kubernetesGroups: [...grant.kubernetesGroups] } : {}),
        tags: settings.tags,
      }, { parent: this });
      for (const association of grant.policies) {
        new aws.eks.AccessPolicyAssociation(`${name}-access-${slug}-${association.policy}`, {
          clusterName,
          principalArn: entry.principalArn,
          policyArn: partition.apply((p) => accessPolicyArn(p, association.policy)),
          accessScope: association.namespaces === "cluster"
            ? { type: "cluster" }
            : { type: "namespace", namespaces: [...association.namespaces] },
        }, { parent: this });
      }
    }
  }
}

/** What one IAM principal is granted in the cluster. */
export interface PrincipalGrant {
  readonly principalArn: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly { readonly policy: string; readonly namespaces: "cluster" | readonly string[] }[];
}

/** Merges admin and tenant access per principal, deterministically sorted. */
export function planAccess(settings: Pick<ResolvedHardenedClusterSettings, "adminPrincipals" | "tenantAccess">): PrincipalGrant[] {
  const byPrincipal = new Map<string, { groups: Set<string>; policies: Map<string, Set<string> | "cluster"> }>();
  const grantOf = (arn: string) => {
    let grant = byPrincipal.get(arn);
    if (!grant) byPrincipal.set(arn, (grant = { groups: new Set(), policies: new Map() }));
    return grant;
  };
  for (const arn of settings.adminPrincipals) grantOf(arn).policies.set(CLUSTER_ADMIN_ACCESS_POLICY, "cluster");
  for (const access of settings.tenantAccess) {
    const policy = TENANT_TIER_ACCESS_POLICIES[access.tier];
    for (const arn of access.principalArns) {
      const grant = grantOf(arn);
      grant.groups.add(access.kubernetesGroup);
      const namespaces = grant.policies.get(policy) ?? new Set<string>();
      if (namespaces !== "cluster") grant.policies.set(policy, namespaces.add(access.namespace));
    }
  }
  return [...byPrincipal.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principalArn, grant]) => ({
      principalArn,
      kubernetesGroups: [...grant.groups].sort(),
      policies: [...grant.policies.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([policy, namespaces]) => ({ policy, namespaces: namespaces === "cluster" ? "cluster" as const : [...namespaces].sort() })),
    }));
}

/** A readable, unique resource-name part for an IAM principal: its last path segment and a short hash. */
function principalSlug(arn: string): string {
  const last = arn.split("/").pop() ?? arn;
  const readable = last.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 40);
  return `${readable}-${createHash("sha256").update(arn).digest("hex").slice(0, 8)}`;
}
