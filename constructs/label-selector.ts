/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions`), as the API server evaluates them: the
 * one implementation that constraints' `match`, NetworkPolicy peers and the report's reachability analysis share.
 */

/** A Kubernetes label selector requirement. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** Evaluates a label selector against a label map. An empty selector selects everything. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[req.key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        // An unknown operator selects nothing, like the API server rejecting the selector.
        return false;
    }
  }
  return true;
}

/**
 * Reads a label selector from an untyped object (a synthesized manifest). Absent or null means "no selector";
 * malformed parts are dropped, as they could not have been admitted.
 */
export function asLabelSelector(value: unknown): LabelSelector | undefined {
  if (value === undefined || value === null || typeof value !== "object") return undefined;
  const raw = value as { matchLabels?: unknown; matchExpressions?: unknown };
  const matchLabels = raw.matchLabels && typeof raw.matchLabels === "object" ? (raw.matchLabels as Record<string, string>) : undefined;
  const matchExpressions = Array.isArray(raw.matchExpressions) ? (raw.matchExpressions as LabelSelectorRequirement[]) : undefined;
  return { matchLabels, matchExpressions };
}

/** Whether a selector selects everything: absent, or with no labels and no expressions. */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}
