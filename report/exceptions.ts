/**
 * "Exceptions and accepted risks": every place the stack steps down from a secure default, with what it
 * affects, so a reviewer sees all of them in one table. Pure over the config and the synthesized charts.
 */
import type { BulwarkConfig } from "../config/model";
import { SYSTEM_NAMESPACES } from "../config/namespaces";
import type { SynthesizedChart } from "../constructs/synthesize";

/** One exception: which setting, what it weakens, where it applies. */
export interface AcceptedRisk {
  /** The stack-file key (or the object, for synthesized exceptions). */
  readonly key: string;
  /** What the exception allows that the default would not. */
  readonly risk: string;
  /** What it affects: namespaces, subjects, constraints. */
  readonly affects: string;
}

/** A risk-named opt-in anywhere in the config: a key `accept…` or `…Accepting…` set to true. */
const RISK_NAMED = /^accept[A-Z]|Accepting[A-Z]/;

function riskNamedOptIns(value: unknown, path: string, out: AcceptedRisk[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => riskNamedOptIns(item, `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) {
    const at = path ? `${path}.${key}` : key;
    if (RISK_NAMED.test(key) && child === true)
      out.push({ key: at, risk: "a risk-named opt-out of a secure default (see its documentation)", affects: path || "the stack" });
    else riskNamedOptIns(child, at, out);
  }
}

/** Constraints synthesized with an enforcement action below deny: violations are admitted. */
function constraintsBelowDeny(charts: readonly SynthesizedChart[]): AcceptedRisk[] {
  const out: AcceptedRisk[] = [];
  for (const chart of charts) {
    for (const object of chart.objects as { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: { enforcementAction?: string } }[]) {
      if (!String(object.apiVersion).startsWith("constraints.gatekeeper.sh/")) continue;
      const action = object.spec?.enforcementAction ?? "deny";
      if (action !== "deny")
        out.push({
          key: "bulwark:policy.enforcementAction(s)",
          risk: `violations are admitted (${action})`,
          affects: `${object.kind}/${object.metadata?.name}`,
        });
    }
  }
  return out;
}

/** Every exception of the stack, in a fixed order. */
export function acceptedRisks(config: BulwarkConfig, charts: readonly SynthesizedChart[]): AcceptedRisk[] {
  const out: AcceptedRisk[] = [];
  const policy = config.policy;
  for (const tenant of config.tenants) {
    if (tenant.podSecurity === "baseline") {
      out.push({
        key: `bulwark:tenants[${tenant.name}].podSecurity`,
        risk: "Pod Security enforced at baseline, not restricted (root, added capabilities and more are admitted)",
        affects: `namespace ${tenant.name}`,
      });
    }
  }
  const list = (items: readonly string[] | undefined) => [...(items ?? [])].sort().join(", ");
  if ((policy.serviceAccountTokenAllowlist ?? []).length > 0) {
    out.push({
      key: "bulwark:policy.serviceAccountTokenAllowlist",
      risk: "pods of these service accounts may mount a Kubernetes API token",
      affects: list(policy.serviceAccountTokenAllowlist),
    });
  }
  if ((policy.publicLoadBalancerNamespaces ?? []).length > 0) {
    out.push({
      key: "bulwark:policy.publicLoadBalancerNamespaces",
      risk: "LoadBalancer Services and Ingresses (IngressClass alb-internet-facing) may be internet-facing",
      affects: list(policy.publicLoadBalancerNamespaces),
    });
  }
  if ((policy.breakGlassClusterAdminBindings ?? []).length > 0) {
    out.push({
      key: "bulwark:policy.breakGlassClusterAdminBindings",
      risk: "these bindings may grant cluster-admin",
      affects: list(policy.breakGlassClusterAdminBindings),
    });
  }
  const exempt = [...(policy.exemptNamespaces ?? SYSTEM_NAMESPACES)].sort();
  out.push({ key: "bulwark:policy.exemptNamespaces", risk: "no Gatekeeper constraint applies in these namespaces", affects: exempt.join(", ") });
  if ((policy.rbacExemptRequesters ?? []).length > 0) {
    out.push({
      key: "bulwark:policy.rbacExemptRequesters",
      risk: "RBAC objects these users create are not judged by the RBAC guardrails",
      affects: list(policy.rbacExemptRequesters),
    });
  }
  if ((policy.publicSubjectBindings ?? []).length > 0) {
    out.push({
      key: "bulwark:policy.publicSubjectBindings",
      risk: "these bindings may grant to anonymous, unauthenticated or every-service-account subjects",
      affects: list(policy.publicSubjectBindings),
    });
  }
  if ((config.cluster.endpoint?.publicAccessCidrs ?? []).length > 0) {
    out.push({
      key: "bulwark:cluster.endpoint.publicAccessCidrs",
      risk: "the API server endpoint is reachable from outside the VPC",
      affects: list(config.cluster.endpoint?.publicAccessCidrs),
    });
  }
  out.push(...constraintsBelowDeny(charts));
  riskNamedOptIns({ "bulwark:cluster": config.cluster, "bulwark:tenants": config.tenants, "bulwark:policy": config.policy }, "", out);
  return out;
}
