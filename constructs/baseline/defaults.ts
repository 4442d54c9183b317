/**
 * Secure defaults of the namespace baseline, in one place. Every construct resolves its optional props
 * against these; the stack config only overrides them.
 */

/** Pod Security Standard level a tenant namespace enforces unless its config says `baseline`. */
export const DEFAULT_POD_SECURITY_LEVEL = "restricted" as const;

/** ResourceQuota of a tenant namespace. NodePorts and LoadBalancers are off until a tenant asks. */
export const DEFAULT_TENANT_QUOTA = {
  requestsCpu: "4",
  requestsMemory: "8Gi",
  limitsCpu: "8",
  limitsMemory: "16Gi",
  requestsStorage: "100Gi",
  pods: 50,
  services: 20,
  servicesLoadBalancers: 0,
  servicesNodePorts: 0,
  persistentVolumeClaims: 10,
  configMaps: 50,
  secrets: 50,
} as const;

/** LimitRange of a tenant namespace: defaults for containers that set nothing, and a per-container ceiling. */
export const DEFAULT_TENANT_LIMITS = {
  defaultCpuRequest: "100m",
  defaultMemoryRequest: "128Mi",
  defaultCpuLimit: "500m",
  defaultMemoryLimit: "512Mi",
  maxCpu: "4",
  maxMemory: "8Gi",
} as const;

/** Where cluster DNS runs: the only egress every tenant pod gets by default. */
export const CLUSTER_DNS = {
  namespace: "kube-system",
  podLabels: { "k8s-app": "kube-dns" },
  port: 53,
} as const;

/** Label Bulwark puts on everything it manages, so reviewers and policies can tell its objects apart. */
export const MANAGED_BY_LABEL = { "app.kubernetes.io/managed-by": "bulwark" } as const;

/**
 * The label every tenant Namespace carries (value: the tenant's name). Namespaces are cluster-scoped and
 * tenant Roles are namespaced, so a tenant can neither set it nor take it off: cluster-wide guardrails
 * select tenants by it.
 */
export const TENANT_NAMESPACE_LABEL = "bulwark.dev/tenant";
