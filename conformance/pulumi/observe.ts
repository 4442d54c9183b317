/**
 * What the `pulumi-up` judge reads back from the API server: synthesized objects against live ones, the moment
 * each ConstraintTemplate reported `status.created`, and (for `pulumi destroy`) the namespace controller's last
 * step, which this control plane does not run.
 */
import type { KubeClient, KubeObject } from "../apiserver/client";

/**
 * Where `live` differs from `expected`, as `path: expected … live …` lines: every field of the synthesized
 * object must be in the live one with the same value (the server may add defaults, never change a field).
 * Lists compare element by element and must have the same length.
 */
export function specDifferences(expected: unknown, live: unknown, path = ""): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(live) || live.length !== expected.length) return [`${path}: expected ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
    return expected.flatMap((item, i) => specDifferences(item, live[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (live === null || typeof live !== "object" || Array.isArray(live)) return [`${path}: expected a mapping, live ${JSON.stringify(live)}`];
    return Object.entries(expected).flatMap(([key, value]) => specDifferences(value, (live as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return expected === live ? [] : [`${path}: expected ${JSON.stringify(expected)}, live ${JSON.stringify(live)}`];
}

/** An object's `Kind/namespace/name` (or `Kind/name`). */
export function objectId(object: KubeObject): string {
  const ns = typeof object.metadata?.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${String(object.kind)}/${ns}${String(object.metadata?.name)}`;
}

/** Reads `object` back from the API server: the live object, or a problem. */
export async function liveObject(client: KubeClient, object: KubeObject): Promise<{ live?: Record<string, unknown>; problem?: string }> {
  const collection = client.collectionPath(object);
  if (!collection) return { problem: `kind ${String(object.kind)} of ${String(object.apiVersion)} is not served` };
  const res = await client.send("GET", `${collection}/${encodeURIComponent(String(object.metadata?.name))}`);
  if (res.status !== 200) return { problem: `GET returned HTTP ${res.status}` };
  return { live: res.body };
}

/** A poller run beside `pulumi up`: the first time each ConstraintTemplate was seen with `status.created: true`. */
export function watchTemplatesReady(client: KubeClient, intervalMs = 250): { readonly readyAtMs: Map<string, number>; stop: () => Promise<void> } {
  const readyAtMs = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const res = await client.send("GET", "/apis/templates.gatekeeper.sh/v1/constrainttemplates").catch(() => undefined);
      const now = Date.now();
      for (const item of (res?.body.items as KubeObject[] | undefined) ?? []) {
        const name = String(item.metadata?.name);
        if ((item.status as { created?: unknown } | undefined)?.created === true && !readyAtMs.has(name)) readyAtMs.set(name, now);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    readyAtMs,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * Beside `pulumi destroy`: this control plane runs no kube-controller-manager. The provider deletes in the
 * foreground, and the garbage collector would drop the `foregroundDeletion` finalizer of an object with no
 * dependents (none here: no controller made any); the namespace controller would `/finalize` a deleted,
 * emptied Namespace. This does both for `objects` (and the namespaces among them). Returns what it finalized.
 */
export function finalizeDeleted(client: KubeClient, objects: readonly KubeObject[], intervalMs = 250): { stop: () => Promise<string[]> } {
  const finalized = new Set<string>();
  let running = true;
  const step = async (object: KubeObject): Promise<void> => {
    const collection = client.collectionPath(object);
    if (!collection) return;
    const path = `${collection}/${encodeURIComponent(String(object.metadata?.name))}`;
    const res = await client.send("GET", path).catch(() => undefined);
    const metadata = res?.status === 200 ? (res.body.metadata as { deletionTimestamp?: string; finalizers?: string[] }) : undefined;
    if (!metadata?.deletionTimestamp) return;
    if ((metadata.finalizers ?? []).includes("foregroundDeletion")) {
      const rest = (metadata.finalizers ?? []).filter((f) => f !== "foregroundDeletion");
      const done = await client.send("PATCH", path, { metadata: { finalizers: rest } }, "application/merge-patch+json").catch(() => undefined);
      if (done && done.status < 300) finalized.add(`${objectId(object)} (garbage collector)`);
    } else if (object.kind === "Namespace" && object.apiVersion === "v1") {
      const body = { apiVersion: "v1", kind: "Namespace", metadata: { name: object.metadata?.name }, spec: { finalizers: [] } };
      const done = await client.send("PUT", `${path}/finalize`, body).catch(() => undefined);
      if (done && done.status < 300) finalized.add(`${objectId(object)} (namespace controller)`);
    }
  };
  const loop = (async () => {
    while (running) {
      for (const object of objects) await step(object);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...finalized].sort();
    },
  };
}
