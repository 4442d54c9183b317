/**
 * The adapters from the parsed stack config to construct props: the one place where config keys become
 * construct props, so the constructs themselves take plain, typed props (and app teams can use them without
 * a stack file).
 */
import { Size } from "cdk8s";
import { Cpu } from "cdk8s-plus-33";
import { DEFAULT_VPC_CIDR, idpGroupSubject } from "../config/cluster";
import { serviceScheme } from "../config/services";
import type { BulwarkConfig } from "../config/model";
import type { IngressGrantConfig, TenantConfig, TenantTier } from "../config/tenants";
import { TENANT_TIERS, tenantTierGroup } from "../config/tenants";
import type { TenantNamespaceProps } from "./baseline/tenant-namespace";
import type { GuardrailTenant } from "./network/cluster-network-guardrails";
import type { NetworkPeer } from "./network/peers";
import { Peer } from "./network/peers";
import type { IngressGrant, PeerEgressGrant } from "./network/tenant-network-policies";
import type { TenantServiceProps } from "./workload/tenant-service";

/** The peers of one ingress grant of `tenant`, in a fixed order: same namespace, tenants, load balancers, CIDRs. */
function ingressPeers(config: BulwarkConfig, grant: IngressGrantConfig): NetworkPeer[] {
  const peers: NetworkPeer[] = [];
  if (grant.from.sameNamespace) peers.push(Peer.sameNamespace());
  for (const source of grant.from.tenants ?? []) peers.push(Peer.namespace(source));
  if (grant.from.loadBalancers) peers.push(Peer.cidr(config.cluster.network?.vpcCidr ?? DEFAULT_VPC_CIDR));
  for (const cidr of grant.from.cidrs ?? []) peers.push(Peer.cidr(cidr));
  return peers;
}

/**
 * The sending side of every ingress grant that admits pods of `tenant`: under default deny a connection
 * needs egress at its source too. Named `<target tenant>-<grant>` (`allow-egress-payments-api`).
 */
function peerEgressOf(config: BulwarkConfig, tenant: TenantConfig): PeerEgressGrant[] {
  const grants: PeerEgressGrant[] = [];
  for (const target of config.tenants) {
    for (const grant of target.ingress ?? []) {
      const pods = grant.pods;
      if (target.name === tenant.name && grant.from.sameNamespace) {
        grants.push({ name: `${target.name}-${grant.name}`, to: Peer.sameNamespace(pods), ports: grant.ports });
      }
      if (target.name !== tenant.name && (grant.from.tenants ?? []).includes(tenant.name)) {
        grants.push({ name: `${target.name}-${grant.name}`, to: Peer.namespace(target.name, pods), ports: grant.ports });
      }
    }
  }
  return grants;
}

/** Maps one tenant of the stack config to {@link TenantNamespaceProps}. */
export function tenantNamespacePropsFromConfig(config: BulwarkConfig, tenant: TenantConfig): TenantNamespaceProps {
  const groups: Partial<Record<TenantTier, string[]>> = {};
  for (const tier of TENANT_TIERS) {
    const subjects = (tenant.groups[tier] ?? []).map((group) => idpGroupSubject(config.cluster, group));
    // IAM principals reach the namespace through EKS access entries that carry this group.
    if ((tenant.awsPrincipals?.[tier] ?? []).length > 0) subjects.push(tenantTierGroup(tenant.name, tier));
    if (subjects.length > 0) groups[tier] = subjects;
  }
  const ingress: IngressGrant[] = (tenant.ingress ?? []).map((grant) => ({
    name: grant.name,
    podLabels: grant.pods,
    ports: grant.ports,
    from: ingressPeers(config, grant),
  }));
  const peerEgress = peerEgressOf(config, tenant);
  return {
    name: tenant.name,
    owner: tenant.owner,
    kubernetesVersion: config.cluster.kubernetesVersion,
    podSecurity: tenant.podSecurity,
    quota: tenant.quota,
    limits: tenant.limits,
    egress: tenant.egress?.map((rule) => ({ cidr: rule.cidr, ports: rule.ports })),
    ...(ingress.length > 0 ? { ingress } : {}),
    ...(peerEgress.length > 0 ? { peerEgress } : {}),
    ...(tenant.workloadIdentities ? { workloadIdentities: tenant.workloadIdentities.map((identity) => identity.name) } : {}),
    groups,
  };
}

/** The tenants as the cluster-wide guardrails see them: each with the other tenants its ingress grants admit. */
export function guardrailTenantsFromConfig(config: BulwarkConfig): GuardrailTenant[] {
  return config.tenants.map((tenant) => ({
    name: tenant.name,
    admitsTenants: [...new Set((tenant.ingress ?? []).flatMap((grant) => grant.from.tenants ?? []))].sort(),
  }));
}

/** A CPU quantity of the service schema (`250m`, `1`, `1.5`) as cdk8s-plus CPU. */
function cpuOf(text: string): Cpu {
  return text.endsWith("m") ? Cpu.millis(Number(text.slice(0, -1))) : Cpu.units(Number(text));
}

/** A memory quantity of the service schema (`256Mi`) as a cdk8s Size. */
function memoryOf(text: string): Size {
  const amount = Number(text.slice(0, -2));
  const unit = text.slice(-2);
  const sizes: Record<string, (n: number) => Size> = { Ki: Size.kibibytes, Mi: Size.mebibytes, Gi: Size.gibibytes, Ti: Size.tebibytes };
  return sizes[unit](amount);
}

/** The props of each of `tenant`'s services (`tenants[].services[]`), in config order. */
export function tenantServicePropsFromConfig(tenant: TenantConfig): TenantServiceProps[] {
  return (tenant.services ?? []).map((service) => ({
    name: service.name,
    namespace: tenant.name,
    image: service.image,
    port: service.port,
    ...(service.replicas !== undefined ? { replicas: service.replicas } : {}),
    resources: {
      cpu: { request: cpuOf(service.resources.cpuRequest), limit: cpuOf(service.resources.cpuLimit) },
      memory: { request: memoryOf(service.resources.memoryRequest), limit: memoryOf(service.resources.memoryLimit) },
    },
    ...(service.ingress ? { ingress: { host: service.ingress.host, path: service.ingress.path, scheme: serviceScheme(service) } } : {}),
  }));
}
