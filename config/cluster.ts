import { z } from "zod";
import { cidr, dns1123Label, parseCidr, strictObject } from "./fields";
import type { KubernetesVersion } from "./kubernetes-versions";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./kubernetes-versions";

import { ADDON_VERSION, addonPinProblem } from "./addons";

export type { KubernetesVersion } from "./kubernetes-versions";
export type { AddonKey, AddonVersions } from "./addons";
export { ADDON_NAMES, ADDON_VERSION, PINNED_ADDON_VERSIONS, addonPinProblem, unpinnedAddons, unpinnedAddonsNotice } from "./addons";
export { SUPPORTED_KUBERNETES_VERSIONS } from "./kubernetes-versions";

const kubernetesVersion = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? `is required: a quoted minor version, one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}` : undefined),
  })
  .superRefine((value, ctx) => {
    if (typeof value === "number") {
      ctx.addIssue({
        code: "custom",
        message: `must be a quoted string such as "1.33": YAML reads an unquoted ${value} as a number (1.30 becomes 1.3)`,
      });
    } else if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(value)) {
      ctx.addIssue({
        code: "custom",
        message: `must be one of the supported minor versions: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
      });
    }
  })
  .transform((value) => value as KubernetesVersion);

/** EKS cluster names: 1-100 characters, alphanumerics, '-' and '_', starting with a letter or digit. */
const clusterName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, {
  error: "must be an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit",
});

/** Defaults for the EKS OIDC identity provider config (humans authenticate at the company IdP). */
export const IDENTITY_PROVIDER_DEFAULTS = {
  usernameClaim: "email",
  groupsClaim: "groups",
  /** Prefixes keep IdP names apart from Kubernetes' own (`system:`) and from IAM-mapped names. */
  usernamePrefix: "oidc:",
  groupsPrefix: "oidc:",
} as const;

const identityProvider = strictObject({
  /** The IdP's issuer URL (https). */
  issuerUrl: z.url({ protocol: /^https$/, error: "must be an https URL such as https://idp.example.com" }),
  /** The OIDC client id the cluster accepts tokens for. */
  clientId: z.string().min(1, { error: "must not be empty" }),
  usernameClaim: z.string().min(1).optional(),
  groupsClaim: z.string().min(1).optional(),
  usernamePrefix: z.string().min(1, { error: "must not be empty: an unprefixed IdP name could collide with system: names" }).optional(),
  groupsPrefix: z.string().min(1, { error: "must not be empty: an unprefixed IdP group could be named system:masters" }).optional(),
});

/** CloudWatch Logs accepts only these retention periods; Bulwark allows those of 90 days or more. */
export const LOG_RETENTION_DAYS = [90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Bottlerocket AMI types for managed node groups: a minimal, read-only, SELinux-enforcing node OS. */
export const BOTTLEROCKET_AMI_TYPES = [
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
  "BOTTLEROCKET_x86_64_FIPS",
  "BOTTLEROCKET_ARM_64_FIPS",
  "BOTTLEROCKET_x86_64_NVIDIA",
  "BOTTLEROCKET_ARM_64_NVIDIA",
] as const;
export type BottlerocketAmiType = (typeof BOTTLEROCKET_AMI_TYPES)[number];

/**
 * EKS service quotas (default values) a stack file must fit. Source: Amazon EKS User Guide, "View and manage
 * Amazon EKS and Fargate service quotas" (docs.aws.amazon.com/eks/latest/userguide/service-quotas.html):
 * managed node groups per cluster 30 and nodes per managed node group 450 (both adjustable), public
 * endpoint access CIDR ranges per cluster 40 (not adjustable).
 */
export const EKS_QUOTAS = { nodeGroupsPerCluster: 30, nodesPerNodeGroup: 450, publicAccessCidrsPerCluster: 40 } as const;

/** The broadest CIDR Bulwark accepts for any network allowed to reach the API server, per family. */
export const BROADEST_ALLOWED_PREFIX = { 4: 8, 6: 32 } as const;
/** The most IPv4 addresses a list of allowed CIDRs may cover together (one /8). */
export const MAX_ALLOWED_IPV4_ADDRESSES = 2 ** 24;

/**
 * Why `text` (a canonical CIDR) may not be allowed to reach the Kubernetes API, or undefined when it may.
 * One rule for the config loader and the component, so neither can open the endpoint to the world.
 */
export function worldOpenCidrProblem(text: string): string | undefined {
  const parsed = parseCidr(text);
  if ("error" in parsed) return parsed.error;
  const prefix = Number(parsed.canonical.split("/")[1]);
  if (prefix === 0) {
    return "would open the Kubernetes API to the whole internet; list the networks that need access (e.g. 198.51.100.0/24), or none to keep the endpoint private";
  }
  const broadest = BROADEST_ALLOWED_PREFIX[parsed.family];
  if (prefix < broadest) {
    return `is broader than /${broadest} and would expose the Kubernetes API to a large part of the internet; list narrower networks`;
  }
  return undefined;
}

/** Why a whole list of allowed CIDRs is too broad together, or undefined. */
export function cidrListCoverageProblem(cidrs: readonly string[]): string | undefined {
  const covered = cidrs.filter((c) => !c.includes(":")).reduce((sum, c) => sum + 2 ** (32 - Number(c.split("/")[1])), 0);
  if (covered > MAX_ALLOWED_IPV4_ADDRESSES) {
    return `together cover ${covered} IPv4 addresses, more than one /8 (${MAX_ALLOWED_IPV4_ADDRESSES}); list narrower networks`;
  }
  return undefined;
}

/** A CIDR that may reach the API server: canonical, and neither the world nor a large slice of it. */
const apiAccessCidr = cidr.superRefine((value, ctx) => {
  const problem = worldOpenCidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const apiAccessCidrList = z.array(apiAccessCidr).superRefine((cidrs, ctx) => {
  if (new Set(cidrs).size !== cidrs.length) ctx.addIssue({ code: "custom", message: "must not list a CIDR twice" });
  // An entry that is too broad on its own is reported once, at the entry.
  if (cidrs.some((c) => worldOpenCidrProblem(c) !== undefined)) return;
  const problem = cidrListCoverageProblem(cidrs);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An IAM role or user ARN (no wildcards: access entries and key policies name exact principals). */
export const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)\/[A-Za-z0-9+=,.@_\-/]+$/;
const iamPrincipalArn = z.string().regex(IAM_PRINCIPAL_ARN, {
  error: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin",
});
const principalList = z.array(iamPrincipalArn).refine((arns) => new Set(arns).size === arns.length, {
  error: "must not list a principal twice",
});

const vpcId = z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id such as vpc-0a1b2c3d4e5f67890" });
const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "must be a subnet id such as subnet-0a1b2c3d4e5f67890" });
const securityGroupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: "must be a security group id such as sg-0a1b2c3d4e5f67890" });

/** The CIDR of a VPC Bulwark creates when the stack sets none. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";

/** The VPC CIDR of a created VPC: IPv4, /16 to /20, so three private and three public subnets fit. */
const vpcCidr = cidr.refine((value) => !value.includes(":") && Number(value.split("/")[1]) >= 16 && Number(value.split("/")[1]) <= 20, {
  error: "must be an IPv4 CIDR from /16 to /20 such as 10.40.0.0/16",
});

export const EGRESS_MODES = ["nat", "vpcEndpointsOnly"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

const network = strictObject({
  /** An existing VPC; with `privateSubnetIds`. Omit both to create a 3-AZ VPC. */
  vpcId: vpcId.optional(),
  /** Private subnets of the existing VPC (two AZs or more) for nodes and control-plane ENIs. */
  privateSubnetIds: z
    .array(subnetId)
    .min(2, { error: "must list at least two private subnets in different availability zones (EKS requires two AZs)" })
    .refine((ids) => new Set(ids).size === ids.length, { error: "must not list a subnet twice" })
    .optional(),
  /** CIDR of a created VPC. */
  vpcCidr: vpcCidr.optional(),
  /** Egress of a created VPC: `nat` (NAT gateway per AZ) or `vpcEndpointsOnly` (no internet route at all). */
  egress: z.enum(EGRESS_MODES, { error: "must be nat or vpcEndpointsOnly" }).optional(),
}).superRefine((value, ctx) => {
  if ((value.vpcId === undefined) !== (value.privateSubnetIds === undefined)) {
    const missing = value.vpcId === undefined ? "vpcId" : "privateSubnetIds";
    ctx.addIssue({
      code: "custom",
      path: [missing],
      input: undefined,
      message: "is required with an existing VPC: set both vpcId and privateSubnetIds, or neither to create a VPC",
    });
  }
  if (value.vpcId !== undefined) {
    for (const key of ["vpcCidr", "egress"] as const) {
      if (value[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: value[key],
          message: "applies only to a VPC Bulwark creates; remove it or remove vpcId/privateSubnetIds",
        });
      }
    }
  }
});

const endpoint = strictObject({
  /**
   * Networks allowed to reach the public API endpoint. Omitted: the endpoint is private only.
   * 0.0.0.0/0, ::/0 and other world-sized ranges are rejected.
   */
  publicAccessCidrs: apiAccessCidrList
    .refine((cidrs) => cidrs.length > 0, { error: "must list at least one network, or be omitted to keep the endpoint private" })
    .refine((cidrs) => cidrs.length <= EKS_QUOTAS.publicAccessCidrsPerCluster, {
      error: `must list at most ${EKS_QUOTAS.publicAccessCidrsPerCluster} networks: the EKS limit of public endpoint CIDR ranges per cluster`,
    })
    .optional(),
  /** Networks (VPN, bastion subnets) admitted to port 443 of the private endpoint by the cluster security group. */
  adminCidrs: apiAccessCidrList.optional(),
  /** Security groups admitted to port 443 of the private endpoint. */
  adminSecurityGroupIds: z
    .array(securityGroupId)
    .refine((ids) => new Set(ids).size === ids.length, { error: "must not list a security group twice" })
    .optional(),
});

const nodeCount = (min: number, what: string) =>
  z
    .number()
    .int({ error: `must be an integer from ${min} to ${EKS_QUOTAS.nodesPerNodeGroup}` })
    .min(min, { error: `must be an integer from ${min} to ${EKS_QUOTAS.nodesPerNodeGroup}` })
    .max(EKS_QUOTAS.nodesPerNodeGroup, {
      error: `must be at most ${EKS_QUOTAS.nodesPerNodeGroup} ${what}: the EKS quota of nodes per managed node group; add node groups for more capacity`,
    });

const nodeGroup = strictObject({
  name: dns1123Label,
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "must be an EC2 instance type such as m7i.large" }))
    .min(1, { error: "must list at least one instance type" })
    .optional(),
  amiType: z.enum(BOTTLEROCKET_AMI_TYPES, { error: `must be a Bottlerocket AMI type: ${BOTTLEROCKET_AMI_TYPES.join(", ")}` }).optional(),
  capacityType: z.enum(["ON_DEMAND", "SPOT"], { error: "must be ON_DEMAND or SPOT" }).optional(),
  minSize: nodeCount(0, "nodes").optional(),
  desiredSize: nodeCount(0, "nodes").optional(),
  maxSize: nodeCount(1, "nodes").optional(),
  diskSizeGiB: z
    .number()
    .int({ error: "must be an integer from 20 to 16384 (GiB)" })
    .min(20, { error: "must be an integer from 20 to 16384 (GiB)" })
    .max(16384, { error: "must be an integer from 20 to 16384 (GiB)" })
    .optional(),
  labels: z.record(z.string(), z.string()).optional(),
}).superRefine((group, ctx) => {
  const problem = nodeGroupScalingProblem(group);
  if (problem) ctx.addIssue({ code: "custom", path: [problem.key], input: group[problem.key], message: problem.message });
});

/** Why a node group's sizes do not fit together (min <= desired <= max), with the key to fix. */
export function nodeGroupScalingProblem(group: {
  readonly minSize?: number;
  readonly desiredSize?: number;
  readonly maxSize?: number;
}): { key: "minSize" | "desiredSize" | "maxSize"; message: string } | undefined {
  const min = group.minSize ?? NODE_GROUP_DEFAULTS.minSize;
  const max = group.maxSize ?? Math.max(NODE_GROUP_DEFAULTS.maxSize, min);
  const desired = group.desiredSize ?? min;
  if (min > max) return { key: "minSize", message: `must not exceed maxSize (${max})` };
  if (desired < min || desired > max) return { key: "desiredSize", message: `must be between minSize (${min}) and maxSize (${max})` };
  return undefined;
}

/** Defaults of a node group, shared by the config and the component. */
export const NODE_GROUP_DEFAULTS = {
  name: "system",
  instanceTypes: ["m7i.large"],
  amiType: "BOTTLEROCKET_x86_64",
  capacityType: "ON_DEMAND",
  /** One node per AZ of a 3-AZ VPC. */
  minSize: 3,
  maxSize: 6,
  diskSizeGiB: 50,
} as const;

const addonVersion = z.string().regex(ADDON_VERSION, { error: "must be an EKS add-on version such as v1.19.5-eksbuild.3" });

/** The cluster itself. The AWS-side settings are read by lib/ (HardenedEksCluster); see docs/cluster.md. */
export const clusterSchema = strictObject({
  name: clusterName,
  kubernetesVersion,
  identityProvider: identityProvider.optional(),
  network: network.optional(),
  endpoint: endpoint.optional(),
  /** IAM principals given cluster-admin access entries (AmazonEKSClusterAdminPolicy, cluster scope). */
  adminPrincipals: principalList.optional(),
  kms: strictObject({
    /** Days a scheduled key deletion waits (7-30): time to notice and cancel. */
    deletionWindowInDays: z
      .number()
      .refine(Number.isInteger, { error: "must be an integer from 7 to 30" })
      .min(7, { error: "must be an integer from 7 to 30" })
      .max(30, { error: "must be an integer from 7 to 30" })
      .optional(),
    /** IAM principals allowed to administer (not use) the keys, besides the account root. */
    keyAdministrators: principalList.optional(),
  }).optional(),
  logRetentionInDays: z
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      error: `must be a CloudWatch retention of at least 90 days: ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .optional(),
  /** STANDARD: EKS upgrades the control plane at the end of standard support; EXTENDED needs the opt-in below. */
  upgradePolicy: z.enum(["STANDARD", "EXTENDED"], { error: "must be STANDARD or EXTENDED" }).optional(),
  /**
   * Opt-in to Amazon EKS extended support, charged per cluster hour: needed for a Kubernetes version out of
   * standard support and for upgradePolicy EXTENDED.
   */
  acceptExtendedSupportCharges: z.boolean().optional(),
  nodeGroups: z
    .array(nodeGroup)
    .min(1, { error: "must list at least one node group, or be omitted for the default group" })
    .max(EKS_QUOTAS.nodeGroupsPerCluster, {
      error: `must list at most ${EKS_QUOTAS.nodeGroupsPerCluster} node groups: the EKS quota of managed node groups per cluster`,
    })
    .superRefine((groups, ctx) => {
      const seen = new Set<string>();
      groups.forEach((group, index) => {
        if (seen.has(group.name)) ctx.addIssue({ code: "custom", path: [index, "name"], input: group.name, message: "must be unique among node groups" });
        seen.add(group.name);
      });
    })
    .optional(),
  addonVersions: strictObject({
    vpcCni: addonVersion.optional(),
    coredns: addonVersion.optional(),
    kubeProxy: addonVersion.optional(),
    podIdentityAgent: addonVersion.optional(),
    ebsCsiDriver: addonVersion.optional(),
  }).optional(),
  guardDuty: strictObject({
    /** Turn on GuardDuty EKS audit-log and runtime monitoring. */
    enabled: z.boolean(),
    /** The region's existing GuardDuty detector (one per account and region); omitted: one is created. */
    detectorId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, { error: "must be a GuardDuty detector id (32 hex characters)" })
      .optional(),
  }).optional(),
  /** ECR repositories to create (scan on push, immutable tags, KMS). */
  ecrRepositories: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, {
          error: "must be an ECR repository name: lowercase letters, digits, '.', '_', '-' and '/' separators",
        })
        .max(256),
    )
    .refine((names) => new Set(names).size === names.length, { error: "must not list a repository twice" })
    .optional(),
  /**
   * Opt-out of destroy protection for the cluster, its KMS keys and the audit log group. Accepting it means a
   * `pulumi destroy` deletes the audit trail and schedules deletion of the keys (and all data they encrypt).
   */
  acceptDataLossOnDestroy: z.boolean().optional(),
}).superRefine((cluster, ctx) => {
  if (cluster.upgradePolicy === "EXTENDED" && cluster.acceptExtendedSupportCharges !== true) {
    ctx.addIssue({
      code: "custom",
      path: ["upgradePolicy"],
      input: cluster.upgradePolicy,
      message:
        "keeps the cluster in Amazon EKS extended support, charged per cluster hour; set acceptExtendedSupportCharges: true to accept that, or use STANDARD",
    });
  }
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly unknown[]).includes(cluster.kubernetesVersion) || !cluster.addonVersions) return;
  const problem = addonPinProblem(cluster.kubernetesVersion, cluster.addonVersions);
  if (problem) ctx.addIssue({ code: "custom", path: ["addonVersions", problem.key], input: problem.value, message: problem.message });
});

export type ClusterConfig = z.infer<typeof clusterSchema>;

/** The group name the API server sees for IdP group `group` (the OIDC groups prefix applied). */
export function idpGroupSubject(cluster: ClusterConfig, group: string): string {
  return `${cluster.identityProvider?.groupsPrefix ?? IDENTITY_PROVIDER_DEFAULTS.groupsPrefix}${group}`;
}
