/** The accessors the evidence predicates share (the context itself is built by `stacks/report.ts`). */
import type { SynthesizedChart } from "../constructs/synthesize";
import type { PlannedKubernetesObject } from "./plan-view";
import type { EvidenceContext } from "./types";

export type K8sObject = Record<string, unknown>;

/** The record at `path` of a value, or undefined. */
export function field(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Every synthesized object across charts. */
export function allObjects(charts: readonly SynthesizedChart[]): K8sObject[] {
  return charts.flatMap((c) => c.objects);
}

export function objectsOfKind(charts: readonly SynthesizedChart[], kind: string): K8sObject[] {
  return allObjects(charts).filter((o) => o.kind === kind);
}

export function nameOf(object: object): string {
  return String(field(object, "metadata", "name") ?? "");
}

export function namespaceOf(object: object): string | undefined {
  const ns = field(object, "metadata", "namespace");
  return typeof ns === "string" ? ns : undefined;
}

/** `Kind/namespace/name` or `Kind/name`: how the report names an object. */
export function objectRef(object: object): string {
  const ns = namespaceOf(object);
  return `${String((object as { kind?: unknown }).kind)}/${ns ? `${ns}/` : ""}${nameOf(object)}`;
}

/** Does the plan register a Kubernetes object of this kind and name (the Pulumi side deploys it)? */
export function plannedKubernetes(ctx: EvidenceContext, kind: string, name: string, ns?: string): boolean {
  return (ctx.plan.resources as readonly PlannedKubernetesObject[]).some(
    (r) =>
      r.type.startsWith("kubernetes:") &&
      r.type.endsWith(`:${kind}`) &&
      r.inputs.metadata?.name === name &&
      (ns === undefined || r.inputs.metadata?.namespace === ns),
  );
}
