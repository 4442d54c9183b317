import type { ClusterConfig } from "./cluster";
import type { PolicyConfig } from "./policy";
import type { TenantConfig } from "./tenants";
import { TENANT_TIERS } from "./tenants";

/** A problem found across keys: where it is (path in the stack's config), the value and what is accepted. */
export interface CrossKeyProblem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

/**
 * Rules no single key can check: a tenant namespace must not be exempt from the policies meant to police
 * it, and one IAM principal must not be both a cluster admin and a tenant principal (the tenant's
 * namespace-scoped access would hide cluster-wide admin access behind a tenant role).
 */
export function crossKeyProblems(cluster: ClusterConfig, tenants: readonly TenantConfig[], policy: PolicyConfig): CrossKeyProblem[] {
  const problems: CrossKeyProblem[] = [];
  const tenantNames = new Set(tenants.map((tenant) => tenant.name));
  (policy.exemptNamespaces ?? []).forEach((namespace, index) => {
    if (!tenantNames.has(namespace)) return;
    problems.push({
      path: ["bulwark:policy", "exemptNamespaces", index],
      value: namespace,
      message:
        "is a tenant namespace: exempting it turns off every policy for that tenant; exempt only platform namespaces (kube-system, gatekeeper-system, ...)",
    });
  });
  const admins = new Set(cluster.adminPrincipals ?? []);
  tenants.forEach((tenant, tenantIndex) => {
    for (const tier of TENANT_TIERS) {
      (tenant.awsPrincipals?.[tier] ?? []).forEach((arn, index) => {
        if (!admins.has(arn)) return;
        problems.push({
          path: ["bulwark:tenants", tenantIndex, "awsPrincipals", tier, index],
          value: arn,
          message: "is also in bulwark:cluster.adminPrincipals (cluster admin); use a separate IAM principal for the tenant",
        });
      });
    }
  });
  problems.push(...serviceProblems(tenants, policy));
  return problems;
}

/** Services whose image no allowed registry serves, or whose internet-facing Ingress sits outside the public namespaces. */
function serviceProblems(tenants: readonly TenantConfig[], policy: PolicyConfig): CrossKeyProblem[] {
  const problems: CrossKeyProblem[] = [];
  const publicNamespaces = new Set(policy.publicLoadBalancerNamespaces ?? []);
  tenants.forEach((tenant, tenantIndex) => {
    (tenant.services ?? []).forEach((service, index) => {
      const path = ["bulwark:tenants", tenantIndex, "services", index];
      if (!policy.allowedRegistries.some((prefix) => service.image.startsWith(prefix))) {
        problems.push({
          path: [...path, "image"],
          value: service.image,
          message: `is not from an allowed registry (bulwark:policy.allowedRegistries: ${policy.allowedRegistries.join(", ")}); admission would refuse its pods`,
        });
      }
      if (policy.requireImageDigest === true && !service.image.includes("@sha256:")) {
        problems.push({
          path: [...path, "image"],
          value: service.image,
          message: "must be pinned by digest (registry/repo@sha256:...): bulwark:policy.requireImageDigest is true",
        });
      }
      if (service.ingress?.scheme === "internet-facing" && !publicNamespaces.has(tenant.name)) {
        problems.push({
          path: [...path, "ingress", "scheme"],
          value: "internet-facing",
          message: `needs tenant ${tenant.name} in bulwark:policy.publicLoadBalancerNamespaces (the internet-facing IngressClass refuses every other namespace); use internal, or list the namespace to accept a public load balancer`,
        });
      }
    });
  });
  return problems;
}

/**
 * Why a config key is not a Pulumi `namespace:name` key in ASCII, or undefined. A look-alike namespace
 * (Cyrillic `bulwаrk:deploy`) would otherwise be taken for another provider's key and ignored.
 */
export function configKeyProblem(key: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(key)) {
    const odd = [...key].find((char) => !/[\x21-\x7e]/.test(char)) ?? "";
    return `must be an ASCII namespace:name key; it contains U+${(odd.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")} (a look-alike or invisible character)`;
  }
  if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.:/-]+$/.test(key)) return "must be a namespace:name key such as bulwark:cluster or aws:region";
  return undefined;
}
