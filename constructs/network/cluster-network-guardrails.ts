import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { INSTANCE_METADATA_CIDRS } from "../../config/tenants";
import { MANAGED_BY_LABEL, TENANT_NAMESPACE_LABEL } from "../baseline/defaults";

/**
 * The API of the VPC CNI's cluster-wide network policies (ClusterNetworkPolicy, VPC CNI >= 1.21.1 with the
 * EKS-managed network policy controller). Schema: `config/crd/bases/networking.k8s.aws_clusternetworkpolicies.yaml`
 * and `api/v1alpha1/clusternetworkpolicy_types.go` of aws/amazon-network-policy-controller-k8s; vendored as test
 * data in `test/fixtures/crds/`.
 */
export const CLUSTER_NETWORK_POLICY_API = { apiVersion: "networking.k8s.aws/v1alpha1", kind: "ClusterNetworkPolicy" } as const;

/**
 * Priorities within a tier: lower wins (0-1000). The metadata deny comes first so no later rule of the
 * blueprint can shadow it.
 */
export const GUARDRAIL_PRIORITIES = { instanceMetadata: 10, tenantIsolation: 20, baselineDefaultDeny: 100 } as const;

/** One tenant as the guardrails see it. */
export interface GuardrailTenant {
  /** The tenant's namespace. */
  readonly name: string;
  /**
   * Other tenants the stack config lets connect to this one (`tenants[].ingress[].from.tenants`); the Admin
   * tier passes them to the namespace's NetworkPolicies instead of denying them.
   * @default [] (no other tenant gets in)
   */
  readonly admitsTenants?: readonly string[];
}

export interface ClusterNetworkGuardrailsProps {
  /** Every tenant of the stack. */
  readonly tenants: readonly GuardrailTenant[];
}

/** Names of the ClusterNetworkPolicies the guardrails create. */
export const GUARDRAIL_NAMES = {
  instanceMetadata: "bulwark-deny-instance-metadata",
  tenantIsolationPrefix: "bulwark-isolate-",
  baselineDefaultDeny: "bulwark-baseline-default-deny",
} as const;

const tenantNamespaces = { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: "Exists" }] };

/**
 * Network guardrails tenants cannot override (the checklists' "prevent this being overridden or bypassed by
 * users"): namespaced NetworkPolicies only add allows, so the denies live in the VPC CNI's cluster-scoped
 * ClusterNetworkPolicies, which tenant Roles cannot touch.
 * - Admin tier: no tenant pod reaches the instance metadata endpoints (IPv4 and IPv6), whatever its
 *   NetworkPolicies say; no tenant receives traffic from another tenant that the stack config does not name.
 * - Baseline tier: whatever no NetworkPolicy decides is denied, so deleting a namespace's default deny
 *   opens nothing.
 */
export class ClusterNetworkGuardrails extends Construct {
  constructor(scope: Construct, id: string, props: ClusterNetworkGuardrailsProps) {
    super(scope, id);
    const known = new Set(props.tenants.map((t) => t.name));
    for (const tenant of props.tenants) {
      for (const source of tenant.admitsTenants ?? []) {
        if (!known.has(source) || source === tenant.name) {
          throw new Error(`ClusterNetworkGuardrails: tenant ${tenant.name} admits "${source}", which is not another tenant of the stack`);
        }
      }
    }
    this.policy("instance-metadata", GUARDRAIL_NAMES.instanceMetadata, {
      tier: "Admin",
      priority: GUARDRAIL_PRIORITIES.instanceMetadata,
      subject: { namespaces: tenantNamespaces },
      egress: [{ name: "deny-instance-metadata", action: "Deny", to: [{ networks: [INSTANCE_METADATA_CIDRS.ipv4, INSTANCE_METADATA_CIDRS.ipv6] }] }],
    });
    for (const tenant of [...props.tenants].sort((a, b) => a.name.localeCompare(b.name))) {
      const admitted = [tenant.name, ...[...(tenant.admitsTenants ?? [])].sort()];
      this.policy(`isolate-${tenant.name}`, `${GUARDRAIL_NAMES.tenantIsolationPrefix}${tenant.name}`, {
        tier: "Admin",
        priority: GUARDRAIL_PRIORITIES.tenantIsolation,
        subject: { namespaces: { matchLabels: { "kubernetes.io/metadata.name": tenant.name } } },
        ingress: [
          {
            name: "deny-other-tenants",
            action: "Deny",
            from: [
              {
                namespaces: {
                  matchExpressions: [
                    { key: TENANT_NAMESPACE_LABEL, operator: "Exists" },
                    { key: "kubernetes.io/metadata.name", operator: "NotIn", values: admitted },
                  ],
                },
              },
            ],
          },
        ],
      });
    }
    this.policy("baseline-default-deny", GUARDRAIL_NAMES.baselineDefaultDeny, {
      tier: "Baseline",
      priority: GUARDRAIL_PRIORITIES.baselineDefaultDeny,
      subject: { namespaces: tenantNamespaces },
      ingress: [{ name: "deny-all-ingress", action: "Deny", from: [{ namespaces: {} }] }],
      egress: [{ name: "deny-all-egress", action: "Deny", to: [{ namespaces: {} }, { networks: ["0.0.0.0/0", "::/0"] }] }],
    });
  }

  private policy(id: string, name: string, spec: Record<string, unknown>): ApiObject {
    return new ApiObject(this, id, { ...CLUSTER_NETWORK_POLICY_API, metadata: { name, labels: { ...MANAGED_BY_LABEL } }, spec });
  }
}
