import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { CLUSTER_DNS, MANAGED_BY_LABEL } from "../baseline/defaults";
import type { NetworkPeer, PolicyPort } from "./peers";
import { Peer, assertCanonicalCidr, assertPorts, policyPeer, policyPorts } from "./peers";

export { metadataExceptions } from "./peers";

/** One egress grant: a destination CIDR and, optionally, the ports allowed to it. */
export interface EgressGrant {
  /** Destination CIDR (IPv4 or IPv6, no host bits). */
  readonly cidr: string;
  /**
   * Ports allowed to the CIDR.
   * @default all ports
   */
  readonly ports?: readonly { readonly port: number; readonly protocol?: "TCP" | "UDP" | "SCTP" }[];
}

/**
 * One way into the tenant's pods: which pods, on which ports, from which peers. Each grant becomes its own
 * NetworkPolicy `allow-ingress-<name>`, so every opening is named and reviewed on its own.
 */
export interface IngressGrant {
  /** DNS-1123 label naming the grant (and its NetworkPolicy). */
  readonly name: string;
  /**
   * Labels of the pods that receive the traffic.
   * @default every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Ports opened; at least one (least privilege: a grant never opens every port). */
  readonly ports: readonly PolicyPort[];
  /** Who may connect; at least one peer. */
  readonly from: readonly NetworkPeer[];
}

/**
 * Egress from the tenant's pods to pods of the cluster (the sending side of another grant's ingress): under
 * default deny, both ends must allow a connection.
 */
export interface PeerEgressGrant {
  /** DNS-1123 label naming the grant (and its NetworkPolicy `allow-egress-<name>`). */
  readonly name: string;
  /** The pods connected to. */
  readonly to: NetworkPeer;
  /** Ports opened; at least one. */
  readonly ports: readonly PolicyPort[];
}

export interface TenantNetworkPoliciesProps {
  /** The tenant namespace the policies apply to. */
  readonly namespace: string;
  /**
   * Egress the tenant is granted beyond cluster DNS. The instance metadata endpoints are always excluded.
   * @default [] (DNS only)
   */
  readonly egress?: readonly EgressGrant[];
  /**
   * Ways into the tenant's pods.
   * @default [] (nothing comes in: default deny)
   */
  readonly ingress?: readonly IngressGrant[];
  /**
   * Egress to pods of the cluster, paired with other grants' ingress.
   * @default []
   */
  readonly peerEgress?: readonly PeerEgressGrant[];
}

/** Names of the NetworkPolicies every tenant namespace gets. */
export const NETWORK_POLICY_NAMES = {
  defaultDeny: "default-deny-all",
  dns: "allow-dns-egress",
  egress: "allow-granted-egress",
  /** `allow-ingress-<grant>`: one per ingress grant. */
  ingressPrefix: "allow-ingress-",
  /** `allow-egress-<grant>`: one per egress to cluster pods. */
  peerEgressPrefix: "allow-egress-",
} as const;

/**
 * Default-deny networking for a tenant namespace: nothing in or out, except DNS to kube-dns and the egress
 * the tenant config grants (never to the instance metadata endpoint, where node credentials live).
 * NetworkPolicies only take effect with an enforcing CNI: the cluster enables the VPC CNI's network policy
 * agent.
 */
export class TenantNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const egress = props.egress ?? [];
    egress.forEach((grant, index) => assertCanonicalCidr(`TenantNetworkPolicies ${props.namespace}: egress[${index}].cidr`, grant.cidr));
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...MANAGED_BY_LABEL } });

    // Written as a plain L1 object: a cdk8s-plus NetworkPolicy with no rules leaves out Egress.
    new k8s.KubeNetworkPolicy(this, "default-deny", {
      metadata: metadata(NETWORK_POLICY_NAMES.defaultDeny),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });

    new k8s.KubeNetworkPolicy(this, "dns", {
      metadata: metadata(NETWORK_POLICY_NAMES.dns),
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": CLUSTER_DNS.namespace } },
                podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } },
              },
            ],
            ports: [
              { protocol: "UDP", port: k8s.IntOrString.fromNumber(CLUSTER_DNS.port) },
              { protocol: "TCP", port: k8s.IntOrString.fromNumber(CLUSTER_DNS.port) },
            ],
          },
        ],
      },
    });

    if (egress.length > 0) {
      new k8s.KubeNetworkPolicy(this, "egress", {
        metadata: metadata(NETWORK_POLICY_NAMES.egress),
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: egress.map((grant) => ({
            to: [policyPeer(Peer.cidr(grant.cidr))],
            ...(grant.ports ? { ports: policyPorts(grant.ports) } : {}),
          })),
        },
      });
    }
    this.addIngress(props.namespace, props.ingress ?? [], metadata);
    this.addPeerEgress(props.namespace, props.peerEgress ?? [], metadata);
  }

  private addIngress(namespace: string, grants: readonly IngressGrant[], metadata: (name: string) => k8s.ObjectMeta): void {
    for (const grant of grants) {
      const where = `TenantNetworkPolicies ${namespace}: ingress ${grant.name}`;
      assertPorts(where, grant.ports);
      if (grant.from.length === 0) throw new Error(`${where}: list at least one peer in from; an empty from would admit everyone`);
      for (const peer of grant.from) if (peer.kind === "cidr") assertCanonicalCidr(`${where}: from cidr`, peer.cidr);
      new k8s.KubeNetworkPolicy(this, `ingress-${grant.name}`, {
        metadata: metadata(`${NETWORK_POLICY_NAMES.ingressPrefix}${grant.name}`),
        spec: {
          podSelector: { matchLabels: grant.podLabels ? { ...grant.podLabels } : undefined },
          policyTypes: ["Ingress"],
          ingress: [{ from: grant.from.map(policyPeer), ports: policyPorts(grant.ports) }],
        },
      });
    }
  }

  private addPeerEgress(namespace: string, grants: readonly PeerEgressGrant[], metadata: (name: string) => k8s.ObjectMeta): void {
    for (const grant of grants) {
      const where = `TenantNetworkPolicies ${namespace}: peer egress ${grant.name}`;
      assertPorts(where, grant.ports);
      if (grant.to.kind === "cidr") throw new Error(`${where}: a CIDR belongs in egress, which keeps the metadata endpoints out`);
      new k8s.KubeNetworkPolicy(this, `peer-egress-${grant.name}`, {
        metadata: metadata(`${NETWORK_POLICY_NAMES.peerEgressPrefix}${grant.name}`),
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [policyPeer(grant.to)], ports: policyPorts(grant.ports) }] },
      });
    }
  }
}
