import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import type { KubernetesVersion } from "../../config/cluster";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../config/cluster";
import { dns1123Label, labelValue, quantity } from "../../config/fields";
import { isReservedNamespace } from "../../config/namespaces";
import type { TenantTier } from "../../config/tenants";
import type { EgressGrant, IngressGrant, PeerEgressGrant } from "../network/tenant-network-policies";
import { TenantNetworkPolicies } from "../network/tenant-network-policies";
import { TenantRoles } from "../rbac/tenant-roles";
import { WorkloadIdentityAccess } from "./workload-identity";
import { DEFAULT_POD_SECURITY_LEVEL, DEFAULT_TENANT_LIMITS, DEFAULT_TENANT_QUOTA, MANAGED_BY_LABEL, TENANT_NAMESPACE_LABEL } from "./defaults";

/** Pod Security Standard levels a tenant may enforce. `privileged` is not expressible. */
export type TenantPodSecurityLevel = "restricted" | "baseline";

/** Overrides of the namespace's ResourceQuota; unset fields keep {@link DEFAULT_TENANT_QUOTA}. */
export type TenantQuota = { readonly [K in keyof typeof DEFAULT_TENANT_QUOTA]?: (typeof DEFAULT_TENANT_QUOTA)[K] extends number ? number : string };

/** Overrides of the namespace's LimitRange; unset fields keep {@link DEFAULT_TENANT_LIMITS}. */
export type TenantLimits = { readonly [K in keyof typeof DEFAULT_TENANT_LIMITS]?: string };

export interface TenantNamespaceProps {
  /** Namespace name (DNS-1123 label, not a reserved namespace). */
  readonly name: string;
  /** The owning team, written to the `owner` label. */
  readonly owner: string;
  /** Kubernetes minor version of the cluster: pins the Pod Security `-version` labels. */
  readonly kubernetesVersion: KubernetesVersion;
  /**
   * Pod Security Standard the namespace enforces. `audit` and `warn` are always `restricted`, so a
   * baseline tenant still sees what restricted would reject.
   * @default "restricted"
   */
  readonly podSecurity?: TenantPodSecurityLevel;
  /**
   * ResourceQuota overrides.
   * @default DEFAULT_TENANT_QUOTA (no NodePorts, no LoadBalancers)
   */
  readonly quota?: TenantQuota;
  /**
   * LimitRange overrides.
   * @default DEFAULT_TENANT_LIMITS
   */
  readonly limits?: TenantLimits;
  /**
   * Egress beyond cluster DNS. The instance metadata endpoints are always excluded.
   * @default [] (DNS only)
   */
  readonly egress?: readonly EgressGrant[];
  /**
   * Ways into the tenant's pods, each its own NetworkPolicy.
   * @default [] (nothing comes in)
   */
  readonly ingress?: readonly IngressGrant[];
  /**
   * Egress to pods of the cluster: the sending side of ingress grants (here or in other tenants).
   * @default []
   */
  readonly peerEgress?: readonly PeerEgressGrant[];
  /**
   * Service accounts with an AWS identity (EKS Pod Identity): each gets its service account and egress to
   * the Pod Identity agent for the pods that carry its label.
   * @default [] (no AWS identity; pods get no credentials)
   */
  readonly workloadIdentities?: readonly string[];
  /**
   * Kubernetes groups bound to each RBAC tier, as the API server sees them.
   * @default no bindings
   */
  readonly groups?: Readonly<Partial<Record<TenantTier, readonly string[]>>>;
}

/** Names of the singleton objects in every tenant namespace. */
export const BASELINE_OBJECT_NAMES = { quota: "tenant-quota", limits: "tenant-limits", serviceAccount: "default" } as const;

function check(
  prop: string,
  value: string,
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  namespace: string,
): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`TenantNamespace ${namespace}: ${prop} "${value}" ${result.error?.issues[0]?.message ?? "is invalid"}`);
  }
}

/**
 * The namespace baseline of one tenant: the Namespace with Pod Security Admission labels, a ResourceQuota
 * and LimitRange, a `default` ServiceAccount that mounts no token, default-deny NetworkPolicies, and
 * least-privilege RBAC bound to the tenant's groups.
 */
