/**
 * Gatekeeper ExpansionTemplate semantics, offline: a workload whose group/kind/version is in a template's
 * `applyTo` yields a resultant object built from the field at `templateSource` (e.g. `spec.template` of a
 * Deployment) with the `generatedGVK`, the parent's namespace, and the template's labels and annotations.
 * Constraints are then matched and evaluated against the resultant exactly as against a Pod, and their
 * messages carry Gatekeeper's `[Implied by <expansion template>]` prefix.
 */

/** `spec.applyTo[]` of an ExpansionTemplate. */
export interface ExpansionApplyTo {
  readonly groups: readonly string[];
  readonly kinds: readonly string[];
  readonly versions: readonly string[];
}

/** The `spec` of an `expansion.gatekeeper.sh/v1beta1` ExpansionTemplate. */
export interface ExpansionTemplateSpec {
  readonly applyTo: readonly ExpansionApplyTo[];
  readonly templateSource: string;
  readonly generatedGVK: { readonly group: string; readonly version: string; readonly kind: string };
  readonly enforcementAction?: string;
}

/** An ExpansionTemplate as read from the synthesized objects. */
export interface ExpansionTemplateObject {
  readonly metadata: { readonly name: string };
  readonly spec: ExpansionTemplateSpec;
}

/** A resultant object and the template that produced it. */
export interface ExpandedObject {
  readonly template: string;
  readonly object: Record<string, unknown>;
  /** The template's enforcementAction override, when it sets one. */
  readonly enforcementAction?: string;
}

/** Splits `apps/v1` into group `apps`, version `v1`; `v1` into group `` (core), version `v1`. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function fieldAt(object: unknown, path: string): unknown {
  let node = object;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function listed(values: readonly string[], value: string): boolean {
  return values.includes("*") || values.includes(value);
}

/** The resultant objects of one object under the given ExpansionTemplates (none when no template applies). */
export function expandObject(object: Record<string, unknown>, templates: readonly ExpansionTemplateObject[]): ExpandedObject[] {
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ""));
  const kind = String(object.kind ?? "");
  const parentMeta = (object.metadata ?? {}) as Record<string, unknown>;
  const out: ExpandedObject[] = [];
  for (const template of templates) {
    const applies = template.spec.applyTo.some((a) => listed(a.groups, group) && listed(a.kinds, kind) && listed(a.versions, version));
    if (!applies) continue;
    const source = fieldAt(object, template.spec.templateSource);
    // A workload without the template field cannot be admitted anyway; nothing to expand.
    if (source === null || typeof source !== "object" || Array.isArray(source)) continue;
    const src = source as Record<string, unknown>;
    const srcMeta = (src.metadata ?? {}) as Record<string, unknown>;
    const gvk = template.spec.generatedGVK;
    // As Gatekeeper names a resultant: `<parent name>-<generated kind, lowercase>`, owned by the parent.
    const metadata: Record<string, unknown> = {
      ...srcMeta,
      name: `${String(parentMeta.name ?? "")}-${gvk.kind.toLowerCase()}`,
      ownerReferences: [{ apiVersion: object.apiVersion, kind, name: parentMeta.name }],
    };
    if (parentMeta.namespace !== undefined) metadata.namespace = parentMeta.namespace;
    out.push({
      template: template.metadata.name,
      object: { ...src, apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind, metadata },
      enforcementAction: template.spec.enforcementAction,
    });
  }
  return out;
}
