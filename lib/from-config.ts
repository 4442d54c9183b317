/**
 * The config-to-props adapters: the one place that maps the parsed, validated config model
 * (`config/`) to the props of the exported components. Pure; the Pulumi program and the tests use it.
 */
import type { TenantWorkloadIdentityArgs } from "./addons/tenant-workload-identity";
import type { AddonKey, AddonVersions } from "../config/cluster";
import { ADDON_NAMES, IDENTITY_PROVIDER_DEFAULTS, NODE_GROUP_DEFAULTS, PINNED_ADDON_VERSIONS, addonPinProblem } from "../config/cluster";
import { ConfigError } from "../config/errors";
import { resolvedUpgradePolicy, supportProblem } from "../config/kubernetes-versions";
import type { BulwarkConfig } from "../config/model";
import { TENANT_TIERS, tenantTierGroup } from "../config/tenants";
import type { SynthesizedChart } from "../constructs/synthesize";
import type { KubernetesObject } from "./bridge/cdk8s-chart";
import type { HardenedEksClusterArgs, ResolvedNodeGroup, TenantAccessArgs } from "./cluster/args";
import { HARDENED_CLUSTER_DEFAULTS } from "./cluster/args";

type ClusterConfig = BulwarkConfig["cluster"];

/** How the adapter judges time-dependent rules. */
export interface FromConfigOptions {
  /** The day the rules are judged on (EKS support phases). @default the clock's today */
  readonly today?: Date;
  /** The stack file, named in config errors. @default none */
  readonly file?: string;
}

/** A config error at `bulwark:cluster.<key>`. */
function clusterError(key: string, value: unknown, message: string, file?: string): ConfigError {
  return new ConfigError([{ path: `bulwark:cluster${key ? `.${key}` : ""}`, value, message }], file);
}

/** Tenant principals become namespace-scoped access in their tier's Kubernetes group. */
function tenantAccessOf(config: BulwarkConfig): TenantAccessArgs[] {
  const tenantAccess: TenantAccessArgs[] = [];
  for (const tenant of config.tenants) {
    for (const tier of TENANT_TIERS) {
      const principalArns = tenant.awsPrincipals?.[tier] ?? [];
      if (principalArns.length > 0) {
        tenantAccess.push({ namespace: tenant.name, tier, principalArns, kubernetesGroup: tenantTierGroup(tenant.name, tier) });
      }
    }
  }
  return tenantAccess;
}

function networkOf(cluster: ClusterConfig): HardenedEksClusterArgs["network"] {
  const net = cluster.network ?? {};
  // The schema accepts vpcId and privateSubnetIds only together.
  if (net.vpcId !== undefined && net.privateSubnetIds !== undefined) {
    return { kind: "existing", vpcId: net.vpcId, privateSubnetIds: net.privateSubnetIds };
  }
  return { kind: "created", vpcCidr: net.vpcCidr ?? HARDENED_CLUSTER_DEFAULTS.vpcCidr, egress: net.egress ?? HARDENED_CLUSTER_DEFAULTS.egress };
}

function nodeGroupsOf(cluster: ClusterConfig): ResolvedNodeGroup[] {
  const groups = cluster.nodeGroups ?? [{ name: NODE_GROUP_DEFAULTS.name }];
  return groups.map((group) => {
    const minSize = group.minSize ?? NODE_GROUP_DEFAULTS.minSize;
    return {
      name: group.name,
      instanceTypes: [...(group.instanceTypes ?? NODE_GROUP_DEFAULTS.instanceTypes)],
      amiType: group.amiType ?? NODE_GROUP_DEFAULTS.amiType,
      capacityType: group.capacityType ?? NODE_GROUP_DEFAULTS.capacityType,
      minSize,
      desiredSize: group.desiredSize ?? minSize,
      maxSize: group.maxSize ?? Math.max(NODE_GROUP_DEFAULTS.maxSize, minSize),
      diskSizeGiB: group.diskSizeGiB ?? NODE_GROUP_DEFAULTS.diskSizeGiB,
      labels: { ...(group.labels ?? {}) },
    };
  });
}

/**
 * The add-on versions to install: explicit pins over the versions table's. An add-on with neither is left out,
 * so it is created unpinned and EKS installs its default at create (`unpinnedAddons`; `plan` says so).
 */
function addonVersionsOf(cluster: ClusterConfig, file?: string): AddonVersions {
  const pins = cluster.addonVersions ?? {};
  const problem = addonPinProblem(cluster.kubernetesVersion, pins);
  if (problem) throw clusterError(`addonVersions.${problem.key}`, problem.value, problem.message, file);
  const maintained = PINNED_ADDON_VERSIONS[cluster.kubernetesVersion];
  const versions: Partial<Record<AddonKey, string>> = {};
  for (const key of Object.keys(ADDON_NAMES) as AddonKey[]) {
    const version = pins[key] ?? maintained[key];
    if (version !== undefined) versions[key] = version;
  }
  return versions;
}

