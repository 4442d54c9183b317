import type { AddonKey, AddonVersions, BottlerocketAmiType, EgressMode } from "../../config/cluster";
import {
  ADDON_NAMES,
  ADDON_VERSION,
  BOTTLEROCKET_AMI_TYPES,
  EGRESS_MODES,
  IAM_PRINCIPAL_ARN,
  IDENTITY_PROVIDER_DEFAULTS,
  LOG_RETENTION_DAYS,
  NODE_GROUP_DEFAULTS,
  PINNED_ADDON_VERSIONS,
  SUPPORTED_KUBERNETES_VERSIONS,
  addonPinProblem,
  cidrListCoverageProblem,
  nodeGroupScalingProblem,
  worldOpenCidrProblem,
} from "../../config/cluster";
import { dns1123Label, parseCidr } from "../../config/fields";
import type { BulwarkConfig } from "../../config/model";
import type { TenantTier } from "../../config/tenants";
import { TENANT_TIERS, tenantTierGroup } from "../../config/tenants";

/** The component's Pulumi type token. */
export const HARDENED_CLUSTER_TYPE = "bulwark:eks:HardenedCluster";

/** Where the nodes and control-plane ENIs live. */
export interface HardenedClusterNetworkArgs {
  /**
   * An existing VPC. With {@link privateSubnetIds}; the VPC's owner is responsible for its egress and flow logs.
   * @default a VPC is created across 3 AZs
   */
  readonly vpcId?: string;
  /**
   * Private subnets of the existing VPC, in two AZs or more: nodes and control-plane ENIs only go here.
   * @default the three private subnets of the created VPC
   */
  readonly privateSubnetIds?: readonly string[];
  /**
   * CIDR of the created VPC (IPv4, /16 to /20): the first three quarters become private subnets, the last
   * quarter holds the small public subnets for NAT gateways.
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Egress of the created VPC: `nat` (one NAT gateway per AZ, for workloads that call the internet) or
   * `vpcEndpointsOnly` (no internet gateway, no route to the internet). VPC endpoints for the AWS APIs
   * nodes use are created in both modes, so that traffic never leaves the VPC.
   * @default "nat"
   */
  readonly egress?: EgressMode;
}

/** Who may reach the Kubernetes API endpoint. */
export interface HardenedClusterEndpointArgs {
  /**
   * Networks allowed to reach the public endpoint. Empty: the endpoint is private only. `0.0.0.0/0`, `::/0`,
   * and ranges broader than /8 (IPv4) or /32 (IPv6) are rejected.
   * @default [] (no public endpoint)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Networks (VPN, bastion subnets) admitted to port 443 of the private endpoint by the cluster security group.
   * @default [] (only the nodes)
   */
  readonly adminCidrs?: readonly string[];
  /**
   * Security groups admitted to port 443 of the private endpoint.
   * @default [] (only the nodes)
   */
  readonly adminSecurityGroupIds?: readonly string[];
}

/** Namespace-scoped API access for one tenant tier's IAM principals. */
export interface TenantAccessArgs {
  /** The tenant's namespace. */
  readonly namespace: string;
  /** The RBAC tier; selects the EKS access policy (admin/edit/view) associated in the namespace. */
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
  /** @default "email" */
  readonly usernameClaim?: string;
  /** @default "groups" */
  readonly groupsClaim?: string;
  /** @default "oidc:" */
  readonly usernamePrefix?: string;
  /** @default "oidc:" */
  readonly groupsPrefix?: string;
}

