import { k8s } from "cdk8s-plus-33";
import { cidrContains, parseCidr } from "../../config/fields";
import { INSTANCE_METADATA_CIDRS } from "../../config/tenants";

/** A port a NetworkPolicy rule opens. */
export interface PolicyPort {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP" | "SCTP";
}

/**
 * The other end of an allowed connection. Built with {@link Peer}; each variant says exactly one thing, so a
 * rule cannot mix a namespace selector with a CIDR by accident.
 */
export type NetworkPeer =
  | { readonly kind: "sameNamespace"; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly kind: "namespace"; readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  | { readonly kind: "cidr"; readonly cidr: string };

/** Constructors of {@link NetworkPeer}. */
export const Peer = {
  /** Pods of the policy's own namespace (all of them, or those with `podLabels`). */
  sameNamespace: (podLabels?: Readonly<Record<string, string>>): NetworkPeer => ({ kind: "sameNamespace", podLabels }),
  /** Pods of another namespace, by name (all of them, or those with `podLabels`). */
  namespace: (namespace: string, podLabels?: Readonly<Record<string, string>>): NetworkPeer => ({ kind: "namespace", namespace, podLabels }),
  /** Addresses outside the cluster's pod network, e.g. load balancer subnets or a corporate range. Canonical CIDR. */
  cidr: (cidr: string): NetworkPeer => ({ kind: "cidr", cidr }),
} as const;

/**
 * The instance metadata addresses inside `cidr`, to put in `ipBlock.except`. Kubernetes requires every
 * `except` entry to lie inside the CIDR, so only the contained ones are listed; a CIDR that does not
 * contain them cannot reach them anyway.
 */
export function metadataExceptions(cidr: string): string[] {
  return [INSTANCE_METADATA_CIDRS.ipv4, INSTANCE_METADATA_CIDRS.ipv6].filter((imds) => cidrContains(cidr, imds));
}

/** Throws unless `cidr` is a canonical CIDR; `where` names the construct and prop for the message. */
export function assertCanonicalCidr(where: string, cidr: string): void {
  const parsed = parseCidr(cidr);
  if ("error" in parsed) throw new Error(`${where} "${cidr}" ${parsed.error}`);
  if (parsed.canonical !== cidr) throw new Error(`${where} "${cidr}" must be canonical: use "${parsed.canonical}"`);
}

/** The NetworkPolicy peer of `peer`; an ipBlock never includes the instance metadata endpoints. */
export function policyPeer(peer: NetworkPeer): k8s.NetworkPolicyPeer {
  switch (peer.kind) {
    case "sameNamespace":
      return { podSelector: { matchLabels: peer.podLabels ? { ...peer.podLabels } : undefined } };
    case "namespace":
      return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } },
        podSelector: { matchLabels: peer.podLabels ? { ...peer.podLabels } : undefined },
      };
    case "cidr": {
      const except = metadataExceptions(peer.cidr);
      return { ipBlock: except.length > 0 ? { cidr: peer.cidr, except } : { cidr: peer.cidr } };
    }
  }
}

/** NetworkPolicy ports of `ports`; TCP when the protocol is not given. */
export function policyPorts(ports: readonly PolicyPort[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ protocol: p.protocol ?? "TCP", port: k8s.IntOrString.fromNumber(p.port) }));
}

/** Throws unless every port is a whole number from 1 to 65535. */
export function assertPorts(where: string, ports: readonly PolicyPort[]): void {
  if (ports.length === 0) throw new Error(`${where}: list at least one port; a rule without ports would open every port`);
  for (const p of ports) {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
      throw new Error(`${where}: port ${JSON.stringify(p.port)} must be a port number from 1 to 65535`);
  }
}
