/**
 * Dockerfile checks (`bulwark check` on files named `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, or given
 * with `--dockerfile`): the build-phase side of the cluster's image policies.
 */
import { basename } from "node:path";
import type { DockerfileFinding, DockerfileRuleOptions } from "./catalog";
import { parseDockerfile } from "./model";
import { DOCKERFILE_CHECKS } from "./rules";

export * from "./catalog";
export { parseDockerfile } from "./model";
export { isAllowedReference, parseImageReference } from "./reference";
export type { ImageReference } from "./reference";
export { isSecretLikePath } from "./secrets";
export { integrityBypasses } from "./shell";

/** Whether a file name is a Dockerfile's: `Dockerfile`, `*.Dockerfile`, `Dockerfile.*` (any case, as editors do). */
export function isDockerfileName(path: string): boolean {
  const name = basename(path).toLowerCase();
  return name === "dockerfile" || name.endsWith(".dockerfile") || name.startsWith("dockerfile.");
}

/** A Dockerfile docker could not build: no stage at all. */
export class DockerfileSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "DockerfileSyntaxError";
  }
}

/** Every finding of one Dockerfile's text, sorted by line then rule; throws {@link DockerfileSyntaxError}. */
export function checkDockerfileText(text: string, options: DockerfileRuleOptions): DockerfileFinding[] {
  const model = parseDockerfile(text);
  if (model.stages.length === 0) throw new DockerfileSyntaxError(1, "no FROM instruction: not a Dockerfile docker can build (is it the right file?)");
  const findings = DOCKERFILE_CHECKS.flatMap((check) => check(model, options));
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}