/** One managed node group (Bottlerocket, launch template with IMDSv2 and encrypted volumes). */
export interface HardenedNodeGroupArgs {
  /** Node group name (DNS-1123 label); the EKS name is this plus a random suffix. */
  readonly name: string;
  /** @default ["m7i.large"] */
  readonly instanceTypes?: readonly string[];
  /** @default "BOTTLEROCKET_x86_64" */
  readonly amiType?: BottlerocketAmiType;
  /** @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  /** @default 3 (one node per AZ) */
  readonly minSize?: number;
  /** @default minSize */
  readonly desiredSize?: number;
  /** @default the larger of 6 and minSize */
  readonly maxSize?: number;
  /** Size of the Bottlerocket data volume (container images, ephemeral storage), GiB. @default 50 */
  readonly diskSizeGiB?: number;
  /** Kubernetes node labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** GuardDuty EKS audit-log and runtime monitoring (GuardDuty manages its runtime agent add-on). */
export interface HardenedClusterGuardDutyArgs {
  /** Turn the EKS protection features on. */
  readonly enabled: boolean;
  /**
   * The region's existing GuardDuty detector (there is at most one per account and region).
   * @default a detector is created
   */
  readonly detectorId?: string;
}

/** Arguments of {@link HardenedEksCluster}. Every optional field has a secure default. */
export interface HardenedEksClusterArgs {
  /** The EKS cluster name (also used in log group, key alias and IAM names). */
  readonly clusterName: string;
  /** Kubernetes minor version, one of {@link SUPPORTED_KUBERNETES_VERSIONS}. */
  readonly kubernetesVersion: string;
  /** AWS region of the stack: kubeconfig `--region` and VPC endpoint service names. */
  readonly region: string;
  /** @default a created 3-AZ VPC with NAT egress */
  readonly network?: HardenedClusterNetworkArgs;
  /** @default private endpoint only, reachable from the nodes only */
  readonly endpoint?: HardenedClusterEndpointArgs;
  /**
   * IAM principals given cluster-admin access entries (AmazonEKSClusterAdminPolicy, cluster scope).
   * @default [] (nobody has Kubernetes access until an access entry is added)
   */
  readonly adminPrincipals?: readonly string[];
  /** @default [] */
  readonly tenantAccess?: readonly TenantAccessArgs[];
  /** @default no OIDC identity provider config */
  readonly identityProvider?: HardenedClusterIdentityProviderArgs;
  /**
   * Days a scheduled KMS key deletion waits (7-30).
   * @default 30
   */
  readonly kmsDeletionWindowInDays?: number;
  /**
   * IAM principals that administer (not use) the keys, besides the account root.
   * @default []
   */
  readonly kmsKeyAdministrators?: readonly string[];
  /**
   * Retention of the control-plane and flow log groups, days (a CloudWatch value of 90 or more).
   * @default 365
   */
  readonly logRetentionInDays?: number;
  /** @default "STANDARD" (no paid extended support: an old version is upgraded, not kept) */
  readonly upgradePolicy?: "STANDARD" | "EXTENDED";
  /** @default one group "system": 3 x m7i.large, Bottlerocket, 50 GiB */
  readonly nodeGroups?: readonly HardenedNodeGroupArgs[];
  /** @default the maintained pins for the Kubernetes version ({@link PINNED_ADDON_VERSIONS}) */
  readonly addonVersions?: Partial<AddonVersions>;
  /** @default GuardDuty monitoring off */
  readonly guardDuty?: HardenedClusterGuardDutyArgs;
  /** ECR repositories to create (scan on push, IMMUTABLE tags, KMS). @default [] */
  readonly ecrRepositories?: readonly string[];
  /**
   * Turns off destroy protection (`protect`, `retainOnDelete`, EKS deletion protection) of the cluster, its
   * KMS keys and the audit log group. Accepting it means a destroy deletes the audit trail and schedules the
   * keys (and everything they encrypt) for deletion.
   * @default false
   */
  readonly acceptDataLossOnDestroy?: boolean;
  /** Tags added to every taggable resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The secure defaults, in one place. */
export const HARDENED_CLUSTER_DEFAULTS = {
  vpcCidr: "10.0.0.0/16",
  egress: "nat" as EgressMode,
  kmsDeletionWindowInDays: 30,
  logRetentionInDays: 365,
  upgradePolicy: "STANDARD" as const,
  nodeGroup: NODE_GROUP_DEFAULTS,
  availabilityZones: 3,
} as const;

/** The five control-plane log types; all are always on. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Fully resolved node group. */
export interface ResolvedNodeGroup {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly amiType: BottlerocketAmiType;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGiB: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** Every argument with its default applied; what the component builds from. */
export interface ResolvedHardenedClusterSettings {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly region: string;
  readonly network:
    | { readonly kind: "existing"; readonly vpcId: string; readonly privateSubnetIds: readonly string[] }
    | { readonly kind: "created"; readonly vpcCidr: string; readonly egress: EgressMode };
  readonly publicAccessCidrs: readonly string[];
  readonly adminCidrs: readonly string[];
  readonly adminSecurityGroupIds: readonly string[];
  readonly adminPrincipals: readonly string[];
  readonly tenantAccess: readonly TenantAccessArgs[];
  readonly identityProvider?: Required<HardenedClusterIdentityProviderArgs>;
  readonly kmsDeletionWindowInDays: number;
  readonly kmsKeyAdministrators: readonly string[];
  readonly logRetentionInDays: number;
  readonly upgradePolicy: "STANDARD" | "EXTENDED";
  readonly nodeGroups: readonly ResolvedNodeGroup[];
  readonly addonVersions: AddonVersions;
  readonly guardDuty: { readonly enabled: boolean; readonly detectorId?: string };
  readonly ecrRepositories: readonly string[];
  /** `protect` and `retainOnDelete` for the cluster, KMS keys and audit log group. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** A bad argument: names the component, the argument, the value and the fix. */
export class HardenedClusterArgumentError extends Error {
  constructor(
    readonly component: string,
    readonly argument: string,
    readonly value: unknown,
    readonly fix: string,
  ) {
    super(`${HARDENED_CLUSTER_TYPE} "${component}": argument ${argument} = ${JSON.stringify(value) ?? "undefined"}: ${fix}`);
    this.name = "HardenedClusterArgumentError";
  }
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const DETECTOR_ID = /^[0-9a-f]{32}$/;
const ECR_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * Validates `args` and applies the defaults. Throws {@link HardenedClusterArgumentError} for the first bad
 * argument. Pure: the component calls it before registering anything, tests call it directly.
 */
export function resolveHardenedClusterSettings(component: string, args: HardenedEksClusterArgs): ResolvedHardenedClusterSettings {
  const fail = (argument: string, value: unknown, fix: string): never => {
    throw new HardenedClusterArgumentError(component, argument, value, fix);
  };
  const list = <T>(argument: string, value: readonly T[] | undefined): readonly T[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(argument, value, "must be a list");
    if (new Set(value).size !== value.length) fail(argument, value, "must not list an entry twice");
    return value;
  };

  if (typeof args.clusterName !== "string" || !CLUSTER_NAME.test(args.clusterName)) {
    fail("clusterName", args.clusterName, "must be an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit");
  }
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(args.kubernetesVersion)) {
    fail("kubernetesVersion", args.kubernetesVersion, `must be a maintained Kubernetes minor version: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`);
  }
  if (typeof args.region !== "string" || !REGION.test(args.region)) {
    fail("region", args.region, "must be an AWS region such as eu-west-1");
  }

