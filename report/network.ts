/**
 * Network reachability computed from the synthesized NetworkPolicies (never hard-coded): which tenant
 * namespaces can reach which, DNS, granted CIDRs, the internet, the instance metadata endpoint and the
 * API server. Conservative where the model is coarse: a direction counts as isolated only when a policy
 * selecting ALL pods (`podSelector: {}`) isolates it, and an ipBlock overlapping the VPC CIDR reaches the
 * pods (the VPC CNI gives pods VPC addresses) and the API server's ENIs.
 */
import { cidrContains, cidrNetwork } from "../config/fields";
import type { K8sObject } from "./evidence";
import { asArray, field, nameOf, namespaceOf, objectsOfKind } from "./evidence";
import type { SynthesizedChart } from "../constructs/synthesize";
import { CLUSTER_DNS } from "../constructs/baseline/defaults";
import { asLabelSelector, isEmptySelector, selectorMatches } from "../constructs/label-selector";
import type { LoadBalancerPath } from "./load-balancer-paths";
import { loadBalancerPaths } from "./load-balancer-paths";

export const METADATA_IP = "169.254.169.254";
/** Address ranges that are not "the internet". */
const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10"];

/** The IPv4 network of an address or CIDR; undefined for anything else (IPv6 is out of this model). */
function ipv4Network(cidr: string): string | undefined {
  const network = cidrNetwork(cidr);
  return network?.family === 4 ? network.canonical : undefined;
}

/** Does `cidr` minus `except` contain any address of `target`? */
function ipBlockReaches(cidr: string, except: readonly string[], target: string): boolean {
  const block = ipv4Network(cidr);
  const t = ipv4Network(target);
  // Two CIDRs overlap exactly when one contains the other.
  if (!block || !t || !(cidrContains(block, t) || cidrContains(t, block))) return false;
  return !except.some((e) => {
    const r = ipv4Network(e);
    return r !== undefined && cidrContains(r, t);
  });
}

/**
 * Does the block reach public addresses (anything outside the private, link-local and CGNAT ranges)? No
 * two of those ranges join into a larger one, so a block is non-public only when one of them contains it.
 */
function ipBlockIsPublic(cidr: string): boolean {
  const block = ipv4Network(cidr);
  if (!block) return cidr.includes(":"); // an IPv6 block: count it as public
  return !NON_PUBLIC.some((range) => cidrContains(range, block));
}

/** A namespace as the policies see it: its name and labels (with the automatic metadata.name label). */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** A tenant namespace of this stack (its policies are in the manifests). */
  readonly tenant: boolean;
}

/** A reachability edge: `from` namespace to a target, on ports. */
export interface Edge {
  readonly from: string;
  /** `ns:<name>`, `dns`, `cidr:<cidr>`, `internet`, `metadata`, `apiserver`. */
  readonly to: string;
  readonly ports: string;
}

export interface NetworkAnalysis {
  readonly namespaces: readonly NamespaceInfo[];
  readonly edges: readonly Edge[];
  /**
   * Ways in from outside the tenants: `from` is `cidr:<cidr>` (load balancers in the VPC, listed networks) or
   * `anywhere` (a namespace whose ingress is not isolated); `to` is `ns:<name>`.
   */
  readonly entries: readonly Edge[];
  /** Ways in through ALBs: Ingress → Service → pods, with the NetworkPolicy that admits the ALB's targets. */
  readonly loadBalancers: readonly LoadBalancerPath[];
  /** Tenant namespaces whose egress/ingress is not isolated for all pods. */
  readonly unisolated: readonly string[];
  readonly vpcCidr: string | undefined;
}

function policyTypes(policy: K8sObject): string[] {
  const declared = asArray(field(policy, "spec", "policyTypes")).map(String);
  if (declared.length > 0) return declared;
  // Kubernetes' default: Ingress always, Egress when egress rules are present.
  return field(policy, "spec", "egress") === undefined ? ["Ingress"] : ["Ingress", "Egress"];
}

function portsOf(rule: unknown): string {
  const ports = asArray(field(rule, "ports"));
  if (ports.length === 0) return "any port";
  return [...new Set(ports.map((p) => `${String(field(p, "port") ?? "any")}/${String(field(p, "protocol") ?? "TCP")}`))].sort().join(", ");
}

const KUBE_SYSTEM: NamespaceInfo = { name: CLUSTER_DNS.namespace, labels: { "kubernetes.io/metadata.name": CLUSTER_DNS.namespace }, tenant: false };

const UNISOLATED_TARGETS = ["dns", "internet", "metadata", "apiserver"] as const;

/** The synthesized namespaces and NetworkPolicies, and the edges found so far. */
class NetworkModel {
  readonly namespaces: NamespaceInfo[];
  readonly everyNamespace: NamespaceInfo[];
  readonly edges = new Map<string, Edge>();
  readonly entries = new Map<string, Edge>();
  private readonly policies: K8sObject[];

