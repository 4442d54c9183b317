import * as pulumi from "@pulumi/pulumi";
import type { BulwarkConfig } from "../config/model";
import { parseStackConfig } from "../config/model";

/**
 * The stack's config as the Pulumi CLI hands it to a program: every key's value as a string, structured
 * values JSON-encoded. Used by the offline plan to feed the program exactly what `pulumi up` would.
 */
export function toPulumiConfig(entries: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

/**
 * Reads the running program's config (`pulumi.runtime.allConfig()`) through the same parser the CLI
 * uses, so `pulumi up` and every offline command validate one model the same way.
 */
export function readPulumiStackConfig(): BulwarkConfig {
  const entries: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        entries[key] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: validate it as the plain string it is.
      }
    }
    entries[key] = value;
  }
  return parseStackConfig(pulumi.getStack(), entries, { file: `Pulumi.${pulumi.getStack()}.yaml` });
}
