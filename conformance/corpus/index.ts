/**
 * The differential corpus: mutations of hardened objects (base.ts) where each security-relevant field
 * (mutations.ts) is set, flipped, nulled, removed and mis-cased, each Pod mutation nested in every
 * controller kind, some put in `kind: List`, and seeded random combinations of two or three mutations.
 * Deterministic: the same seed always gives the same cases, byte for byte.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import type { CorpusValue, RawScalar } from "./base";
import { hardenedOthers, hardenedPodSpec, POD_LABELS, TENANT_NAMESPACE } from "./base";
import type { Mutation } from "./mutations";
import { allSingleMutations, REMOVE } from "./mutations";

type Json = { [key: string]: CorpusValue };

/** Where a Pod spec sits: a Pod, a controller's template, or a PodTemplate. */
export const POD_FORMS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController", "PodTemplate"] as const;
export type PodForm = (typeof POD_FORMS)[number];

/** One corpus case: what `check` reads, and the same objects one by one for gator (kubectl splits Lists). */
export interface CorpusCase {
  readonly id: string;
  /** The mutations applied, e.g. `app.securityContext.privileged=yes in CronJob`. */
  readonly label: string;
  /** The YAML documents `check` reads (a List stays one document). */
  readonly documents: readonly Json[];
  /** The objects the cluster (and gator) sees, named `<id>` or `<id>-<n>` so verdicts can be joined. */
  readonly objects: readonly Json[];
}

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  /** Seed of the random combinations. @default 1 */
  readonly seed?: number;
  /** Objects (gator's count, List items counted one by one) to reach with random combinations. @default 10000 */
  readonly minObjects?: number;
}

const clone = <T>(value: T): T => structuredClone(value);

function segments(path: string): (string | number)[] {
  return path.split(".").flatMap((part) => {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) throw new Error(`corpus: bad path segment ${part}`);
    const indexes = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    return [match[1], ...indexes];
  });
}

/** Sets (or deletes, for REMOVE) `path` below `root`, creating mappings on the way. */
export function setPath(root: Json, path: string, value: CorpusValue | typeof REMOVE): void {
  const keys = segments(path);
  let node: Record<string | number, CorpusValue> = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || "raw" in (next as object)) {
      if (value === REMOVE) return;
      node[key] = {};
    }
    node = node[key] as Record<string | number, CorpusValue>;
  }
  const last = keys[keys.length - 1];
  if (value === REMOVE) {
    if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
    else delete node[last];
  } else node[last] = clone(value);
}

const CONTAINER_LISTS = { init: "initContainers[0]", app: "containers[0]", debug: "ephemeralContainers[0]" } as const;

function applyToPod(spec: Json, metadata: Json, mutation: Mutation): void {
  if (mutation.target === "pod") setPath(spec, mutation.path, mutation.value);
  else if (mutation.target === "metadata") setPath(metadata, mutation.path, mutation.value);
  else if (mutation.target in CONTAINER_LISTS) {
    const container = (spec as Record<string, CorpusValue>)[CONTAINER_LISTS[mutation.target as keyof typeof CONTAINER_LISTS].replace("[0]", "")];
    if (Array.isArray(container) && container.length > 0)
      setPath(spec, `${CONTAINER_LISTS[mutation.target as keyof typeof CONTAINER_LISTS]}.${mutation.path}`, mutation.value);
  }
}

/** A hardened Pod spec with `mutations`, nested in `form`, named `name`. */
export function podObject(form: PodForm, name: string, mutations: readonly Mutation[]): Json {
  const spec = hardenedPodSpec();
  const top: Json = { name, namespace: TENANT_NAMESPACE, labels: { ...POD_LABELS } };
  const template: Json = { labels: { ...POD_LABELS } };
  for (const mutation of mutations) {
    // Metadata mutations reach both the object and its pod template (labels and annotations live on both).
    applyToPod(spec, top, mutation);
    if (mutation.target === "metadata" && mutation.path !== "namespace") applyToPod({}, template, mutation);
  }
  top.name = name;
  return wrapPod(form, top, spec, template);
}

/**
 * `spec` with `metadata` as a Pod, or nested in `form`'s pod template (template metadata: `templateMetadata`,
 * default the labels of `metadata`).
 */
