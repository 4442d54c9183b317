/**
 * Image references as docker normalises them (github.com/distribution/reference, `ParseNormalizedNamed`):
 * the first path component is a registry host only if it contains '.' or ':' or is `localhost`; otherwise
 * the image is on `docker.io`, and a one-component name is an official image under `library/`. So `node:20`
 * is `docker.io/library/node:20` and `bitnami/redis` is `docker.io/bitnami/redis`. `index.docker.io` is the
 * same registry as `docker.io`. The allowed-registries Gatekeeper policy resolves images by the same rule.
 */

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** The reference as written. */
  readonly raw: string;
  /** Registry host, e.g. `docker.io` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly registry: string;
  /** Repository path under the registry, e.g. `library/node`. */
  readonly repository: string;
  /** The tag, when one is written. */
  readonly tag?: string;
  /** The digest (`sha256:...`), when one is written. */
  readonly digest?: string;
  /** `<registry>/<repository>[:tag][@digest]`. */
  readonly normalized: string;
}

const DOCKER_HUB = "docker.io";

/** Parses and normalises `raw`; returns undefined when it is not an image reference. */
export function parseImageReference(raw: string): ImageReference | undefined {
  if (raw === "" || /\s/.test(raw)) return undefined;
  const at = raw.indexOf("@");
  const digest = at >= 0 ? raw.slice(at + 1) : undefined;
  if (digest !== undefined && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/.test(digest)) return undefined;
  const nameAndTag = at >= 0 ? raw.slice(0, at) : raw;
  const lastSlash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.indexOf(":", lastSlash + 1);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  const name = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  const parts = name.split("/");
  const first = parts[0];
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasHost ? first : DOCKER_HUB;
  if (registry === "index.docker.io") registry = DOCKER_HUB;
  const path = hasHost ? parts.slice(1) : parts;
  const repository = registry === DOCKER_HUB && path.length === 1 ? `library/${path[0]}` : path.join("/");
  // Repository components are lowercase alphanumerics with single separators (the distribution grammar).
  if (!repository.split("/").every((c) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(c))) return undefined;
  const normalized = `${registry}/${repository}${tag !== undefined ? `:${tag}` : ""}${digest !== undefined ? `@${digest}` : ""}`;
  return { raw, registry, repository, tag, digest, normalized };
}

/**
 * Whether `reference` is allowed by `allowlist`. An entry ending with '/' is a prefix of the normalised
 * reference (as the Gatekeeper policy's registries are); any other entry names one repository (normalised
 * the same way, e.g. `node` = `docker.io/library/node`) and allows every tag and digest of it.
 */
export function isAllowedReference(reference: ImageReference, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => {
    if (entry.endsWith("/")) return reference.normalized.startsWith(entry);
    const named = parseImageReference(entry);
    return named !== undefined && named.registry === reference.registry && named.repository === reference.repository;
  });
}
