import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, EXIT_BAD_INPUT } from "../config/errors";

/** A command-line usage error: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The nearest existing ancestor of `path` (or `path` itself) with whether it is a folder. */
function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, isDirectory: statSync(current).isDirectory() };
    } catch {
      if (dirname(current) === current) return { path: current, isDirectory: true };
    }
  }
}

/**
 * `value` of an output-folder flag, resolved; a usage error (exit 2, before anything is written) when it
 * names a file or lies under one.
 */
export function outputDirectory(flag: string, value: string): string {
  const path = resolve(value);
  const existing = nearestExisting(path);
  if (!existing.isDirectory) {
    const where = existing.path === path ? "is a file" : `is under ${existing.path}, which is a file`;
    throw new UsageError(`${flag} ${value}: ${where}; name a folder (it is created when missing)`);
  }
  return path;
}

/** `value` of an output-file flag, resolved; a usage error when it is a folder or lies under a file. */
export function outputFile(flag: string, value: string): string {
  const path = resolve(value);
  const existing = nearestExisting(path);
  if (existing.path === path && existing.isDirectory) throw new UsageError(`${flag} ${value}: is a folder; name a file such as ${value}/out`);
  if (existing.path !== path && !existing.isDirectory) {
    throw new UsageError(`${flag} ${value}: is under ${existing.path}, which is a file; name a file in a folder`);
  }
  return path;
}

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** Parses argv strictly: an unknown flag or a missing value is a usage error, never ignored. */
export function parseCommandLine<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Runs a command's body and maps failures to exit codes: bad input (config, usage) → 2 with a message
 * that says what to fix; anything else → 1 with the error.
 */
export async function runCommand(usage: string, body: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nNothing was synthesized, planned or deployed.\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