export class TenantNamespace extends Construct {
  /** The namespace name. */
  readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const name = props.name;
    check("name", name, dns1123Label, name);
    if (isReservedNamespace(name)) {
      throw new Error(`TenantNamespace ${name}: name "${name}" is reserved; choose a namespace of the tenant's own`);
    }
    check("owner", props.owner, labelValue, name);
    if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(props.kubernetesVersion)) {
      throw new Error(
        `TenantNamespace ${name}: kubernetesVersion "${props.kubernetesVersion}" is not supported; use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
      );
    }
    const level = props.podSecurity ?? DEFAULT_POD_SECURITY_LEVEL;
    if (level !== "restricted" && level !== "baseline") {
      throw new Error(`TenantNamespace ${name}: podSecurity "${String(level)}" must be "restricted" or "baseline"`);
    }
    const quota = { ...DEFAULT_TENANT_QUOTA, ...props.quota };
    const limits = { ...DEFAULT_TENANT_LIMITS, ...props.limits };
    for (const [key, value] of [...Object.entries(quota), ...Object.entries(limits)]) {
      if (typeof value === "string") check(`quota/limits ${key}`, value, quantity, name);
    }
    this.namespaceName = name;

    const version = `v${props.kubernetesVersion}`;
    new k8s.KubeNamespace(this, "namespace", {
      metadata: {
        name,
        labels: {
          ...MANAGED_BY_LABEL,
          owner: props.owner,
          [TENANT_NAMESPACE_LABEL]: name,
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": version,
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": version,
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": version,
        },
      },
    });

    const metadata = (objectName: string) => ({ name: objectName, namespace: name, labels: { ...MANAGED_BY_LABEL } });
    this.addResourceBounds(metadata, quota, limits);

    // Pods that do not name a service account run as `default`; it must not hand them an API token.
    new k8s.KubeServiceAccount(this, "default-service-account", {
      metadata: metadata(BASELINE_OBJECT_NAMES.serviceAccount),
      automountServiceAccountToken: false,
    });

    new TenantNetworkPolicies(this, "network", { namespace: name, egress: props.egress, ingress: props.ingress, peerEgress: props.peerEgress });
    new TenantRoles(this, "rbac", { namespace: name, groups: props.groups });
    for (const serviceAccountName of props.workloadIdentities ?? []) {
      new WorkloadIdentityAccess(this, `workload-identity-${serviceAccountName}`, { namespace: name, serviceAccountName });
    }
  }

  /** The ResourceQuota and the LimitRange: what the namespace may consume, and per-container defaults and ceilings. */
  private addResourceBounds(metadata: (objectName: string) => k8s.ObjectMeta, quota: Required<TenantQuota>, limits: Required<TenantLimits>): void {
    const q = k8s.Quantity.fromString;
    new k8s.KubeResourceQuota(this, "quota", {
      metadata: metadata(BASELINE_OBJECT_NAMES.quota),
      spec: {
        hard: {
          "requests.cpu": q(quota.requestsCpu),
          "requests.memory": q(quota.requestsMemory),
          "limits.cpu": q(quota.limitsCpu),
          "limits.memory": q(quota.limitsMemory),
          "requests.storage": q(quota.requestsStorage),
          pods: q(String(quota.pods)),
          services: q(String(quota.services)),
          "services.loadbalancers": q(String(quota.servicesLoadBalancers)),
          "services.nodeports": q(String(quota.servicesNodePorts)),
          persistentvolumeclaims: q(String(quota.persistentVolumeClaims)),
          configmaps: q(String(quota.configMaps)),
          secrets: q(String(quota.secrets)),
        },
      },
    });

    new k8s.KubeLimitRange(this, "limits", {
      metadata: metadata(BASELINE_OBJECT_NAMES.limits),
      spec: {
        limits: [
          {
            type: "Container",
            defaultRequest: { cpu: q(limits.defaultCpuRequest), memory: q(limits.defaultMemoryRequest) },
            default: { cpu: q(limits.defaultCpuLimit), memory: q(limits.defaultMemoryLimit) },
            max: { cpu: q(limits.maxCpu), memory: q(limits.maxMemory) },
          },
        ],
      },
    });
  }
}
