/**
 * The offline plan: runs a Pulumi program in-process under Pulumi's mock engine (no CLI, no cloud, no
 * network) and records every resource the program registers, exactly as the engine would receive it:
 * type, name, URN, parent, explicit dependencies, provider, protection and inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";

/** The value every secret input is shown as. */
export const SECRET_PLACEHOLDER = "[secret]";
/** Pulumi's wire marker for a secret value. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Pulumi's wire marker for a resource reference. */
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** One registered resource. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly dependsOn: readonly string[];
  readonly provider: string | null;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

/** The plan of one stack: `plan.json`. */
export interface Plan {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
}

export interface PlanOptions {
  /** Stack name (the `pulumi:stack` the program sees). */
  readonly stack: string;
  /** Project name. */
  readonly project: string;
  /** Config the program reads through `pulumi.Config`, as Pulumi passes it (key → string). */
  readonly config: Readonly<Record<string, string>>;
  /** Outputs of mocked resources and function calls. */
  readonly mocks: pulumi.runtime.Mocks;
  /** The program; runs inside the root stack. */
  readonly program: () => void | Promise<void>;
}

/** Turns a serialized property value into plain JSON, secrets masked, resource references as URNs. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
  if (record[SECRET_SIG_KEY] === RESOURCE_SIG) return record.urn;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = plain(record[key]);
  return out;
}

/** What the mock monitor receives for one resource registration (the getters the recorders read). */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getProvider(): string;
  getProtect(): boolean;
  getRetainondelete?(): boolean;
  /** The inputs, serialized (a protobuf Struct). */
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0] | undefined;
}
type RegisterResponse = { getUrn(): string };
type Monitor = { registerResource(req: RegisterRequest, callback: (err: unknown, resp?: RegisterResponse) => void): Promise<void> };

/**
 * Calls `onRegistered` with each resource the mock monitor of `setMocks` registers, once it has answered
 * with the URN: what the engine would see of the registration (parent, options, dependencies, inputs).
 * Call after `setMocks`, which installs a new monitor.
 */
function recordRegistrations(onRegistered: (request: RegisterRequest, urn: string) => void): void {
  const monitor = getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) onRegistered(req, resp.getUrn());
      callback(err, resp);
    });
}

/** What {@link startMockEngine} needs: the mocks and the stack the program sees. */
export interface MockEngineOptions {
  readonly mocks: pulumi.runtime.Mocks;
  readonly project: string;
  readonly stack: string;
  /** Config the program reads through `pulumi.Config` (key → string). @default none */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * The one way Bulwark runs Pulumi under mocks (the offline plan and the tests' harness alike): installs
 * `mocks` for `project`/`stack`, sets the config, and reports each registration to `onRegistered`.
 */
export function startMockEngine(options: MockEngineOptions, onRegistered: (request: RegisterRequest, urn: string) => void): void {
  // setMocks does all its work before its first await: the mock monitor exists when it returns.
  void pulumi.runtime.setMocks(options.mocks, options.project, options.stack, false);
  pulumi.runtime.setAllConfig({ ...(options.config ?? {}) });
  recordRegistrations(onRegistered);
}

/** A provider reference `urn::id` → the provider's URN. */
function providerUrn(reference: string): string | null {
  if (!reference) return null;
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

let running = false;

/**
 * Runs `program` under mocks and returns every resource it registered, in registration order. The
 * process-wide Pulumi runtime is used, so plans run one at a time.
 */
export async function runPlan(options: PlanOptions): Promise<Plan> {
  if (running) throw new Error("runPlan: a plan is already running in this process; run plans one at a time");
  running = true;
  try {
    const resources: PlannedResource[] = [];
    startMockEngine(options, (req, urn) =>
      resources.push({
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || null,
        dependsOn: [...new Set(req.getDependenciesList())].sort(),
        provider: providerUrn(req.getProvider()),
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete?.() ?? false,
        custom: req.getCustom(),
        inputs: plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      }),
    );
    let failure: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        await options.program();
      } catch (error) {
        failure = error;
      }
      return {};
    });
    // Wait until every registration, including those made inside apply callbacks, has been recorded.
    await pulumi.runtime.disconnect();
    if (failure) throw failure;
    return { stack: options.stack, resources };
  } finally {
    running = false;
  }
}
