/**
 * A minimal Kubernetes REST client over node:https with the run's admin client certificate: enough for
 * discovery, server-side apply and create with `dryRun=All` and `fieldValidation=Strict`, and reviews.
 * Written against the REST API directly so every request parameter the judges rely on is visible here.
 */
import { get } from "node:http";
import { request } from "node:https";
import { readFileSync } from "node:fs";
import type { RunPki } from "./pki";

/** An HTTP response with its body parsed as JSON (or kept as text when it is not JSON). */
export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** `Warning` headers (PSA warn/audit, deprecated fields). */
  readonly warnings: readonly string[];
}

/** Where a kind is served. */
export interface ResourceInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown> & { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> };

const REQUEST_TIMEOUT_MS = 30_000;

export class KubeClient {
  private readonly ca: Buffer;
  private readonly cert: Buffer;
  private readonly key: Buffer;
  private resources = new Map<string, ResourceInfo>();

  constructor(
    readonly server: URL,
    pki: Pick<RunPki, "caCert" | "adminCert" | "adminKey">,
  ) {
    this.ca = readFileSync(pki.caCert);
    this.cert = readFileSync(pki.adminCert);
    this.key = readFileSync(pki.adminKey);
  }

  /** One request; never throws on HTTP status, only on transport errors and the bounded timeout. */
  send(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
    headers: Readonly<Record<string, string | readonly string[]>> = {},
  ): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolvePromise, reject) => {
      const req = request(
        {
          host: this.server.hostname,
          port: this.server.port,
          path,
          method,
          ca: this.ca,
          cert: this.cert,
          key: this.key,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            Accept: "application/json",
            ...(payload === undefined ? {} : { "Content-Type": contentType }),
            ...(headers as Record<string, string | string[]>),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: Record<string, unknown>;
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              parsed = { text };
            }
            const warning = res.headers.warning;
            const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
            resolvePromise({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like {@link send} but throws unless the status is 2xx. */
  async expectOk(method: string, path: string, body?: unknown, contentType?: string): Promise<Record<string, unknown>> {
    const res = await this.send(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${messageOf(res)}`);
    return res.body;
  }

  /** (Re)reads discovery: every group version's kinds and their resource names. */
  async discover(): Promise<void> {
    const resources = new Map<string, ResourceInfo>();
    const versions: string[] = ["/api/v1"];
    const groups = (await this.expectOk("GET", "/apis")) as { groups?: { versions: { groupVersion: string }[] }[] };
    for (const group of groups.groups ?? []) for (const v of group.versions) versions.push(`/apis/${v.groupVersion}`);
    for (const path of versions) {
      const list = (await this.expectOk("GET", path)) as { groupVersion: string; resources: { name: string; kind: string; namespaced: boolean }[] };
      for (const r of list.resources) {
        if (r.name.includes("/")) continue; // subresources
        resources.set(`${list.groupVersion}/${r.kind}`, { resource: r.name, namespaced: r.namespaced });
      }
    }
    this.resources = resources;
  }

  /** The collection path of an object's kind (in its namespace, when namespaced); undefined if not served. */
  collectionPath(object: KubeObject, namespace?: string): string | undefined {
    const apiVersion = String(object.apiVersion);
    const info = this.resources.get(`${apiVersion}/${String(object.kind)}`);
    if (!info) return undefined;
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = namespace ?? (typeof object.metadata?.namespace === "string" ? object.metadata.namespace : "default");
    return info.namespaced ? `${base}/namespaces/${encodeURIComponent(ns)}/${info.resource}` : `${base}/${info.resource}`;
  }

  /**
   * Server-side apply (optionally dry-run), strict field validation, forced conflicts (the run owns everything).
   * `text` sends that YAML as written instead of `object` as JSON, so the server's own YAML parser reads it.
   */
  async apply(object: KubeObject, options: { readonly dryRun: boolean; readonly text?: string }): Promise<ApiResponse> {
    const collection = this.collectionPath(object);
    const name = String(object.metadata?.name ?? "");
    if (!collection) return notServed(object);
    const query = `fieldManager=bulwark-conformance&force=true&fieldValidation=Strict${options.dryRun ? "&dryRun=All" : ""}`;
    return this.send("PATCH", `${collection}/${encodeURIComponent(name)}?${query}`, options.text ?? object, "application/apply-patch+yaml");
  }

  /** Create (optionally dry-run) with strict field validation. */
  async create(
    object: KubeObject,
    options: { readonly dryRun: boolean; readonly namespace?: string; readonly headers?: Readonly<Record<string, string | readonly string[]>> },
  ): Promise<ApiResponse> {
    const collection = this.collectionPath(object, options.namespace);
    if (!collection) return notServed(object);
    const query = `fieldValidation=Strict${options.dryRun ? "&dryRun=All" : ""}`;
    return this.send("POST", `${collection}?${query}`, object, "application/json", options.headers ?? {});
  }
}

function notServed(object: KubeObject): ApiResponse {
  return { status: 404, body: { message: `kind ${String(object.kind)} of ${String(object.apiVersion)} is not served` }, warnings: [] };
}

/** The message of a failed response (a Status object's `message`, else the raw body). */
export function messageOf(res: ApiResponse): string {
  const message = res.body.message;
  return typeof message === "string" ? message : JSON.stringify(res.body).slice(0, 500);
}

/** Polls `probe` until it returns true or `timeoutMs` passes; throws `what` on timeout. */
export async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

/** Status code of a plain-HTTP GET (health endpoints on loopback), bounded by the request timeout. */
export function httpGetStatus(url: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = get(url, { timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
  });
}

let ephemeralSerial = 0;

/**
 * Dry-run create, except for a Pod with `ephemeralContainers`, which the API only accepts through the
 * `ephemeralcontainers` subresource (as `kubectl debug` adds them): the Pod without them is created for real
 * (admission judges that part), then the subresource update carrying them is sent with `dryRun=All`.
 */
export async function dryRunAdmit(
  client: KubeClient,
  object: KubeObject,
  namespace: string,
  headers: Readonly<Record<string, string | readonly string[]>> = {},
): Promise<ApiResponse> {
  const spec = object.spec as { ephemeralContainers?: unknown[] } | undefined;
  if (object.kind !== "Pod" || object.apiVersion !== "v1" || !spec?.ephemeralContainers?.length) {
    return client.create(object, { dryRun: true, namespace, headers });
  }
  const name = `${String(object.metadata?.name ?? "pod")}-eph${++ephemeralSerial}`;
  const { ephemeralContainers, ...baseSpec } = spec;
  const base = await client.create({ ...object, metadata: { ...object.metadata, name, namespace }, spec: baseSpec }, { dryRun: false, namespace });
  if (base.status < 200 || base.status >= 300) return base;
  const pods = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  const withEphemeral = { ...base.body, spec: { ...(base.body.spec as object), ephemeralContainers } };
  return client.send("PUT", `${pods}/ephemeralcontainers?dryRun=All&fieldValidation=Strict`, withEphemeral);
}
