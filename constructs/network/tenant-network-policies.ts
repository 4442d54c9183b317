import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { cidrContains, parseCidr } from "../../config/fields";
import { INSTANCE_METADATA_CIDRS } from "../../config/tenants";
import { CLUSTER_DNS, MANAGED_BY_LABEL } from "../baseline/defaults";

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

export interface TenantNetworkPoliciesProps {
  /** The tenant namespace the policies apply to. */
  readonly namespace: string;
  /**
   * Egress the tenant is granted beyond cluster DNS. The instance metadata endpoints are always excluded.
   * @default [] (DNS only)
   */
  readonly egress?: readonly EgressGrant[];
}

/** Names of the NetworkPolicies every tenant namespace gets. */
export const NETWORK_POLICY_NAMES = {
  defaultDeny: "default-deny-all",
  dns: "allow-dns-egress",
  egress: "allow-granted-egress",
} as const;

/**
 * The instance metadata addresses inside `cidr`, to put in `ipBlock.except`. Kubernetes requires every
 * `except` entry to lie inside the CIDR, so only the contained ones are listed; a CIDR that does not
 * contain them cannot reach them anyway.
 */
export function metadataExceptions(cidr: string): string[] {
  return [INSTANCE_METADATA_CIDRS.ipv4, INSTANCE_METADATA_CIDRS.ipv6].filter((imds) => cidrContains(cidr, imds));
}

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
    egress.forEach((grant, index) => {
      const parsed = parseCidr(grant.cidr);
      if ("error" in parsed) {
        throw new Error(`TenantNetworkPolicies ${props.namespace}: egress[${index}].cidr "${grant.cidr}" ${parsed.error}`);
      }
      if (parsed.canonical !== grant.cidr) {
        throw new Error(
          `TenantNetworkPolicies ${props.namespace}: egress[${index}].cidr "${grant.cidr}" must be canonical: use "${parsed.canonical}"`,
        );
      }
    });
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
          egress: egress.map((grant) => {
            const except = metadataExceptions(grant.cidr);
            return {
              to: [{ ipBlock: except.length > 0 ? { cidr: grant.cidr, except } : { cidr: grant.cidr } }],
              ...(grant.ports
                ? {
                    ports: grant.ports.map((p) => ({
                      protocol: p.protocol ?? "TCP",
                      port: k8s.IntOrString.fromNumber(p.port),
                    })),
                  }
                : {}),
            };
          }),
        },
      });
    }
  }
}