export function wrapPod(form: PodForm, metadata: Json, spec: Json, templateMetadata?: Json): Json {
  const top = metadata;
  const template = templateMetadata ?? { labels: structuredClone((metadata.labels as CorpusValue) ?? {}) };
  const podTemplate = { metadata: template, spec: { ...spec, restartPolicy: form === "Job" || form === "CronJob" ? "OnFailure" : "Always" } };
  const selector = { matchLabels: { ...POD_LABELS } };
  switch (form) {
    case "Pod":
      return { apiVersion: "v1", kind: "Pod", metadata: top, spec };
    case "PodTemplate":
      return { apiVersion: "v1", kind: "PodTemplate", metadata: top, template: podTemplate };
    case "Job":
      return { apiVersion: "batch/v1", kind: "Job", metadata: top, spec: { template: podTemplate } };
    case "CronJob":
      return { apiVersion: "batch/v1", kind: "CronJob", metadata: top, spec: { schedule: "@hourly", jobTemplate: { spec: { template: podTemplate } } } };
    case "ReplicationController":
      return { apiVersion: "v1", kind: "ReplicationController", metadata: top, spec: { selector: { ...POD_LABELS }, template: podTemplate } };
    default:
      return {
        apiVersion: "apps/v1",
        kind: form,
        metadata: top,
        spec: { selector, template: podTemplate, ...(form === "StatefulSet" ? { serviceName: "api" } : {}) },
      };
  }
}

/** The hardened object of `kind` (Service, Ingress, Role, RoleBinding, ClusterRoleBinding) with `mutations`. */
export function otherObject(kind: string, name: string, mutations: readonly Mutation[]): Json {
  const base = hardenedOthers().find((o) => o.kind === kind);
  if (!base) throw new Error(`corpus: no hardened ${kind}`);
  for (const mutation of mutations) setPath(base, mutation.path, mutation.value);
  setPath(base, "metadata.name", name);
  return base;
}

const asList = (items: Json[]): Json => ({ apiVersion: "v1", kind: "List", metadata: {}, items });

/** Generates the corpus; see {@link CorpusOptions}. */
export function generateCorpus(options: CorpusOptions = {}): CorpusCase[] {
  const singles = allSingleMutations();
  const podMutations = singles.filter((m) => m.target !== "object");
  const objectMutations = singles.filter((m) => m.target === "object");
  const cases: CorpusCase[] = [];
  const id = () => `c${String(cases.length).padStart(5, "0")}`;
  const single = (name: string, documents: Json[], objects: Json[], label: string) => cases.push({ id: name, label, documents, objects });

  for (const mutation of podMutations) {
    for (const form of POD_FORMS) {
      const name = id();
      const object = podObject(form, name, [mutation]);
      single(name, [object], [object], `${mutation.label} in ${form}`);
    }
  }
  for (const mutation of objectMutations) {
    const name = id();
    const object = otherObject(mutation.kind!, name, [mutation]);
    single(name, [object], [object], mutation.label);
  }
  const rng = xoroshiro128plus(options.seed ?? 1);
  const pick = (n: number): number => unsafeUniformIntDistribution(0, n - 1, rng);
  // Every single Pod mutation once more inside a List beside a hardened Pod, in a random controller kind.
  for (const mutation of podMutations) {
    const name = id();
    const items = [podObject(POD_FORMS[pick(POD_FORMS.length)], `${name}-0`, [mutation]), podObject("Pod", `${name}-1`, [])];
    single(name, [asList(items)], items, `${mutation.label} in a List`);
  }
  const minObjects = options.minObjects ?? 10_000;
  let objects = cases.reduce((sum, c) => sum + c.objects.length, 0);
  while (objects < minObjects) {
    const count = 2 + pick(2);
    const chosen = Array.from({ length: count }, () => podMutations[pick(podMutations.length)]);
    const form = POD_FORMS[pick(POD_FORMS.length)];
    const name = id();
    const object = podObject(form, name, chosen);
    single(name, [object], [object], `${chosen.map((m) => m.label).join(" + ")} in ${form}`);
    objects++;
  }
  return cases;
}

/**
 * One YAML document as a single line of JSON flow style (valid YAML), with each {@link RawScalar} written
 * unquoted, so both parsers read exactly the same text.
 */
export function toYamlDocument(value: Json): string {
  const tokens: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as RawScalar).raw === "string") {
      tokens.push((v as RawScalar).raw);
      return `@@raw${tokens.length - 1}@@`;
    }
    return v;
  });
  return json.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => tokens[Number(i)]);
}
