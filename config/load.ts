import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, isMap, parseDocument } from "yaml";
import { ConfigError, YAML_SYNTAX_PATH } from "./errors";
import type { BulwarkConfig } from "./model";
import { parseStackConfig } from "./model";

/** Anchors and aliases a stack file may use: plenty for sharing a block, far too few for an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/** Stack names: what Pulumi accepts in `Pulumi.<stack>.yaml`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Path of the stack file for `stack` in `projectDir`. */
export function stackFilePath(stack: string, projectDir = "."): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

/**
 * Reads `Pulumi.<stack>.yaml` directly (no Pulumi CLI) and returns the validated model.
 * Throws {@link ConfigError} naming the file, line, key path, bad value and what is accepted.
 */
export function loadStackFile(stack: string, projectDir = "."): BulwarkConfig {
  const file = stackFilePath(stack, projectDir);
  if (!STACK_NAME.test(stack)) {
    throw new ConfigError([{ path: "--stack", value: stack, message: "must be a stack name: letters, digits, '_', '.', '-'" }]);
  }
  if (!existsSync(file)) {
    throw new ConfigError([{ path: "--stack", value: stack, message: `no stack file ${file}; create it or pass an existing stack` }]);
  }
  // A folder, FIFO or device named like a stack file: reading it fails or blocks forever.
  if (!statSync(file).isFile()) {
    throw new ConfigError([{ path: "--stack", value: stack, message: `${file} is not a regular file; the stack file must be a YAML file` }]);
  }
  return parseStackYaml(stack, readFileSync(file, "utf8"), file);
}

/**
 * The raw `config:` entries of a validated stack file, as written (for handing to a Pulumi program,
 * which validates them again through the same parser).
 */
export function readStackEntries(stack: string, projectDir = "."): Record<string, unknown> {
  loadStackFile(stack, projectDir);
  const doc = parseDocument(readFileSync(stackFilePath(stack, projectDir), "utf8"));
  return (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as { config: Record<string, unknown> }).config;
}

/** Parses the text of a stack file; `file` is used in messages. */
export function parseStackYaml(stack: string, text: string, file: string): BulwarkConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        path: YAML_SYNTAX_PATH,
        value: undefined,
        message: `invalid YAML (column ${error.linePos?.[0].col ?? 1}): ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
        line: error.linePos?.[0].line,
      })),
      file,
    );
  }
  const config = doc.get("config", true);
  if (!isMap(config)) {
    throw new ConfigError([{ path: "config", value: undefined, message: "the stack file must have a `config:` mapping", line: 1 }], file);
  }
  let entries: Record<string, unknown>;
  try {
    entries = (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as { config: Record<string, unknown> }).config ?? {};
  } catch (error) {
    // An alias bomb (a few lines that expand to billions of nodes) stops here, not in memory.
    const message = `invalid YAML: ${(error as Error).message}; at most ${MAX_ALIAS_COUNT} alias expansions are accepted`;
    throw new ConfigError([{ path: YAML_SYNTAX_PATH, value: undefined, message, line: 1 }], file);
  }
  const locate = (path: readonly (string | number)[]) => {
    // Walk up to the nearest node that exists (a missing key is reported at its parent).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(["config", ...path.slice(0, depth)], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return parseStackConfig(stack, entries, { file, locate });
}
