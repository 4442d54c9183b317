/**
 * The real Pulumi engine for the `pulumi-up` judge: the CLI built by conformance/pulumi/tools.sh, a local file
 * backend and the passphrase secrets provider in a throw-away directory, the Kubernetes provider built from the
 * Go module proxy as an ambient plugin on PATH, and no plugin downloads.
 *
 * The program runs through the Automation API's inline program: the CLI connects to a language runtime the
 * Node SDK serves in this process (the engine's `client` runtime). The Node.js language host
 * (pulumi-language-nodejs) is not used: the Go module proxy answers 403 for its module
 * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 at every version (2026-12-02).
 */
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { toPulumiConfig } from "../../stacks/pulumi-config";

/** Paths conformance/pulumi/tools.sh prints. */
export interface PulumiTools {
  readonly pulumi: string;
  readonly "pulumi-resource-kubernetes": string;
}

/** Builds (or reuses) the Pulumi CLI and the Kubernetes provider; exits 2 from the script without Go. */
export function ensurePulumiTools(): PulumiTools {
  const out = execFileSync(resolve(__dirname, "tools.sh"), ["all"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const paths: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) paths[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (!paths.pulumi || !paths["pulumi-resource-kubernetes"])
    throw new Error("conformance/pulumi/tools.sh printed no pulumi= or pulumi-resource-kubernetes= path");
  return paths as unknown as PulumiTools;
}

/** One engine event the judge keeps: when a resource step started or finished. */
export interface StepEvent {
  readonly atMs: number;
  readonly phase: "pre" | "outputs" | "failed";
  readonly urn: string;
  readonly type: string;
  readonly op: string;
}

/** Keeps the step events of one operation, stamped with the time they arrived. */
export function stepRecorder(events: StepEvent[]): (event: EngineEvent) => void {
  return (event) => {
    const atMs = Date.now();
    const pre = event.resourcePreEvent?.metadata;
    const outputs = event.resOutputsEvent?.metadata;
    const failed = event.resOpFailedEvent?.metadata;
    const step = pre ?? outputs ?? failed;
    if (!step) return;
    events.push({ atMs, phase: pre ? "pre" : outputs ? "outputs" : "failed", urn: step.urn, type: step.type, op: step.op });
  };
}

/**
 * A stack on a local file backend in `dir`, for the inline `program`, with `entries` as its config. The CLI
 * finds the Kubernetes provider on PATH (ambient plugin) and never downloads one.
 */
export async function conformanceStack(
  dir: string,
  tools: PulumiTools,
  stackName: string,
  entries: Readonly<Record<string, unknown>>,
  program: () => Promise<Record<string, unknown>>,
): Promise<Stack> {
  const state = join(dir, "state");
  const home = join(dir, "pulumi-home");
  mkdirSync(state, { recursive: true });
  mkdirSync(home, { recursive: true });
  const pulumiCommand = await PulumiCommand.get({ root: dirname(dirname(tools.pulumi)) });
  const envVars: Record<string, string> = {
    PATH: `${dirname(tools["pulumi-resource-kubernetes"])}${delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: "bulwark-conformance (a throw-away local stack)",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
    // The provider's own kubeconfig fallback must not reach any cluster but the loopback one.
    KUBECONFIG: join(dir, "no-ambient-kubeconfig"),
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName: "bulwark", program },
    {
      workDir: dir,
      pulumiHome: home,
      pulumiCommand,
      envVars,
      secretsProvider: "passphrase",
      projectSettings: { name: "bulwark", runtime: "nodejs", backend: { url: `file://${state}` } },
    },
  );
  const config = toPulumiConfig(entries);
  await stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])));
  return stack;
}