  // Network: an existing VPC (both ids) or a created one (CIDR and egress mode).
  const net = args.network ?? {};
  let network: ResolvedHardenedClusterSettings["network"];
  if (net.vpcId !== undefined || net.privateSubnetIds !== undefined) {
    if (net.vpcId === undefined || !VPC_ID.test(net.vpcId)) {
      fail("network.vpcId", net.vpcId, "must be a VPC id such as vpc-0a1b2c3d4e5f67890, given together with network.privateSubnetIds");
    }
    const subnets = list("network.privateSubnetIds", net.privateSubnetIds);
    if (subnets.length < 2) fail("network.privateSubnetIds", net.privateSubnetIds, "must list at least two private subnets in different AZs");
    subnets.forEach((id, i) => SUBNET_ID.test(id) || fail(`network.privateSubnetIds[${i}]`, id, "must be a subnet id such as subnet-0a1b2c3d4e5f67890"));
    if (net.vpcCidr !== undefined) fail("network.vpcCidr", net.vpcCidr, "applies only to a created VPC; remove it or remove vpcId/privateSubnetIds");
    if (net.egress !== undefined) fail("network.egress", net.egress, "applies only to a created VPC; remove it or remove vpcId/privateSubnetIds");
    network = { kind: "existing", vpcId: net.vpcId as string, privateSubnetIds: subnets };
  } else {
    const vpcCidr = net.vpcCidr ?? HARDENED_CLUSTER_DEFAULTS.vpcCidr;
    const parsed = parseCidr(vpcCidr);
    const prefix = Number(vpcCidr.split("/")[1]);
    if ("error" in parsed || parsed.family !== 4 || parsed.canonical !== vpcCidr || prefix < 16 || prefix > 20) {
      fail("network.vpcCidr", vpcCidr, "must be a canonical IPv4 CIDR from /16 to /20 such as 10.40.0.0/16");
    }
    const egress = net.egress ?? HARDENED_CLUSTER_DEFAULTS.egress;
    if (!(EGRESS_MODES as readonly string[]).includes(egress)) fail("network.egress", egress, `must be one of ${EGRESS_MODES.join(", ")}`);
    network = { kind: "created", vpcCidr, egress };
  }

