import type { AddonVersions, BottlerocketAmiType, EgressMode, KubernetesVersion } from "../../config/cluster";
import { DEFAULT_VPC_CIDR, NODE_GROUP_DEFAULTS } from "../../config/cluster";
import type { TenantTier } from "../../config/tenants";

/** The component's Pulumi type token. */
export const HARDENED_CLUSTER_TYPE = "bulwark:eks:HardenedCluster";

/** The secure defaults the config-to-props adapter (`lib/from-config.ts`) applies, in one place. */
export const HARDENED_CLUSTER_DEFAULTS = {
  vpcCidr: DEFAULT_VPC_CIDR,
  egress: "nat" as EgressMode,
  kmsDeletionWindowInDays: 30,
  logRetentionInDays: 365,
  upgradePolicy: "STANDARD" as const,
  nodeGroup: NODE_GROUP_DEFAULTS,
  availabilityZones: 3,
} as const;

/** The five control-plane log types; all are always on. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Namespace-scoped API access for one tenant tier's IAM principals. */
export interface TenantAccessArgs {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** The RBAC tier; selects the EKS access policy associated in the namespace. */
  readonly tier: TenantTier;
  /** IAM role or user ARNs. */
  readonly principalArns: readonly string[];
  /** The Kubernetes group the access entry puts them in; the tenant's RoleBinding binds it. */
  readonly kubernetesGroup: string;
}

/** The company IdP the API server accepts OIDC tokens from (humans sign in there, with MFA). */
export interface HardenedClusterIdentityProviderArgs {
  /** The IdP's https issuer URL. */
  readonly issuerUrl: string;
  /** The OIDC client id tokens are issued for. */
  readonly clientId: string;
  readonly usernameClaim: string;
  readonly groupsClaim: string;
  readonly usernamePrefix: string;
  readonly groupsPrefix: string;
}

/** One managed node group (Bottlerocket, launch template with IMDSv2 and encrypted volumes). */
export interface ResolvedNodeGroup {
  /** Node group name (DNS-1123 label); the EKS name is this plus a random suffix. */
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly amiType: BottlerocketAmiType;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Size of the Bottlerocket data volume (container images, ephemeral storage), GiB. */
  readonly diskSizeGiB: number;
  /** Kubernetes node labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Where the nodes and control-plane ENIs live: an existing VPC, used as given, or one Bulwark creates. */
export type HardenedClusterNetworkArgs =
  | { readonly kind: "existing"; readonly vpcId: string; readonly privateSubnetIds: readonly string[] }
  | { readonly kind: "created"; readonly vpcCidr: string; readonly egress: EgressMode };

/**
 * Arguments of {@link HardenedEksCluster}: settings already validated by `config/`'s schemas (the only
 * validator) and resolved with their defaults by `hardenedClusterArgsFromConfig` (`lib/from-config.ts`).
 * The component builds from them as given and checks nothing again.
 */
export interface HardenedEksClusterArgs {
  /** The EKS cluster name (also used in log group, key alias and IAM names). */
  readonly clusterName: string;
  /** Kubernetes minor version. */
  readonly kubernetesVersion: KubernetesVersion;
  /** AWS region of the stack: kubeconfig `--region` and VPC endpoint service names. */
  readonly region: string;
  readonly network: HardenedClusterNetworkArgs;
  /** Networks allowed to reach the public endpoint; empty: the endpoint is private only. */
  readonly publicAccessCidrs: readonly string[];
  /** Networks admitted to port 443 of the private endpoint by the cluster security group. */
  readonly adminCidrs: readonly string[];
  /** Security groups admitted to port 443 of the private endpoint. */
  readonly adminSecurityGroupIds: readonly string[];
  /** IAM principals given cluster-admin access entries (AmazonEKSClusterAdminPolicy, cluster scope). */
  readonly adminPrincipals: readonly string[];
  readonly tenantAccess: readonly TenantAccessArgs[];
  /** The company IdP. @default no OIDC identity provider config */
  readonly identityProvider?: HardenedClusterIdentityProviderArgs;
  /** Days a scheduled KMS key deletion waits. */
  readonly kmsDeletionWindowInDays: number;
  /** IAM principals that administer (not use) the keys, besides the account root. */
  readonly kmsKeyAdministrators: readonly string[];
  /** Retention of the control-plane and flow log groups, days. */
  readonly logRetentionInDays: number;
  readonly upgradePolicy: "STANDARD" | "EXTENDED";
  readonly nodeGroups: readonly ResolvedNodeGroup[];
  /**
   * The managed add-ons' versions; an add-on absent here is created without `addonVersion`, so EKS installs its
   * default version for the cluster's Kubernetes version at create.
   */
  readonly addonVersions: AddonVersions;
  /** GuardDuty EKS audit-log and runtime monitoring; without `detectorId` a detector is created. */
  readonly guardDuty: { readonly enabled: boolean; readonly detectorId?: string };
  /** ECR repositories to create (scan on push, IMMUTABLE tags, KMS). */
  readonly ecrRepositories: readonly string[];
  /** `protect` and `retainOnDelete` for the cluster, KMS keys and audit log group. */
  readonly protect: boolean;
  /** Tags added to every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
}
