import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import type { ApiObject, App } from "cdk8s";
import type { ConfigProblem } from "../../config/errors";
import { ConfigError } from "../../config/errors";
import { loadStackFile, parseStackYaml } from "../../config/load";
import type { BulwarkConfig } from "../../config/model";
import { buildBulwarkApp } from "../../constructs/app";
import { synthesizeApp } from "../../constructs/synthesize";

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/** The `dev` stack's validated config. */
export function devConfig(): BulwarkConfig {
  return loadStackFile("dev", REPO_ROOT);
}

/** A Kubernetes object as synthesized (plain JSON). */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

/** Every chart of an app with its synthesized objects, in synth order. */
export function chartsOf(app: App): { id: string; objects: Manifest[] }[] {
  return synthesizeApp(app).map((chart) => ({ id: chart.name, objects: chart.objects as Manifest[] }));
}

/** Every object the app synthesizes. */
export function objectsOf(app: App): Manifest[] {
  return chartsOf(app).flatMap((chart) => chart.objects);
}

/** The objects of `config`'s app, built in memory. */
export function synthObjects(config: BulwarkConfig = devConfig()): Manifest[] {
  return objectsOf(buildBulwarkApp(config));
}

/** Finds exactly one object by kind, namespace and name. */
export function findObject(objects: readonly Manifest[], kind: string, namespace: string | undefined, name: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? ""}/${name}, found ${found.length}`);
  return found[0];
}

/** The JSON of a cdk8s ApiObject. */
export function jsonOf(object: ApiObject): Manifest {
  return object.toJson() as Manifest;
}

/** Runs a `stacks/*.ts` command with tsx in `cwd`; returns exit code and output. */
export function runStackCommand(script: string, args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), join(REPO_ROOT, "stacks", script), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_NO_WARNINGS: "1", ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The problems a stack file's text is rejected with; fails when it is accepted. */
export function configProblemsOf(text: string): readonly ConfigProblem[] {
  try {
    parseStackYaml("dev", text, "Pulumi.dev.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}
