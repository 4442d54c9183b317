/** Exit code for bad input (config, manifests, command line): nothing is synthesized, planned or deployed. */
export const EXIT_BAD_INPUT = 2;

/** One problem in a stack configuration: where it is, what was found and what is accepted. */
export interface ConfigProblem {
  /** Key path in the stack's config, e.g. `bulwark:tenants[0].name`. */
  readonly path: string;
  /** The offending value (`undefined` for a missing key). */
  readonly value: unknown;
  /** What is wrong and what is accepted. */
  readonly message: string;
  /** 1-based line in the stack file, when the config was read from a file. */
  readonly line?: number;
}

/** Thrown when a stack configuration is invalid; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly file?: string,
  ) {
    super(formatProblems(problems, file));
    this.name = "ConfigError";
  }
}

/** The `path` of a problem with the file's YAML itself (syntax, aliases), before any key exists. */
export const YAML_SYNTAX_PATH = "(yaml)";

function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  // JSON would print NaN and Infinity (YAML .nan, .inf, 1e400) as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** One line per problem: `file:line: key.path = value: message`. */
export function formatProblems(problems: readonly ConfigProblem[], file?: string): string {
  const lines = problems.map((p) => {
    const where = file ? `${file}${p.line ? `:${p.line}` : ""}: ` : "";
    // A file that is not YAML has no key path or value yet: the message says where in the text.
    if (p.path === YAML_SYNTAX_PATH) return `${where}${p.message}`;
    return `${where}${p.path} = ${formatValue(p.value)}: ${p.message}`;
  });
  const count = `${problems.length} configuration problem${problems.length === 1 ? "" : "s"}`;
  return `${count}${file ? ` in ${file}` : ""}:\n${lines.map((l) => `  - ${l}`).join("\n")}`;
}
