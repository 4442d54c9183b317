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

/** Computes the reachability graph of the synthesized tenant namespaces. */
export function analyzeNetwork(charts: readonly SynthesizedChart[], vpcCidr: string | undefined): NetworkAnalysis {
  const namespaces: NamespaceInfo[] = objectsOfKind(charts, "Namespace").map((ns) => ({
    name: nameOf(ns),
    labels: { ...((field(ns, "metadata", "labels") ?? {}) as Record<string, string>), "kubernetes.io/metadata.name": nameOf(ns) },
    tenant: true,
  }));
  namespaces.sort((a, b) => a.name.localeCompare(b.name));
  const everyNamespace = [...namespaces, KUBE_SYSTEM];
  const policies = objectsOfKind(charts, "NetworkPolicy");
  const edges = new Map<string, Edge>();
  const add = (from: string, to: string, ports: string) => {
    const key = `${from}|${to}`;
    const existing = edges.get(key);
    const merged = existing ? [...new Set([...existing.ports.split(", "), ...ports.split(", ")])].sort().join(", ") : ports;
    edges.set(key, { from, to, ports: merged.includes("any port") ? "any port" : merged });
  };
  const unisolated = new Set<string>();
  const isolated = (ns: string, direction: "Ingress" | "Egress") =>
    policies.some((p) => namespaceOf(p) === ns && policyTypes(p).includes(direction) && isEmptySelector(asLabelSelector(field(p, "spec", "podSelector"))));

  // Ingress admission per tenant: which source namespaces may connect.
  const ingressAllows = (target: NamespaceInfo, source: NamespaceInfo): string | undefined => {
    if (!isolated(target.name, "Ingress")) return "any port";
    const allowed: string[] = [];
    for (const p of policies.filter((q) => namespaceOf(q) === target.name && policyTypes(q).includes("Ingress"))) {
      for (const rule of asArray(field(p, "spec", "ingress"))) {
        const from = asArray(field(rule, "from"));
        const match =
          from.length === 0 ||
          from.some((peer) => {
            const nsSel = field(peer, "namespaceSelector");
            const ipBlock = field(peer, "ipBlock");
            if (ipBlock !== undefined) return vpcCidr !== undefined && ipBlockReaches(String(field(ipBlock, "cidr")), asArray(field(ipBlock, "except")).map(String), vpcCidr);
            if (nsSel === undefined) return source.name === target.name; // podSelector alone: same namespace
            return selectorMatches(asLabelSelector(nsSel) ?? {}, source.labels);
          });
        if (match) allowed.push(portsOf(rule));
      }
    }
    return allowed.length > 0 ? allowed.join(", ") : undefined;
  };

  for (const ns of namespaces) {
    if (!isolated(ns.name, "Ingress") || !isolated(ns.name, "Egress")) unisolated.add(ns.name);
    const reachNamespace = (target: NamespaceInfo, ports: string) => {
      if (!target.tenant) return;
      if (ingressAllows(target, ns) !== undefined) add(ns.name, `ns:${target.name}`, ports);
    };
    if (!isolated(ns.name, "Egress")) {
      for (const t of namespaces) if (t.name !== ns.name) reachNamespace(t, "any port");
      for (const to of ["dns", "internet", "metadata", "apiserver"]) add(ns.name, to, "any port");
      continue;
    }
    for (const p of policies.filter((q) => namespaceOf(q) === ns.name && policyTypes(q).includes("Egress"))) {
      for (const rule of asArray(field(p, "spec", "egress"))) {
        const ports = portsOf(rule);
        const to = asArray(field(rule, "to"));
        if (to.length === 0) {
          for (const t of namespaces) if (t.name !== ns.name) reachNamespace(t, ports);
          for (const target of ["dns", "internet", "metadata", "apiserver"]) add(ns.name, target, ports);
          continue;
        }
        for (const peer of to) {
          const ipBlock = field(peer, "ipBlock");
          if (ipBlock !== undefined) {
            const cidr = String(field(ipBlock, "cidr"));
            const except = asArray(field(ipBlock, "except")).map(String);
            add(ns.name, `cidr:${cidr}`, ports);
            if (ipBlockReaches(cidr, except, METADATA_IP)) add(ns.name, "metadata", ports);
            // "internet" is all public addresses; a granted public range is its own node.
            if (/\/0$/.test(cidr)) add(ns.name, "internet", ports);
            if (vpcCidr !== undefined && ipBlockReaches(cidr, except, vpcCidr)) {
              add(ns.name, "apiserver", ports);
              for (const t of namespaces) if (t.name !== ns.name) reachNamespace(t, ports);
            }
            continue;
          }
          const nsSel = field(peer, "namespaceSelector");
          const podSel = field(peer, "podSelector");
          const targets = nsSel === undefined ? [ns] : everyNamespace.filter((t) => selectorMatches(asLabelSelector(nsSel) ?? {}, t.labels));
          for (const t of targets) {
            if (t.name === CLUSTER_DNS.namespace) {
              // Only kube-dns is modelled in kube-system; a selector that admits it reaches DNS.
              if (selectorMatches(asLabelSelector(podSel) ?? {}, CLUSTER_DNS.podLabels)) add(ns.name, "dns", ports);
            } else if (t.name !== ns.name) reachNamespace(t, ports);
          }
        }
      }
    }
  }
  return { namespaces, edges: [...edges.values()].sort((a, b) => `${a.from}|${a.to}`.localeCompare(`${b.from}|${b.to}`)), unisolated: [...unisolated].sort(), vpcCidr };
}

const mermaidId = (target: string) => target.replace(/[^A-Za-z0-9]/g, "_");

/** The reachability graph as a Mermaid flowchart: allowed edges solid, the sensitive endpoints crossed when blocked. */
export function toMermaid(analysis: NetworkAnalysis): string {
  const lines = ["flowchart LR"];
  const label = (target: string): string => {
    if (target.startsWith("ns:")) return `namespace ${target.slice(3)}`;
    if (target.startsWith("cidr:")) return `${target.slice(5)} (${ipBlockIsPublic(target.slice(5)) ? "public" : "private"})`;
    return {
      dns: "kube-dns in kube-system",
      internet: "internet",
      metadata: `instance metadata ${METADATA_IP}`,
      apiserver: `Kubernetes API server${analysis.vpcCidr ? ` (VPC ${analysis.vpcCidr})` : ""}`,
    }[target] ?? target;
  };
  const nodes = new Set<string>(["dns", "internet", "metadata", "apiserver", ...analysis.namespaces.map((n) => `ns:${n.name}`)]);
  for (const e of analysis.edges) nodes.add(e.to);
  for (const node of [...nodes].sort()) lines.push(`  ${mermaidId(node)}["${label(node)}"]`);
  for (const e of analysis.edges) lines.push(`  ${mermaidId(`ns:${e.from}`)} -->|"${e.ports}"| ${mermaidId(e.to)}`);
  for (const ns of analysis.namespaces) {
    for (const sensitive of ["metadata", "apiserver", "internet"]) {
      if (!analysis.edges.some((e) => e.from === ns.name && e.to === sensitive)) lines.push(`  ${mermaidId(`ns:${ns.name}`)} --x|blocked| ${mermaidId(sensitive)}`);
    }
  }
  return lines.join("\n");
}