  // Endpoint: never open to the world, by any argument.
  const checkCidrs = (argument: string, cidrs: readonly string[]) => {
    cidrs.forEach((value, i) => {
      const parsed = parseCidr(value);
      if ("error" in parsed) fail(`${argument}[${i}]`, value, parsed.error);
      else if (parsed.canonical !== value) fail(`${argument}[${i}]`, value, `must be written canonically: ${parsed.canonical}`);
      const problem = worldOpenCidrProblem(value);
      if (problem) fail(`${argument}[${i}]`, value, problem);
    });
    const coverage = cidrListCoverageProblem(cidrs);
    if (coverage) fail(argument, cidrs, coverage);
    return cidrs;
  };
  const endpoint = args.endpoint ?? {};
  const publicAccessCidrs = checkCidrs("endpoint.publicAccessCidrs", list("endpoint.publicAccessCidrs", endpoint.publicAccessCidrs));
  const adminCidrs = checkCidrs("endpoint.adminCidrs", list("endpoint.adminCidrs", endpoint.adminCidrs));
  const adminSecurityGroupIds = list("endpoint.adminSecurityGroupIds", endpoint.adminSecurityGroupIds);
  adminSecurityGroupIds.forEach((id, i) => SECURITY_GROUP_ID.test(id) || fail(`endpoint.adminSecurityGroupIds[${i}]`, id, "must be a security group id such as sg-0a1b2c3d4e5f67890"));

  const checkPrincipals = (argument: string, arns: readonly string[]) => {
    arns.forEach((arn, i) => IAM_PRINCIPAL_ARN.test(arn) || fail(`${argument}[${i}]`, arn, "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin (no wildcards)"));
    return arns;
  };
  const adminPrincipals = checkPrincipals("adminPrincipals", list("adminPrincipals", args.adminPrincipals));
  const tenantAccess = list("tenantAccess", args.tenantAccess);
  tenantAccess.forEach((entry, i) => {
    const at = `tenantAccess[${i}]`;
    if (!dns1123Label.safeParse(entry.namespace).success) fail(`${at}.namespace`, entry.namespace, "must be a namespace name (DNS-1123 label)");
    if (!(TENANT_TIERS as readonly string[]).includes(entry.tier)) fail(`${at}.tier`, entry.tier, `must be one of ${TENANT_TIERS.join(", ")}`);
    if (typeof entry.kubernetesGroup !== "string" || entry.kubernetesGroup === "" || entry.kubernetesGroup.startsWith("system:")) {
      fail(`${at}.kubernetesGroup`, entry.kubernetesGroup, "must be a non-empty group outside 'system:' (use tenantTierGroup(tenant, tier))");
    }
    checkPrincipals(`${at}.principalArns`, list(`${at}.principalArns`, entry.principalArns));
  });

  let identityProvider: ResolvedHardenedClusterSettings["identityProvider"];
  if (args.identityProvider !== undefined) {
    const idp = args.identityProvider;
    if (!/^https:\/\/[^\s/]+/.test(idp.issuerUrl ?? "")) fail("identityProvider.issuerUrl", idp.issuerUrl, "must be an https URL such as https://idp.example.com");
    if (!idp.clientId) fail("identityProvider.clientId", idp.clientId, "must be the OIDC client id tokens are issued for");
    for (const key of ["usernameClaim", "groupsClaim", "usernamePrefix", "groupsPrefix"] as const) {
      if (idp[key] === "") fail(`identityProvider.${key}`, "", `must not be empty; omit it for the default ${JSON.stringify(IDENTITY_PROVIDER_DEFAULTS[key])}`);
    }
    identityProvider = { ...IDENTITY_PROVIDER_DEFAULTS, ...definedOnly(idp) } as Required<HardenedClusterIdentityProviderArgs>;
  }

