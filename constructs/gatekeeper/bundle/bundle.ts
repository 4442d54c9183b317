/**
 * Policy bundles: a stack's synthesized Gatekeeper objects as a self-contained folder an app repository
 * commits instead of the platform's stack file (which holds ARNs, CIDRs and security groups it has no use
 * for). `bulwark policies export` writes one; `bulwark check --policies <dir>` reads it.
 *
 *   bundle.json        the manifest: versions, exemptions, registries, every file's SHA-256, the content hash
 *   templates.yaml     ConstraintTemplates
 *   expansions.yaml    ExpansionTemplates (pod templates of Deployments, Jobs, ...)
 *   constraints.yaml   constraints, with the stack's parameters and excluded namespaces
 *
 * The same stack and Bulwark version always give byte-identical files (no timestamps, sorted objects).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

/** Version of the bundle layout; a reader refuses bundles of a layout it does not know. */
export const BUNDLE_FORMAT = 1;
/** The manifest's file name inside a bundle folder. */
export const BUNDLE_MANIFEST = "bundle.json";

/** What produced a bundle and the facts a reader needs beside the objects. */
export interface BundleMetadata {
  /** The Bulwark version that exported the bundle. */
  readonly bulwarkVersion: string;
  /** The stack the policies come from. */
  readonly stack: string;
  /** The cluster's Kubernetes minor version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** Pod Security Standards version of the PSS constraints, e.g. `v1.33`. */
  readonly pssVersion: string;
  /** The policy selection exported (`all`, `pss-restricted`, ...). */
  readonly selection: string;
  /** Namespaces every constraint excludes. */
  readonly exemptNamespaces: readonly string[];
}

/** `bundle.json`. */
export interface BundleManifest extends BundleMetadata {
  readonly bundleFormat: number;
  /** `sha256:<hex>` over the `files` list (each `<path> <sha256>` line), so one value pins the whole bundle. */
  readonly contentHash: string;
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** `<Kind>/<name>` of every constraint, sorted. */
  readonly constraints: readonly string[];
  /** Registry prefixes of the allowed-registries policy (also used for Dockerfile base images). */
  readonly allowedRegistries: readonly string[];
}

/** A bundle read and verified. */
export interface LoadedBundle {
  readonly manifest: BundleManifest;
  readonly gatekeeperObjects: readonly Record<string, unknown>[];
}

/** A bundle that cannot be used: missing, not a bundle, or altered since export. Exit code 2. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleError";
  }
}

type K8sObject = Record<string, unknown> & { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown } };

const FILE_GROUPS: readonly { readonly path: string; readonly accepts: (o: K8sObject) => boolean }[] = [
  { path: "templates.yaml", accepts: (o) => o.kind === "ConstraintTemplate" },
  { path: "expansions.yaml", accepts: (o) => o.kind === "ExpansionTemplate" },
  { path: "constraints.yaml", accepts: (o) => String(o.apiVersion).startsWith("constraints.gatekeeper.sh/") },
];

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The content hash of a files list: what `bundle.json` records and a reader recomputes. */
export function contentHashOf(files: readonly { readonly path: string; readonly sha256: string }[]): string {
  return `sha256:${sha256(files.map((f) => `${f.path} ${f.sha256}\n`).join(""))}`;
}

function idOf(object: K8sObject): string {
  return `${String(object.kind)}/${String(object.metadata?.name ?? "")}`;
}

/** Registry prefixes of every BulwarkAllowedRegistries constraint among the objects, sorted, deduplicated. */
export function allowedRegistriesOf(objects: readonly Record<string, unknown>[]): string[] {
  const registries = new Set<string>();
  for (const object of objects) {
    if (object.kind !== "BulwarkAllowedRegistries") continue;
    const parameters = ((object.spec ?? {}) as { parameters?: { registries?: unknown } }).parameters;
    if (Array.isArray(parameters?.registries)) for (const r of parameters.registries) registries.add(String(r));
  }
  return [...registries].sort();
}

