/**
 * The namespaces Kubernetes, EKS and the blueprint itself run in: the one home of these names. Every
 * exemption list, reserved-name rule and report model derives from here.
 */

/** Where Gatekeeper runs (the chart's namespace). */
export const GATEKEEPER_NAMESPACE = "gatekeeper-system";

/** Where the control plane's add-ons run (CoreDNS, the VPC CNI, kube-proxy, the EBS CSI driver). */
export const KUBE_SYSTEM_NAMESPACE = "kube-system";

/**
 * The system namespaces: exempt from every constraint unless the stack sets `bulwark:policy.exemptNamespaces`,
 * so a policy can never lock the cluster. Sorted; an explicit list, never a wildcard.
 */
export const SYSTEM_NAMESPACES = [GATEKEEPER_NAMESPACE, "kube-node-lease", "kube-public", KUBE_SYSTEM_NAMESPACE] as const;

/** Namespaces Gatekeeper never blocks whatever the stack says, so it can neither lock the cluster nor itself. */
export const ALWAYS_EXEMPT_NAMESPACES = [GATEKEEPER_NAMESPACE, KUBE_SYSTEM_NAMESPACE] as const;

/** Namespaces a tenant may never take: the system namespaces and `default`. Names starting `kube-` are refused too. */
export const RESERVED_NAMESPACES = ["default", ...SYSTEM_NAMESPACES] as const;

/** Whether a tenant may not use `name` as its namespace. */
export function isReservedNamespace(name: string): boolean {
  return (RESERVED_NAMESPACES as readonly string[]).includes(name) || name.startsWith("kube-");
}
