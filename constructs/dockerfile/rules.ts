/**
 * The Dockerfile rules of `bulwark check`: the build-phase counterparts of the cluster's image policies.
 * Where a rule overlaps hadolint's (github.com/hadolint/hadolint, rules DL3002, DL3006, DL3007, DL3026), it
 * names hadolint's id and keeps its semantics; docs/policies.md ("Dockerfile rules") documents each.
 */
import type { DockerfileCheck, DockerfileFinding } from "./catalog";
import { DOCKERFILE_RULES } from "./catalog";
import type { DockerfileModel, Stage, StageInstruction } from "./model";
import { stageVariables, substitute } from "./model";
import { isAllowedReference, parseImageReference } from "./reference";
import { checkSecrets } from "./secrets";
import { integrityBypasses, runScript } from "./shell";

type Check = DockerfileCheck;

/** External images (not `scratch`, not an earlier stage), resolved. */
function externalImages(model: DockerfileModel): { stage: Stage; image: string }[] {
  return model.stages
    .filter((s) => s.parent === undefined && s.image !== undefined && s.image.toLowerCase() !== "scratch")
    .map((s) => ({ stage: s, image: s.image! }));
}

const checkUnresolved: Check = (model) =>
  model.stages
    .filter((s) => s.image === undefined)
    .map((s) => ({
      rule: DOCKERFILE_RULES.unresolved.id,
      line: s.fromLine,
      message: `FROM ${s.imageText}: ${s.unresolved.map((v) => `$${v}`).join(", ")} has no default (give the ARG before FROM a default, e.g. ARG ${s.unresolved[0]}=<image>:<tag>), so the base image cannot be checked`,
    }));

const checkTags: Check = (model) =>
  externalImages(model).flatMap(({ stage, image }): DockerfileFinding[] => {
    const ref = parseImageReference(image);
    if (!ref) return [{ rule: DOCKERFILE_RULES.untagged.id, line: stage.fromLine, message: `FROM ${image}: not a valid image reference` }];
    if (ref.digest) return [];
    if (ref.tag === undefined)
      return [
        {
          rule: DOCKERFILE_RULES.untagged.id,
          line: stage.fromLine,
          message: `FROM ${image}: no tag or digest (an untagged image means latest); name a version, e.g. ${image}:<version>, or pin @sha256:<digest>`,
        },
      ];
    if (ref.tag === "latest")
      return [
        { rule: DOCKERFILE_RULES.latest.id, line: stage.fromLine, message: `FROM ${image}: the latest tag moves; name a version or pin @sha256:<digest>` },
      ];
    return [];
  });

const checkRegistry: Check = (model, options) =>
  externalImages(model).flatMap(({ stage, image }): DockerfileFinding[] => {
    const ref = parseImageReference(image);
    if (!ref) return [];
    const allowlist = [...options.allowedRegistries, ...(options.allowedBaseImages ?? [])];
    if (isAllowedReference(ref, allowlist)) return [];
    const allowed = allowlist.length > 0 ? allowlist.join(", ") : "(none configured)";
    return [
      {
        rule: DOCKERFILE_RULES.registry.id,
        line: stage.fromLine,
        message: `FROM ${image} (resolved: ${ref.normalized}) is not from an allowed registry or base image: ${allowed}`,
      },
    ];
  });

function isRootUser(user: string): boolean {
  const name = user.split(":")[0];
  return name === "root" || /^0+$/.test(name);
}

const checkRootUser: Check = (model) => {
  if (model.stages.length === 0) return [];
  // The final stage inherits USER from the stages it builds on; the last USER along that chain decides.
  const chain = [...model.finalImageStages].sort((a, b) => a - b).map((i) => model.stages[i]);
  const final = chain[chain.length - 1];
  let last: { stage: Stage; instruction: StageInstruction } | undefined;
  for (const stage of chain) for (const instruction of stage.instructions) if (instruction.keyword === "USER") last = { stage, instruction };
  if (!last)
    return [
      {
        rule: DOCKERFILE_RULES.rootUser.id,
        line: final.fromLine,
        message: "the final stage sets no USER, so the image runs as its base image's user (root for most); add USER <non-root uid>",
      },
    ];
  const { value, unresolved } = substitute(last.instruction.args[0] ?? "", stageVariables(last.stage, last.instruction.line));
  if (unresolved.length > 0)
    return [
      {
        rule: DOCKERFILE_RULES.rootUser.id,
        line: last.instruction.line,
        message: `USER ${last.instruction.text}: ${unresolved.map((v) => `$${v}`).join(", ")} has no default, so the user cannot be checked; give the ARG a non-root default`,
      },
    ];
  if (isRootUser(value))
    return [
      {
        rule: DOCKERFILE_RULES.rootUser.id,
        line: last.instruction.line,
        message: `USER ${last.instruction.text}: the image runs as root; set USER to a non-root uid, e.g. USER 10001`,
      },
    ];
  return [];
};

/** Container paths that, mounted, expose the host or the container runtime. */
const SENSITIVE_VOLUMES = new Set([
  "/",
  "/proc",
  "/sys",
  "/dev",
  "/etc",
  "/boot",
  "/root",
  "/var/run/docker.sock",
  "/run/docker.sock",
  "/var/run",
  "/run",
  "/var/lib/docker",
  "/host",
  "/hostfs",
  "/rootfs",
]);

function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

function volumePaths(instruction: StageInstruction): string[] {
  const text = instruction.text.trim();
  if (text.startsWith("[")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: docker then treats the text as space-separated paths
    }
  }
  return [...instruction.args];
}

const checkVolumes: Check = (model) =>
  model.stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => i.keyword === "VOLUME")
      .flatMap((instruction) => {
        const values = stageVariables(stage, instruction.line);
        return volumePaths(instruction)
          .map((path) => ({ path, normalized: normalizePath(substitute(path, values).value) }))
          .filter(({ normalized }) => SENSITIVE_VOLUMES.has(normalized))
          .map(({ path, normalized }) => ({
            rule: DOCKERFILE_RULES.volume.id,
            line: instruction.line,
            message: `VOLUME ${path}${path === normalized ? "" : ` (${normalized})`}: a volume over a host or runtime path (${[...SENSITIVE_VOLUMES].join(", ")}) invites mounting the host into the container; use an application data path such as /data`,
          }));
      }),
  );

const checkIntegrity: Check = (model) =>
  model.stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => i.keyword === "RUN")
      .flatMap((instruction) =>
        integrityBypasses(runScript(instruction.text)).map((bypass) => ({
          rule: DOCKERFILE_RULES.integrity.id,
          line: instruction.line,
          message: `RUN disables verification: ${bypass}; install from trusted sources with signatures and TLS checked (pin a checksum for downloads, e.g. curl -o f && sha256sum -c)`,
        })),
      ),
  );

/** Every check, in report order. */
export const DOCKERFILE_CHECKS: readonly Check[] = [checkUnresolved, checkTags, checkRegistry, checkRootUser, checkVolumes, checkIntegrity, checkSecrets];
