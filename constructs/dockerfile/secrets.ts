/**
 * Secrets in layers: a file with a secret-like name COPY'd or ADD'ed in a stage whose layers end up in the
 * final image stays in that layer even when a later RUN removes it (`docker history`, `docker save` show it).
 * Copying it in a build stage the final image does not build on is fine (multi-stage); so is a BuildKit
 * secret mount (`RUN --mount=type=secret`), which never becomes a layer.
 */
import type { DockerfileCheck, DockerfileFinding } from "./catalog";
import { DOCKERFILE_RULES } from "./catalog";

/** Base names of files that hold credentials (keys, tokens, registry and cloud credentials). */
const SECRET_NAMES = [
  /^\.env$/,
  /^\.env\.(?!example$|sample$|template$|dist$).+$/,
  /^id_(rsa|dsa|ecdsa|ed25519)$/,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk|asc|gpg)$/,
  /^credentials(\.json|\.csv|\.ya?ml)?$/,
  /^\.(npmrc|pypirc|netrc|git-credentials|dockercfg|htpasswd|pgpass|s3cfg|boto)$/,
  /^(kubeconfig|secrets?\.(json|ya?ml|env|toml)|terraform\.tfvars|.*\.tfstate|service-account.*\.json|gcp-key.*\.json)$/,
];
/** Paths whose location says they hold credentials whatever the file is called. */
const SECRET_PATHS = [/(^|\/)\.ssh\//, /(^|\/)\.aws\/(credentials|config)$/, /(^|\/)\.docker\/config\.json$/, /(^|\/)\.kube\/config$/];

/** Whether a COPY/ADD source names a secret-like file. */
export function isSecretLikePath(source: string): boolean {
  const path = source.replace(/\/+$/, "");
  const base = path.split("/").pop() ?? "";
  return SECRET_NAMES.some((re) => re.test(base)) || SECRET_PATHS.some((re) => re.test(path));
}

/** COPY/ADD sources: the arguments but the last (the destination); the JSON form too. */
function sources(text: string, args: readonly string[]): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return parsed.slice(0, -1).map(String);
    } catch {
      // not JSON: docker then treats the text as space-separated arguments
    }
  }
  return args.slice(0, -1);
}

export const checkSecrets: DockerfileCheck = (model) =>
  model.stages
    .filter((stage) => model.finalImageStages.has(stage.index))
    .flatMap((stage) =>
      stage.instructions
        .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
        .flatMap((instruction): DockerfileFinding[] =>
          sources(instruction.text, instruction.args)
            .filter(isSecretLikePath)
            .map((source) => ({
              rule: DOCKERFILE_RULES.secret.id,
              line: instruction.line,
              message: `${instruction.keyword} ${source}: a secret-like file in a layer of the final image stays there even if a later RUN deletes it; use it in a build stage the final image does not build on, or RUN --mount=type=secret,id=<id>`,
            })),
        ),
    );
