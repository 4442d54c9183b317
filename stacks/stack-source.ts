/** Where a command's policies come from: a stack name (`--stack`), a stack file path (`--stack-file`). */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadStackFile, parseStackYaml } from "../config/load";
import type { BulwarkConfig } from "../config/model";
import { UsageError } from "./cli";

/** The Bulwark version of this installation (package.json), recorded in bundles and SARIF. */
export function bulwarkVersion(): string {
  // From the sources package.json is one level up; from the compiled build/stacks/, two.
  for (const candidate of [join(__dirname, "..", "package.json"), join(__dirname, "..", "..", "package.json")]) {
    try {
      const parsed = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (parsed.name === "bulwark" && parsed.version) return parsed.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

/** A stack's name and validated config. */
export interface LoadedStack {
  readonly name: string;
  readonly config: BulwarkConfig;
}

/**
 * Loads `--stack-file PATH` (any path; the stack's name is `<name>` of `Pulumi.<name>.yaml`, else the file's
 * base name) or else `--stack NAME` from `projectDir`. Both given is a usage error the caller reports.
 */
export function loadStack(options: { readonly stack?: string; readonly stackFile?: string }, projectDir = "."): LoadedStack {
  if (options.stackFile === undefined) {
    const name = options.stack ?? "dev";
    return { name, config: loadStackFile(name, projectDir) };
  }
  const file = options.stackFile;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError([{ path: "--stack-file", value: file, message: `cannot read (${code}); name an existing Pulumi.<stack>.yaml` }]);
  }
  const name = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file))?.[1] ?? basename(file);
  return { name, config: parseStackYaml(name, text, file) };
}

/** `--stack` and `--stack-file` name the same thing: giving both is a usage error. */
export function refuseBothStackOptions(values: { readonly stack?: string; readonly "stack-file"?: string }): void {
  if (values.stack !== undefined && values["stack-file"] !== undefined) throw new UsageError("give --stack or --stack-file, not both");
}

/** The stack options every stack command takes. */
export const STACK_OPTIONS = { stack: { type: "string" }, "stack-file": { type: "string" } } as const;

/**
 * Where `--stack NAME` (in the current folder) or `--stack-file DIR/Pulumi.NAME.yaml` points: the stack's name
 * and its folder, for the commands that plan the program (whose config is the stack file's, by name).
 */
export function stackLocation(values: { readonly stack?: string; readonly "stack-file"?: string }): { stack: string; projectDir: string } {
  refuseBothStackOptions(values);
  const file = values["stack-file"];
  if (file === undefined) return { stack: values.stack ?? "dev", projectDir: "." };
  const name = /^Pulumi\.(.+)\.yaml$/.exec(basename(file))?.[1];
  if (!name)
    throw new ConfigError([
      { path: "--stack-file", value: file, message: "must name a stack file Pulumi.<stack>.yaml: the stack's name comes from the file name" },
    ]);
  return { stack: name, projectDir: dirname(file) };
}