/** The bundle's files (path → text), the manifest last. Objects are sorted by kind and name. */
export function bundleFiles(objects: readonly Record<string, unknown>[], metadata: BundleMetadata): Map<string, string> {
  const sorted = [...(objects as K8sObject[])].sort((a, b) => idOf(a).localeCompare(idOf(b)));
  const files = new Map<string, string>();
  for (const group of FILE_GROUPS) {
    const members = sorted.filter(group.accepts);
    files.set(group.path, members.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join(""));
  }
  const listed = [...files].map(([path, text]) => ({ path, sha256: sha256(text) }));
  const manifest: BundleManifest = {
    bundleFormat: BUNDLE_FORMAT,
    ...metadata,
    exemptNamespaces: [...metadata.exemptNamespaces].sort(),
    contentHash: contentHashOf(listed),
    files: listed,
    constraints: sorted.filter(FILE_GROUPS[2].accepts).map(idOf),
    allowedRegistries: allowedRegistriesOf(sorted),
  };
  files.set(BUNDLE_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** Writes the files into `dir` (created when missing); returns the paths written. */
export function writeBundle(dir: string, files: ReadonlyMap<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return [...files].map(([path, text]) => {
    writeFileSync(join(dir, path), text);
    return join(dir, path);
  });
}

const REGENERATE = "ask the platform team for a fresh bundle (`bulwark policies export --stack <stack> --out <dir>`) and commit it unchanged";

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new BundleError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); --policies names a folder written by \`bulwark policies export\``,
    );
  }
}

function parseManifest(file: string, text: string): BundleManifest {
  let manifest: Partial<BundleManifest>;
  try {
    manifest = JSON.parse(text) as Partial<BundleManifest>;
  } catch (error) {
    throw new BundleError(`${file}: invalid JSON (${(error as Error).message}); ${REGENERATE}`);
  }
  if (manifest.bundleFormat !== BUNDLE_FORMAT) {
    throw new BundleError(`${file}: bundleFormat ${JSON.stringify(manifest.bundleFormat)}: this Bulwark reads format ${BUNDLE_FORMAT}; ${REGENERATE}`);
  }
  if (!Array.isArray(manifest.files) || manifest.files.length === 0 || typeof manifest.contentHash !== "string") {
    throw new BundleError(`${file}: no files list or contentHash; ${REGENERATE}`);
  }
  return manifest as BundleManifest;
}

/** Reads and verifies a bundle: every listed file's SHA-256 and the content hash; throws {@link BundleError}. */
export function readBundle(dir: string): LoadedBundle {
  const manifestFile = join(dir, BUNDLE_MANIFEST);
  const manifest = parseManifest(manifestFile, readText(manifestFile));
  const recomputed = contentHashOf(manifest.files);
  if (recomputed !== manifest.contentHash) {
    throw new BundleError(
      `${manifestFile}: contentHash ${manifest.contentHash} does not match its files list (${recomputed}): the manifest was edited; ${REGENERATE}`,
    );
  }
  const listedPaths = manifest.files.map((f) => f.path).sort();
  const expectedPaths = FILE_GROUPS.map((g) => g.path).sort();
  if (listedPaths.join("\n") !== expectedPaths.join("\n")) {
    throw new BundleError(`${manifestFile}: lists ${listedPaths.join(", ")}; a bundle has exactly ${expectedPaths.join(", ")}; ${REGENERATE}`);
  }
  const gatekeeperObjects: Record<string, unknown>[] = [];
  for (const entry of manifest.files) {
    const file = join(dir, entry.path);
    const text = readText(file);
    const actual = sha256(text);
    if (actual !== entry.sha256) {
      throw new BundleError(
        `${file}: SHA-256 ${actual} differs from ${entry.sha256} recorded in ${manifestFile}: the bundle was altered after export; ${REGENERATE}`,
      );
    }
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new BundleError(`${file}: invalid YAML (${doc.errors[0].message.split("\n")[0]}); ${REGENERATE}`);
      const value = doc.toJS() as unknown;
      if (value !== null && typeof value === "object") gatekeeperObjects.push(value as Record<string, unknown>);
    }
  }
  return { manifest, gatekeeperObjects };
}