/**
 * The {@link HardenedEksCluster} props of a stack, every default applied. Refuses, as a config error, what
 * cannot be built on `today`: a version out of EKS standard support without the extended-support opt-in,
 * and a kube-proxy pin of another minor version.
 */
export function hardenedClusterArgsFromConfig(config: BulwarkConfig, options: FromConfigOptions = {}): HardenedEksClusterArgs {
  const cluster = config.cluster;
  const today = options.today ?? new Date();
  const support = supportProblem(cluster, today);
  if (support) throw clusterError(support.key, support.value, support.message, options.file);
  const idp = cluster.identityProvider;
  const guardDuty = cluster.guardDuty ?? { enabled: false };
  return {
    clusterName: cluster.name,
    kubernetesVersion: cluster.kubernetesVersion,
    region: config.region,
    network: networkOf(cluster),
    publicAccessCidrs: cluster.endpoint?.publicAccessCidrs ?? [],
    adminCidrs: cluster.endpoint?.adminCidrs ?? [],
    adminSecurityGroupIds: cluster.endpoint?.adminSecurityGroupIds ?? [],
    adminPrincipals: cluster.adminPrincipals ?? [],
    tenantAccess: tenantAccessOf(config),
    ...(idp
      ? {
          identityProvider: {
            issuerUrl: idp.issuerUrl,
            clientId: idp.clientId,
            usernameClaim: idp.usernameClaim ?? IDENTITY_PROVIDER_DEFAULTS.usernameClaim,
            groupsClaim: idp.groupsClaim ?? IDENTITY_PROVIDER_DEFAULTS.groupsClaim,
            usernamePrefix: idp.usernamePrefix ?? IDENTITY_PROVIDER_DEFAULTS.usernamePrefix,
            groupsPrefix: idp.groupsPrefix ?? IDENTITY_PROVIDER_DEFAULTS.groupsPrefix,
          },
        }
      : {}),
    kmsDeletionWindowInDays: cluster.kms?.deletionWindowInDays ?? HARDENED_CLUSTER_DEFAULTS.kmsDeletionWindowInDays,
    kmsKeyAdministrators: cluster.kms?.keyAdministrators ?? [],
    logRetentionInDays: cluster.logRetentionInDays ?? HARDENED_CLUSTER_DEFAULTS.logRetentionInDays,
    upgradePolicy: resolvedUpgradePolicy(cluster, today),
    nodeGroups: nodeGroupsOf(cluster),
    addonVersions: addonVersionsOf(cluster, options.file),
    guardDuty: { enabled: guardDuty.enabled, ...(guardDuty.detectorId ? { detectorId: guardDuty.detectorId } : {}) },
    ecrRepositories: cluster.ecrRepositories ?? [],
    protect: cluster.acceptDataLossOnDestroy !== true,
    tags: { "bulwark:cluster": cluster.name, "bulwark:stack": config.stack },
  };
}

function isKubernetesObject(value: Record<string, unknown>): value is Record<string, unknown> & KubernetesObject {
  const metadata = value.metadata as Record<string, unknown> | undefined;
  return typeof value.apiVersion === "string" && typeof value.kind === "string" && typeof metadata?.name === "string";
}

/** A synthesized chart's objects as the bridge deploys them; an object without apiVersion, kind or name is a bug. */
export function chartObjectsOf(chart: SynthesizedChart): KubernetesObject[] {
  return chart.objects.map((object, index) => {
    if (!isKubernetesObject(object)) throw new Error(`chart ${chart.name}: object ${index} has no apiVersion, kind or metadata.name`);
    return object;
  });
}

/** The AWS identities of the stack's tenant workloads (`tenants[].workloadIdentities`), one per service account. */
export function workloadIdentitiesFromConfig(
  config: BulwarkConfig,
  eksClusterName: TenantWorkloadIdentityArgs["eksClusterName"],
): { readonly name: string; readonly args: TenantWorkloadIdentityArgs }[] {
  return config.tenants.flatMap((tenant) =>
    (tenant.workloadIdentities ?? []).map((identity) => ({
      name: `${config.cluster.name}-${tenant.name}-${identity.name}`,
      args: {
        clusterName: config.cluster.name,
        eksClusterName,
        namespace: tenant.name,
        serviceAccount: identity.name,
        managedPolicyArns: identity.managedPolicyArns,
      },
    })),
  );
}