  const kmsDeletionWindowInDays = args.kmsDeletionWindowInDays ?? HARDENED_CLUSTER_DEFAULTS.kmsDeletionWindowInDays;
  if (!Number.isInteger(kmsDeletionWindowInDays) || kmsDeletionWindowInDays < 7 || kmsDeletionWindowInDays > 30) {
    fail("kmsDeletionWindowInDays", kmsDeletionWindowInDays, "must be an integer from 7 to 30 (days to notice and cancel a key deletion)");
  }
  const kmsKeyAdministrators = checkPrincipals("kmsKeyAdministrators", list("kmsKeyAdministrators", args.kmsKeyAdministrators));

  const logRetentionInDays = args.logRetentionInDays ?? HARDENED_CLUSTER_DEFAULTS.logRetentionInDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionInDays)) {
    fail("logRetentionInDays", logRetentionInDays, `must be a CloudWatch retention of at least 90 days: ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const upgradePolicy = args.upgradePolicy ?? HARDENED_CLUSTER_DEFAULTS.upgradePolicy;
  if (upgradePolicy !== "STANDARD" && upgradePolicy !== "EXTENDED") fail("upgradePolicy", upgradePolicy, "must be STANDARD or EXTENDED");

  const groupArgs = args.nodeGroups ?? [{ name: NODE_GROUP_DEFAULTS.name }];
  if (groupArgs.length === 0) fail("nodeGroups", groupArgs, "must list at least one node group, or be omitted for the default group");
  const seenGroups = new Set<string>();
  const nodeGroups = groupArgs.map((group, i): ResolvedNodeGroup => {
    const at = `nodeGroups[${i}]`;
    if (!dns1123Label.safeParse(group.name).success) fail(`${at}.name`, group.name, "must be a DNS-1123 label such as system");
    if (seenGroups.has(group.name)) fail(`${at}.name`, group.name, "must be unique among node groups");
    seenGroups.add(group.name);
    const instanceTypes = group.instanceTypes ?? NODE_GROUP_DEFAULTS.instanceTypes;
    if (instanceTypes.length === 0) fail(`${at}.instanceTypes`, instanceTypes, "must list at least one instance type such as m7i.large");
    instanceTypes.forEach((t, j) => INSTANCE_TYPE.test(t) || fail(`${at}.instanceTypes[${j}]`, t, "must be an EC2 instance type such as m7i.large"));
    const amiType = group.amiType ?? NODE_GROUP_DEFAULTS.amiType;
    if (!(BOTTLEROCKET_AMI_TYPES as readonly string[]).includes(amiType)) {
      fail(`${at}.amiType`, amiType, `must be a Bottlerocket AMI type: ${BOTTLEROCKET_AMI_TYPES.join(", ")}`);
    }
    const capacityType = group.capacityType ?? NODE_GROUP_DEFAULTS.capacityType;
    if (capacityType !== "ON_DEMAND" && capacityType !== "SPOT") fail(`${at}.capacityType`, capacityType, "must be ON_DEMAND or SPOT");
    for (const key of ["minSize", "desiredSize", "maxSize"] as const) {
      const value = group[key];
      if (value !== undefined && (!Number.isInteger(value) || value < (key === "maxSize" ? 1 : 0))) {
        fail(`${at}.${key}`, value, `must be an integer >= ${key === "maxSize" ? 1 : 0}`);
      }
    }
    const scaling = nodeGroupScalingProblem(group);
    if (scaling) fail(`${at}.${scaling.key}`, group[scaling.key], scaling.message);
    const minSize = group.minSize ?? NODE_GROUP_DEFAULTS.minSize;
    const diskSizeGiB = group.diskSizeGiB ?? NODE_GROUP_DEFAULTS.diskSizeGiB;
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < 20 || diskSizeGiB > 16384) fail(`${at}.diskSizeGiB`, diskSizeGiB, "must be an integer from 20 to 16384 (GiB)");
    return {
      name: group.name,
      instanceTypes: [...instanceTypes],
      amiType: amiType as BottlerocketAmiType,
      capacityType,
      minSize,
      desiredSize: group.desiredSize ?? minSize,
      maxSize: group.maxSize ?? Math.max(NODE_GROUP_DEFAULTS.maxSize, minSize),
      diskSizeGiB,
      labels: { ...(group.labels ?? {}) },
    };
  });

  const pins = args.addonVersions ?? {};
  for (const [key, value] of Object.entries(pins)) {
    if (!(key in ADDON_NAMES)) fail(`addonVersions.${key}`, value, `is not an add-on Bulwark manages; accepted: ${Object.keys(ADDON_NAMES).join(", ")}`);
    if (value !== undefined && !ADDON_VERSION.test(value)) fail(`addonVersions.${key}`, value, "must be an EKS add-on version such as v1.19.5-eksbuild.3");
  }
  const pinProblem = addonPinProblem(args.kubernetesVersion, pins);
  if (pinProblem) fail(`addonVersions${pinProblem.key ? `.${pinProblem.key}` : ""}`, pinProblem.value, pinProblem.message);
  const maintained = PINNED_ADDON_VERSIONS[args.kubernetesVersion as keyof typeof PINNED_ADDON_VERSIONS];
  const addonVersions = Object.fromEntries(
    (Object.keys(ADDON_NAMES) as AddonKey[]).map((key) => [key, (pins[key] ?? maintained?.[key]) as string]),
  ) as unknown as AddonVersions;

  const guardDuty = args.guardDuty ?? { enabled: false };
  if (guardDuty.detectorId !== undefined && !DETECTOR_ID.test(guardDuty.detectorId)) {
    fail("guardDuty.detectorId", guardDuty.detectorId, "must be a GuardDuty detector id (32 hex characters), or omitted to create one");
  }
  const ecrRepositories = list("ecrRepositories", args.ecrRepositories);
  ecrRepositories.forEach((repo, i) => (ECR_NAME.test(repo) && repo.length <= 256) || fail(`ecrRepositories[${i}]`, repo, "must be an ECR repository name: lowercase letters, digits, '.', '_', '-' and '/' separators"));

  return {
    clusterName: args.clusterName,
    kubernetesVersion: args.kubernetesVersion,
    region: args.region,
    network,
    publicAccessCidrs,
    adminCidrs,
    adminSecurityGroupIds,
    adminPrincipals,
    tenantAccess,
    identityProvider,
    kmsDeletionWindowInDays,
    kmsKeyAdministrators,
    logRetentionInDays,
    upgradePolicy,
    nodeGroups,
    addonVersions,
    guardDuty: { enabled: guardDuty.enabled, ...(guardDuty.detectorId ? { detectorId: guardDuty.detectorId } : {}) },
    ecrRepositories,
    protect: args.acceptDataLossOnDestroy !== true,
    tags: { "bulwark:cluster": args.clusterName, ...(args.tags ?? {}) },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The component's arguments for a stack: the pure bridge from the config model, shared by the Pulumi program
 * and the tests. Tenant principals become namespace-scoped access in their tier's Kubernetes group.
 */
export function hardenedClusterArgsFromConfig(config: BulwarkConfig): HardenedEksClusterArgs {
  const cluster = config.cluster;
  const tenantAccess: TenantAccessArgs[] = [];
  for (const tenant of config.tenants) {
    for (const tier of TENANT_TIERS) {
      const principalArns = tenant.awsPrincipals?.[tier] ?? [];
      if (principalArns.length > 0) {
        tenantAccess.push({ namespace: tenant.name, tier, principalArns, kubernetesGroup: tenantTierGroup(tenant.name, tier) });
      }
    }
  }
  return {
    clusterName: cluster.name,
    kubernetesVersion: cluster.kubernetesVersion,
    region: config.region,
    network: cluster.network,
    endpoint: cluster.endpoint,
    adminPrincipals: cluster.adminPrincipals,
    tenantAccess,
    identityProvider: cluster.identityProvider,
    kmsDeletionWindowInDays: cluster.kms?.deletionWindowInDays,
    kmsKeyAdministrators: cluster.kms?.keyAdministrators,
    logRetentionInDays: cluster.logRetentionInDays,
    upgradePolicy: cluster.upgradePolicy,
    nodeGroups: cluster.nodeGroups,
    addonVersions: cluster.addonVersions,
    guardDuty: cluster.guardDuty,
    ecrRepositories: cluster.ecrRepositories,
    acceptDataLossOnDestroy: cluster.acceptDataLossOnDestroy,
    tags: { "bulwark:stack": config.stack },
  };
}
