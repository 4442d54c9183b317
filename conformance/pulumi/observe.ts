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
      for (const item of ((res?.body.items as KubeObject[] | undefined) ?? [])) {
        const name = String(item.metadata?.name);
        if ((item.status as { created?: unknown } | undefined)?.created === true && !readyAtMs.has(name)) readyAtMs.set(name, now);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return { readyAtMs, stop: async () => { running = false; await loop; } };
}

/**
 * Beside `pulumi destroy`: this control plane runs no kube-controller-manager, so a deleted Namespace would stay
 * Terminating for ever. Once Pulumi has deleted what it put in one of `names` and deletes the namespace, this
 * does the namespace controller's last step (`/finalize` with no finalizers). Returns the namespaces finalized.
 */
export function finalizeDeletedNamespaces(client: KubeClient, names: readonly string[], intervalMs = 250): { stop: () => Promise<string[]> } {
  const finalized = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const name of names) {
        if (finalized.has(name)) continue;
        const res = await client.send("GET", `/api/v1/namespaces/${name}`).catch(() => undefined);
        if (res?.status !== 200 || (res.body.status as { phase?: unknown } | undefined)?.phase !== "Terminating") continue;
        const body = { apiVersion: "v1", kind: "Namespace", metadata: { name }, spec: { finalizers: [] } };
        const done = await client.send("PUT", `/api/v1/namespaces/${name}/finalize`, body).catch(() => undefined);
        if (done && done.status < 300) finalized.add(name);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return { stop: async () => { running = false; await loop; return [...finalized].sort(); } };
}
