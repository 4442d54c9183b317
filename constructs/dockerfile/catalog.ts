import type { DockerfileModel } from "./model";

/** The Dockerfile rules' ids and titles, and the shapes every rule shares. */

/** One rule's description. */
export interface DockerfileRule {
  /** Stable id, used in every output format. */
  readonly id: string;
  /** hadolint's id of the same check, where one exists. */
  readonly hadolint?: string;
  readonly title: string;
}

/** One finding: rule, 1-based line of the instruction, message. */
export interface DockerfileFinding {
  readonly rule: string;
  readonly line: number;
  readonly message: string;
}

/** What the image rules allow: registry prefixes (the cluster's allowed-registries policy) and base images. */
export interface DockerfileRuleOptions {
  /** Registry prefixes ending with '/', e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/`. */
  readonly allowedRegistries: readonly string[];
  /**
   * Base images allowed besides the registries: prefixes ending with '/', or repositories (`node` means
   * `docker.io/library/node`, any tag or digest).
   * @default []
   */
  readonly allowedBaseImages?: readonly string[];
}

export const DOCKERFILE_RULES = {
  untagged: { id: "DockerfileUntaggedImage", hadolint: "DL3006", title: "FROM names a tag or a digest" },
  latest: { id: "DockerfileLatestTag", hadolint: "DL3007", title: "FROM does not use the latest tag" },
  registry: { id: "DockerfileAllowedRegistry", hadolint: "DL3026", title: "FROM images come from an allowed registry or base image" },
  unresolved: { id: "DockerfileUnresolvedImage", title: "FROM images can be resolved from ARG defaults" },
  rootUser: { id: "DockerfileRootUser", hadolint: "DL3002", title: "The final stage sets USER to a non-root user" },
  volume: { id: "DockerfileSensitiveVolume", title: "No VOLUME of a sensitive host path" },
  integrity: { id: "DockerfileIntegrityBypass", title: "RUN keeps package signature and TLS verification" },
  secret: { id: "DockerfileSecretInLayer", title: "No secret-like file copied into a layer of the final image" },
} as const satisfies Record<string, DockerfileRule>;

/** A rule's check over a parsed Dockerfile. */
export type DockerfileCheck = (model: DockerfileModel, options: DockerfileRuleOptions) => DockerfileFinding[];
