/**
 * Gatekeeper's constraint `spec.match` semantics, offline: kinds, scope, namespaces, excludedNamespaces
 * (with Gatekeeper's `prefix*` / `*suffix` globs), name, labelSelector and namespaceSelector.
 */
import type { LabelSelector } from "../../label-selector";
import { selectorMatches } from "../../label-selector";

export type { LabelSelector, LabelSelectorRequirement } from "../../label-selector";
export { selectorMatches } from "../../label-selector";

/** A `match.kinds[]` entry. An empty or absent list matches every group / kind, as in Gatekeeper. */
export interface MatchKind {
  readonly apiGroups?: readonly string[];
  readonly kinds?: readonly string[];
}

/** A constraint's `spec.match`. */
export interface ConstraintMatch {
  readonly kinds?: readonly MatchKind[];
  readonly scope?: "*" | "Cluster" | "Namespaced";
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly labelSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly name?: string;
}

/** Kinds that are cluster-scoped (everything else is treated as namespaced). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "StorageClass",
  "CSIDriver",
  "CSINode",
  "VolumeAttachment",
  "CustomResourceDefinition",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "PriorityClass",
  "RuntimeClass",
  "IngressClass",
  "ComponentStatus",
  "CertificateSigningRequest",
  "FlowSchema",
  "PriorityLevelConfiguration",
  "ConstraintTemplate",
  "ExpansionTemplate",
  "Config",
]);

/** The parts of an object that matching reads. */
export interface MatchSubject {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** Namespace of a namespaced object; the object's own name for a Namespace; undefined otherwise. */
  readonly namespace?: string;
  readonly clusterScoped: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the object's namespace, when known. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/** Gatekeeper's name globs: `kube-*` (prefix), `*-system` (suffix) or an exact name. */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function kindsMatch(kinds: readonly MatchKind[] | undefined, group: string, kind: string): boolean {
  if (!kinds || kinds.length === 0) return true;
  return kinds.some((entry) => {
    const groups = entry.apiGroups ?? [];
    const names = entry.kinds ?? [];
    const groupOk = groups.length === 0 || groups.includes("*") || groups.includes(group);
    const kindOk = names.length === 0 || names.includes("*") || names.includes(kind);
    return groupOk && kindOk;
  });
}

/**
 * Whether a constraint's `match.kinds` can select objects of this kind (in some group): an absent or empty
 * list, an entry without kinds, or `*` selects every kind. The group, scope, namespaces and selectors are
 * left to {@link constraintMatches}; this only rules out constraints that can never match the kind.
 */
export function mayMatchKind(match: ConstraintMatch | undefined, kind: string): boolean {
  const kinds = match?.kinds;
  if (!kinds || kinds.length === 0) return true;
  return kinds.some((entry) => !entry.kinds || entry.kinds.length === 0 || entry.kinds.includes("*") || entry.kinds.includes(kind));
}

/** True when a constraint with this `match` applies to the subject. */
export function constraintMatches(match: ConstraintMatch | undefined, subject: MatchSubject): boolean {
  const m = match ?? {};
  if (!kindsMatch(m.kinds, subject.group, subject.kind)) return false;
  if (m.scope === "Cluster" && !subject.clusterScoped) return false;
  if (m.scope === "Namespaced" && subject.clusterScoped) return false;
  if (m.name !== undefined && !globMatches(m.name, subject.name)) return false;
  // Namespace criteria apply to namespaced objects and to Namespaces themselves (by their own name).
  const ns = subject.namespace;
  if (ns !== undefined) {
    if (m.namespaces && m.namespaces.length > 0 && !m.namespaces.some((p) => globMatches(p, ns))) return false;
    if (m.excludedNamespaces && m.excludedNamespaces.some((p) => globMatches(p, ns))) return false;
    if (m.namespaceSelector) {
      // Unknown namespace labels select nothing: the selector cannot be shown to match.
      const nsLabels = subject.kind === "Namespace" && subject.group === "" ? subject.labels : subject.namespaceLabels;
      if (!nsLabels || !selectorMatches(m.namespaceSelector, nsLabels)) return false;
    }
  }
  if (m.labelSelector && !selectorMatches(m.labelSelector, subject.labels)) return false;
  return true;
}