  constructor(
    charts: readonly SynthesizedChart[],
    readonly vpcCidr: string | undefined,
  ) {
    this.namespaces = objectsOfKind(charts, "Namespace").map((ns) => ({
      name: nameOf(ns),
      labels: { ...((field(ns, "metadata", "labels") ?? {}) as Record<string, string>), "kubernetes.io/metadata.name": nameOf(ns) },
      tenant: true,
    }));
    this.namespaces.sort((a, b) => a.name.localeCompare(b.name));
    this.everyNamespace = [...this.namespaces, KUBE_SYSTEM];
    this.policies = objectsOfKind(charts, "NetworkPolicy");
  }

  /** Records `from → to` on `ports`, merging ports with an edge already there. */
  add(from: string, to: string, ports: string, into: Map<string, Edge> = this.edges): void {
    const key = `${from}|${to}`;
    const existing = into.get(key);
    const merged = existing ? [...new Set([...existing.ports.split(", "), ...ports.split(", ")])].sort().join(", ") : ports;
    into.set(key, { from, to, ports: merged.includes("any port") ? "any port" : merged });
  }

  policiesOf(ns: string, direction: "Ingress" | "Egress"): K8sObject[] {
    return this.policies.filter((p) => namespaceOf(p) === ns && policyTypes(p).includes(direction));
  }

  isolated(ns: string, direction: "Ingress" | "Egress"): boolean {
    return this.policiesOf(ns, direction).some((p) => isEmptySelector(asLabelSelector(field(p, "spec", "podSelector"))));
  }

  /** The ports on which pods of `source` may connect into `target` (undefined: none). */
  ingressAllows(target: NamespaceInfo, source: NamespaceInfo): string | undefined {
    if (!this.isolated(target.name, "Ingress")) return "any port";
    const allowed: string[] = [];
    for (const p of this.policiesOf(target.name, "Ingress")) {
      for (const rule of asArray(field(p, "spec", "ingress"))) {
        const from = asArray(field(rule, "from"));
        const match =
          from.length === 0 ||
          from.some((peer) => {
            const nsSel = field(peer, "namespaceSelector");
            const ipBlock = field(peer, "ipBlock");
            if (ipBlock !== undefined)
              return this.vpcCidr !== undefined && ipBlockReaches(String(field(ipBlock, "cidr")), asArray(field(ipBlock, "except")).map(String), this.vpcCidr);
            if (nsSel === undefined) return source.name === target.name; // podSelector alone: same namespace
            return selectorMatches(asLabelSelector(nsSel) ?? {}, source.labels);
          });
        if (match) allowed.push(portsOf(rule));
      }
    }
    return allowed.length > 0 ? allowed.join(", ") : undefined;
  }

  /** An egress edge from `ns` into another tenant namespace, when that namespace's ingress admits it. */
  reachNamespace(ns: NamespaceInfo, target: NamespaceInfo, ports: string): void {
    if (target.tenant && this.ingressAllows(target, ns) !== undefined) this.add(ns.name, `ns:${target.name}`, ports);
  }

  /** Every egress edge of tenant namespace `ns`. */
  addEgress(ns: NamespaceInfo): void {
    if (!this.isolated(ns.name, "Egress")) {
      for (const t of this.namespaces) if (t.name !== ns.name) this.reachNamespace(ns, t, "any port");
      for (const to of UNISOLATED_TARGETS) this.add(ns.name, to, "any port");
      return;
    }
    for (const p of this.policiesOf(ns.name, "Egress")) {
      for (const rule of asArray(field(p, "spec", "egress"))) {
        const ports = portsOf(rule);
        const to = asArray(field(rule, "to"));
        if (to.length === 0) {
          for (const t of this.namespaces) if (t.name !== ns.name) this.reachNamespace(ns, t, ports);
          for (const target of UNISOLATED_TARGETS) this.add(ns.name, target, ports);
          continue;
        }
        for (const peer of to) this.addEgressPeer(ns, peer, ports);
      }
    }
  }

  private addEgressPeer(ns: NamespaceInfo, peer: unknown, ports: string): void {
    const ipBlock = field(peer, "ipBlock");
    if (ipBlock !== undefined) {
      const cidr = String(field(ipBlock, "cidr"));
      const except = asArray(field(ipBlock, "except")).map(String);
      this.add(ns.name, `cidr:${cidr}`, ports);
      if (ipBlockReaches(cidr, except, METADATA_IP)) this.add(ns.name, "metadata", ports);
      // "internet" is all public addresses; a granted public range is its own node.
      if (/\/0$/.test(cidr)) this.add(ns.name, "internet", ports);
      if (this.vpcCidr !== undefined && ipBlockReaches(cidr, except, this.vpcCidr)) {
        this.add(ns.name, "apiserver", ports);
        for (const t of this.namespaces) if (t.name !== ns.name) this.reachNamespace(ns, t, ports);
      }
      return;
    }
    const nsSel = field(peer, "namespaceSelector");
    const podSel = field(peer, "podSelector");
    const targets = nsSel === undefined ? [ns] : this.everyNamespace.filter((t) => selectorMatches(asLabelSelector(nsSel) ?? {}, t.labels));
    for (const t of targets) {
      if (t.name === CLUSTER_DNS.namespace) {
        // Only kube-dns is modelled in kube-system; a selector that admits it reaches DNS.
        if (selectorMatches(asLabelSelector(podSel) ?? {}, CLUSTER_DNS.podLabels)) this.add(ns.name, "dns", ports);
      } else if (t.name !== ns.name) this.reachNamespace(ns, t, ports);
    }
  }

