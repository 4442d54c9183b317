/**
 * Judge `apiserver-decode`: `check` refuses as bad input exactly the objects the API server cannot decode.
 * Every built-in object `dev` synthesizes, and the corpus's hardened Pod and other objects, each with one leaf
 * at a time given a value of another JSON type (a string for a boolean, a number for a string, a list for a
 * mapping, a malformed quantity ...), is sent as a dry-run create; the server's answer (HTTP 400 with a decoding
 * message, or anything else) must match `fieldTypeProblems` (constructs/gatekeeper/check/kubernetes-types/).
 */
import { fieldTypeProblems, isTypedKind } from "../../constructs/gatekeeper/check/kubernetes-types";
import { hardenedOthers, hardenedPodSpec, POD_LABELS, TENANT_NAMESPACE } from "../corpus/base";
import type { Disagreement, JudgeResult } from "../judge";
import type { KubeClient, KubeObject } from "./client";
import { messageOf } from "./client";
import type { SynthDocument } from "./manifests";

/** Mutations judged per base object, at most (deterministic: the first leaves in document order). */
const MAX_MUTATIONS_PER_OBJECT = 120;
/** What the API server says when its decoder refuses a value (apimachinery's JSON and quantity decoding). */
const DECODE_ERROR = /cannot unmarshal|cannot be handled as a|quantities must match|unable to parse quantity|json: |strict decoding error/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values of another JSON type for a leaf or a collection. */
function replacementsFor(value: Json, key: string): Json[] {
  if (typeof value === "boolean") return [String(value), 1];
  if (typeof value === "number") return Number.isInteger(value) ? [String(value), value + 0.5, true] : ["x"];
  if (typeof value === "string")
    return /^[0-9.]+(m|Ki|Mi|Gi)?$/.test(value) && /^(cpu|memory|storage|ephemeral-storage|requests\.|limits\.)/.test(key) ? ["1GB", 7, true] : [7, true];
  if (Array.isArray(value)) return [{}, "x"];
  if (value && typeof value === "object") return Object.keys(value).length > 0 ? [[], "x"] : [];
  return [];
}

/** Every (path, replacement) of one object, skipping what names or routes the object. */
function* mutations(object: Json, path: (string | number)[] = []): Generator<{ path: (string | number)[]; value: Json }> {
  const top = path.join(".");
  if (top === "apiVersion" || top === "kind" || top === "metadata.namespace" || top === "metadata.name") return;
  if (path.length > 0) for (const value of replacementsFor(object, String(path[path.length - 1]))) yield { path, value };
  if (Array.isArray(object)) for (const [i, item] of object.entries()) yield* mutations(item, [...path, i]);
  else if (object && typeof object === "object") for (const [k, item] of Object.entries(object)) yield* mutations(item, [...path, k]);
}

function withValue(object: Json, path: readonly (string | number)[], value: Json): Json {
  const copy = structuredClone(object);
  let at = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, Json>;
  at[path[path.length - 1]] = value;
  return copy;
}

/** The base objects: dev's built-in objects and the corpus's hardened ones, all valid as they are. */
function baseObjects(devDocs: readonly SynthDocument[]): { id: string; object: Json }[] {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "decode-pod", namespace: TENANT_NAMESPACE, labels: POD_LABELS }, spec: hardenedPodSpec() };
  delete (pod.spec as Record<string, unknown>).ephemeralContainers; // only through the ephemeralcontainers subresource
  const corpus = [pod, ...hardenedOthers()].map((o) => JSON.parse(JSON.stringify(o)) as Json);
  const dev = devDocs.filter((d) => isTypedKind(d.object.apiVersion, d.object.kind)).map((d) => d.object as Json);
  return [...dev, ...corpus].map((object) => {
    const o = object as { kind: string; metadata: { name: string; namespace?: string } };
    return { id: `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`, object };
  });
}

/** Runs the judge; the namespaces of `dev` must exist (the dry-run judge creates them). */
export async function runDecodeJudge(
  client: KubeClient,
  version: string,
  devDocs: readonly SynthDocument[],
  log: (line: string) => void,
): Promise<JudgeResult> {
  const disagreements: Disagreement[] = [];
  let cases = 0;
  let refusedByBoth = 0;
  for (const base of baseObjects(devDocs)) {
    let judged = 0;
    for (const m of mutations(base.object)) {
      if (judged++ >= MAX_MUTATIONS_PER_OBJECT) break;
      const object = withValue(base.object, m.path, m.value) as KubeObject;
      const namespace = (base.object as { metadata: { namespace?: string } }).metadata.namespace;
      const res = await client.create(object, { dryRun: true, namespace });
      const serverRefuses = res.status === 400 && DECODE_ERROR.test(messageOf(res));
      const checkRefuses = fieldTypeProblems(object).length > 0;
      cases++;
      if (serverRefuses && checkRefuses) refusedByBoth++;
      if (serverRefuses !== checkRefuses) {
        disagreements.push({
          case: `${base.id} ${m.path.join(".")} = ${JSON.stringify(m.value)}`,
          detail: `API server: HTTP ${res.status} ${messageOf(res).slice(0, 200)}; check: ${checkRefuses ? "refuses" : "decodes"}`,
        });
      }
    }
  }
  log(
    `conformance/apiserver: apiserver-decode: ${refusedByBoth} mutated objects refused by both, ${cases - refusedByBoth - disagreements.length} decoded by both`,
  );
  return { name: "apiserver-decode", version, cases, passed: cases - disagreements.length, failed: disagreements.length, disagreements };
}
