/** Cluster layer, the tenant baseline: Pod Security labels, NetworkPolicies, quotas, limits, the default ServiceAccount. */
import { PSS_VERSION_PATTERN } from "../../config/fields";
import { asArray } from "../evidence";
import { list } from "../plan-view";
import type { Control } from "../types";
import { BP, control, everyTenant, missing, network, NSA, requireAll, T_BASELINE, T_REPORT, tenantObject } from "./control";

/** Pod Security labels and the tenant NetworkPolicies, checked against the reachability analysis. */
const isolationControls: Control[] = [
  control(
    {
      id: "K8S-NS-POD-SECURITY",
      title: "Every tenant namespace enforces, audits and warns Pod Security restricted (or its configured level), version-pinned",
      layer: "cluster",
      checklist: "Pod Security Standards",
      nsa: NSA.psEnforcement,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    "construct",
    "TenantNamespace (Namespace labels)",
    { file: T_BASELINE, name: "tenant %s › Namespace enforces, audits and warns Pod Security restricted, pinned to the cluster version" },
    (ctx) =>
      everyTenant(ctx, (ns) => {
        const tenant = ctx.config.tenants.find((t) => t.name === ns);
        const level = tenant?.podSecurity ?? "restricted";
        return tenantObject(ctx, "Namespace", undefined, ns, (o) => {
          const labels = o.metadata?.labels ?? {};
          if (labels["pod-security.kubernetes.io/enforce"] !== level)
            return `enforce is ${labels["pod-security.kubernetes.io/enforce"] ?? "unset"}, not ${level}`;
          if (labels["pod-security.kubernetes.io/audit"] !== "restricted" || labels["pod-security.kubernetes.io/warn"] !== "restricted")
            return "audit/warn are not restricted";
          if (!PSS_VERSION_PATTERN.test(labels["pod-security.kubernetes.io/enforce-version"] ?? "")) return "enforce-version is not pinned";
          return undefined;
        });
      }),
  ),
  control(
    {
      id: "K8S-DEFAULT-DENY",
      title: "Every tenant namespace has a default-deny NetworkPolicy for ingress and egress",
      layer: "cluster",
      checklist: "default deny network policies",
      nsa: NSA.netpol,
      cis: "4.3.2 Ensure that all Namespaces have Network Policies defined",
      bp: BP.network,
    },
    "construct",
    "TenantNetworkPolicies (default-deny-all)",
    { file: T_BASELINE, name: "tenant %s › default deny: every pod, Ingress and Egress, no rules" },
    (ctx) => {
      const analysis = network(ctx);
      return everyTenant(
        ctx,
        (ns) =>
          tenantObject(ctx, "NetworkPolicy", ns, "default-deny-all", (o) => {
            const types = asArray(o.spec?.policyTypes);
            if (!types.includes("Ingress") || !types.includes("Egress")) return "does not cover both Ingress and Egress";
            if (Object.keys(o.spec?.podSelector ?? {}).length > 0) return "does not select every pod";
            if (asArray(o.spec?.ingress).length + asArray(o.spec?.egress).length > 0) return "has allow rules";
            return analysis.unisolated.includes(ns) ? "the namespace is not isolated" : undefined;
          }),
        ["network reachability analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-NO-CROSS-TENANT",
      title: "No tenant namespace can open connections to another tenant's pods, except where the stack config grants it",
      layer: "cluster",
      checklist: "default deny network policies",
      nsa: NSA.namespaces,
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantNetworkPolicies",
    { file: T_REPORT, name: "removing a control turns its row red › a policy opening web to payments: K8S-NO-CROSS-TENANT is missing" },
    (ctx) => {
      const analysis = network(ctx);
      // A connection the stack config grants (tenants[].ingress[].from.tenants) is declared, not a leak.
      const declared = (from: string, to: string) =>
        (ctx.config.tenants.find((t) => t.name === to)?.ingress ?? []).some((g) => (g.from.tenants ?? []).includes(from));
      const cross = analysis.edges.filter((e) => e.to.startsWith("ns:") && !declared(e.from, e.to.slice(3)));
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      return requireAll(
        analysis.namespaces.map((n) => `Namespace/${n.name}`),
        cross.map((e) => `${e.from} reaches ${e.to.slice(3)} on ${e.ports}`),
        ["network reachability analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-DNS-EGRESS-ONLY",
      title: "Tenant egress allows DNS only to kube-dns on port 53",
      layer: "cluster",
      checklist: "default deny network policies",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    "construct",
    "TenantNetworkPolicies (allow-dns-egress)",
    { file: T_BASELINE, name: "tenant %s › DNS egress only to kube-dns pods in kube-system, port 53 UDP and TCP" },
    (ctx) => {
      const analysis = network(ctx);
      return everyTenant(
        ctx,
        (ns) => {
          const dns = analysis.edges.find((e) => e.from === ns && e.to === "dns");
          const r = tenantObject(ctx, "NetworkPolicy", ns, "allow-dns-egress", () => undefined);
          if (!dns) r.problems.push(`${ns}: pods cannot resolve names (no DNS egress)`);
          else if (dns.ports !== "53/TCP, 53/UDP") r.problems.push(`${ns}: DNS egress is open on ${dns.ports}`);
          return r;
        },
        ["network reachability analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-METADATA-BLOCKED",
      title: "No tenant NetworkPolicy allows egress to the instance metadata endpoint 169.254.169.254",
      layer: "cluster",
      checklist: "block the metadata endpoint",
      nsa: NSA.cloudInfra,
      bp: BP.iam,
    },
    "construct",
    "TenantNetworkPolicies (allow-granted-egress)",
    { file: T_REPORT, name: "removing a control turns its row red › a granted CIDR covering the metadata endpoint: K8S-METADATA-BLOCKED is missing" },
    (ctx) => {
      const analysis = network(ctx);
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      const open = analysis.edges.filter((e) => e.to === "metadata");
      return requireAll(
        analysis.namespaces.map((n) => `Namespace/${n.name}`),
        open.map((e) => `${e.from} reaches the metadata endpoint on ${e.ports}`),
        ["network reachability analysis"],
      );
    },
  ),
  control(
    {
      id: "K8S-API-EGRESS-BLOCKED",
      title: "Tenant pods reach neither the API server's VPC addresses nor the whole internet through NetworkPolicies",
      layer: "cluster",
      checklist: "restrict API access",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    "construct",
    "TenantNetworkPolicies",
    {
      file: T_REPORT,
      name: "removing a control turns its row red › a tenant without any NetworkPolicy: it reaches the metadata endpoint, the API server and the internet",
    },
    (ctx) => {
      const analysis = network(ctx);
      if (analysis.namespaces.length === 0) return missing("no tenant namespaces synthesized");
      const open = analysis.edges.filter((e) => e.to === "apiserver" || e.to === "internet");
      return requireAll(
        analysis.namespaces.map((n) => `Namespace/${n.name}`),
        open.map((e) => `${e.from} reaches ${e.to} on ${e.ports}`),
        ["network reachability analysis"],
      );
    },
  ),
];

/** Per-tenant quotas, limits and the default ServiceAccount. */
const resourceControls: Control[] = [
  control(
    {
      id: "K8S-QUOTA",
      title: "Every tenant has a ResourceQuota; NodePorts and LoadBalancers are zero unless granted",
      layer: "cluster",
      checklist: "node isolation",
      nsa: NSA.resourcePolicies,
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantNamespace (ResourceQuota tenant-quota)",
    { file: T_BASELINE, name: "tenant %s › ResourceQuota and LimitRange exist with safe defaults and the tenant's overrides" },
    (ctx) =>
      everyTenant(ctx, (ns) =>
        tenantObject(ctx, "ResourceQuota", ns, "tenant-quota", (o) => {
          const hard = o.spec?.hard ?? {};
          if (!hard["limits.cpu"] || !hard["limits.memory"]) return "no CPU/memory limit quota";
          const tenant = ctx.config.tenants.find((t) => t.name === ns);
          const nodePorts = String(tenant?.quota?.servicesNodePorts ?? 0);
          return hard["services.nodeports"] === nodePorts ? undefined : `services.nodeports is ${hard["services.nodeports"] ?? "unlimited"}`;
        }),
      ),
  ),
  control(
    {
      id: "K8S-LIMITRANGE",
      title: "Every tenant has a LimitRange with default requests/limits and a per-container ceiling",
      layer: "cluster",
      checklist: "node isolation",
      nsa: NSA.resourcePolicies,
      bp: BP.multiTenancy,
    },
    "construct",
    "TenantNamespace (LimitRange tenant-limits)",
    { file: T_BASELINE, name: "tenant %s › ResourceQuota and LimitRange exist with safe defaults and the tenant's overrides" },
    (ctx) =>
      everyTenant(ctx, (ns) =>
        tenantObject(ctx, "LimitRange", ns, "tenant-limits", (o) => {
          const limit = list(o.spec?.limits).find((l) => l.type === "Container");
          return limit && limit.default && limit.max ? undefined : "no Container default and max";
        }),
      ),
  ),
  control(
    {
      id: "K8S-DEFAULT-SA-NO-TOKEN",
      title: "The default ServiceAccount of every tenant namespace mounts no API token",
      layer: "cluster",
      checklist: "service-account tokens",
      nsa: NSA.saTokens,
      cis: "4.1.5 Ensure that default service accounts are not actively used",
      bp: BP.iam,
    },
    "construct",
    "TenantNamespace (ServiceAccount default)",
    { file: T_BASELINE, name: "tenant %s › the default ServiceAccount mounts no API token" },
    (ctx) =>
      everyTenant(ctx, (ns) =>
        tenantObject(ctx, "ServiceAccount", ns, "default", (o) =>
          o.automountServiceAccountToken === false ? undefined : "automountServiceAccountToken is not false",
        ),
      ),
  ),
];

export const inClusterControls: Control[] = [...isolationControls, ...resourceControls];