  /** Ways into `ns` from outside the tenants: the CIDRs its ingress policies admit, or anywhere when not isolated. */
  addEntries(ns: NamespaceInfo): void {
    if (!this.isolated(ns.name, "Ingress")) {
      this.add("anywhere", `ns:${ns.name}`, "any port", this.entries);
      return;
    }
    for (const p of this.policiesOf(ns.name, "Ingress")) {
      for (const rule of asArray(field(p, "spec", "ingress"))) {
        for (const peer of asArray(field(rule, "from"))) {
          const ipBlock = field(peer, "ipBlock");
          if (ipBlock !== undefined) this.add(`cidr:${String(field(ipBlock, "cidr"))}`, `ns:${ns.name}`, portsOf(rule), this.entries);
        }
      }
    }
  }
}

const sortedEdges = (edges: Map<string, Edge>) => [...edges.values()].sort((a, b) => `${a.from}|${a.to}`.localeCompare(`${b.from}|${b.to}`));

/** Computes the reachability graph of the synthesized tenant namespaces. */
export function analyzeNetwork(charts: readonly SynthesizedChart[], vpcCidr: string | undefined): NetworkAnalysis {
  const model = new NetworkModel(charts, vpcCidr);
  const unisolated = new Set<string>();
  for (const ns of model.namespaces) {
    if (!model.isolated(ns.name, "Ingress") || !model.isolated(ns.name, "Egress")) unisolated.add(ns.name);
    model.addEgress(ns);
    model.addEntries(ns);
  }
  return {
    namespaces: model.namespaces,
    edges: sortedEdges(model.edges),
    entries: sortedEdges(model.entries),
    loadBalancers: loadBalancerPaths(charts, vpcCidr),
    unisolated: [...unisolated].sort(),
    vpcCidr,
  };
}

const mermaidId = (target: string) => target.replace(/[^A-Za-z0-9]/g, "_");

/** The reachability graph as a Mermaid flowchart: allowed edges solid, the sensitive endpoints crossed when blocked. */
export function toMermaid(analysis: NetworkAnalysis): string {
  const lines = ["flowchart LR"];
  const label = (target: string): string => {
    if (target.startsWith("ns:")) return `namespace ${target.slice(3)}`;
    if (target.startsWith("cidr:")) return `${target.slice(5)} (${ipBlockIsPublic(target.slice(5)) ? "public" : "private"})`;
    return (
      {
        dns: "kube-dns in kube-system",
        internet: "internet",
        metadata: `instance metadata ${METADATA_IP}`,
        apiserver: `Kubernetes API server${analysis.vpcCidr ? ` (VPC ${analysis.vpcCidr})` : ""}`,
        anywhere: "anywhere (ingress not isolated)",
      }[target] ?? target
    );
  };
  const nodes = new Set<string>(["dns", "internet", "metadata", "apiserver", ...analysis.namespaces.map((n) => `ns:${n.name}`)]);
  for (const e of analysis.edges) nodes.add(e.to);
  for (const e of analysis.entries) nodes.add(e.from);
  for (const node of [...nodes].sort()) lines.push(`  ${mermaidId(node)}["${label(node)}"]`);
  for (const e of analysis.edges) lines.push(`  ${mermaidId(`ns:${e.from}`)} -->|"${e.ports}"| ${mermaidId(e.to)}`);
  for (const e of analysis.entries) lines.push(`  ${mermaidId(e.from)} -->|"${e.ports}"| ${mermaidId(e.to)}`);
  for (const alb of [...new Set(analysis.loadBalancers.map((p) => `${p.ingressClass}|${p.scheme}`))].sort()) {
    const [ingressClass, scheme] = alb.split("|");
    lines.push(`  ${mermaidId(`alb:${ingressClass}`)}["${scheme} ALB (IngressClass ${ingressClass})"]`);
  }
  for (const p of analysis.loadBalancers) {
    const label = `HTTPS ${p.hosts.join(", ")} to ${p.service}, pods ${p.pods.split(" on ")[0]}`;
    const arrow = p.admittedBy.length > 0 ? `-->|"${label}"|` : `--x|"blocked: no NetworkPolicy admits the ALB"|`;
    lines.push(`  ${mermaidId(`alb:${p.ingressClass}`)} ${arrow} ${mermaidId(`ns:${p.namespace}`)}`);
  }
  for (const ns of analysis.namespaces) {
    for (const sensitive of ["metadata", "apiserver", "internet"]) {
      if (!analysis.edges.some((e) => e.from === ns.name && e.to === sensitive))
        lines.push(`  ${mermaidId(`ns:${ns.name}`)} --x|blocked| ${mermaidId(sensitive)}`);
    }
  }
  return lines.join("\n");
}
