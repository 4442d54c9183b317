/**
 * A small Pulumi mock harness: runs Pulumi programs in-process (pulumi.runtime.setMocks), answers provider
 * functions and resources with realistic AWS values, and records every registered resource with its type,
 * name, inputs, parent and options, through `startMockEngine` (lib/plan/engine.ts), the one way Bulwark
 * runs Pulumi under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import * as pulumiSettings from "@pulumi/pulumi/runtime/settings";
import type { MockAccount } from "../../lib/plan/mocks";
import { DEFAULT_MOCK_ACCOUNT, mockCall, mockResourceState } from "../../lib/plan/mocks";
import { startMockEngine } from "../../lib/plan/engine";

export type { MockAccount } from "../../lib/plan/mocks";
export { DEFAULT_MOCK_ACCOUNT, mockCall, mockHex, mockResourceState } from "../../lib/plan/mocks";

/** Options of a registered resource that matter for review. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs this resource depends on explicitly (`dependsOn`) or through its inputs. */
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
}

/** One registered resource, as the engine would have received it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for provider (custom) resources, false for components. */
  readonly custom: boolean;
  /** The inputs, fully resolved (no Outputs). */
  readonly inputs: Record<string, unknown>;
  /** The parent's URN (the stack for top-level resources). */
  readonly parent: string;
  readonly options: RecordedOptions;
  /** The mocked id and outputs the harness answered with. */
  readonly id: string;
  readonly state: Record<string, unknown>;
}

/** A provider-function call the program made. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface MockHarness {
  readonly account: MockAccount;
  /** Every resource registered since the last {@link reset}, in registration order. */
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
  /** Waits until every pending registration and call has been answered. */
  settle(): Promise<void>;
  /** Forgets what was recorded (between tests in one file). */
  reset(): void;
  /** Resources of one type. */
  ofType(type: string): RecordedResource[];
  /** Exactly one resource of `type` (and `name` when given); throws otherwise. */
  one(type: string, name?: string): RecordedResource;
  /** The resource with this URN. */
  byUrn(urn: string): RecordedResource | undefined;
}

/** Installs the mocks (call before constructing resources) and returns the recorder. */
export function installMocks(account: MockAccount = DEFAULT_MOCK_ACCOUNT, project = "bulwark", stack = "dev"): MockHarness {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  const answered = new Map<string, { id: string; state: Record<string, unknown> }>();
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      const result = mockResourceState(account, args.type, args.name, args.inputs as Record<string, unknown>);
      answered.set(`${args.type}::${args.name}`, result);
      return result;
    },
    call: (args) => {
      calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
      return mockCall(account, args.token, args.inputs as Record<string, unknown>);
    },
  };

  // See what the engine would: parent, protect, retainOnDelete, dependencies.
  startMockEngine({ mocks, project, stack }, (req, urn) => {
    const answer = answered.get(`${req.getType()}::${req.getName()}`) ?? { id: "", state: {} };
    const inputs = req.getObject();
    resources.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      inputs: inputs ? (pulumi.runtime.deserializeProperties(inputs) as Record<string, unknown>) : {},
      parent: req.getParent(),
      options: {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete?.() ?? false,
        dependsOn: req.getDependenciesList(),
        ignoreChanges: req.getIgnorechangesList(),
      },
      id: answer.id,
      state: answer.state,
    });
  });

  const harness: MockHarness = {
    account,
    resources,
    calls,
    settle: async () => {
      // waitForRPCs is internal to @pulumi/pulumi (not in its typings); it drains pending registrations and calls.
      await (pulumiSettings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    },
    reset: () => {
      resources.length = 0;
      calls.length = 0;
    },
    ofType: (type) => resources.filter((r) => r.type === type),
    one: (type, name) => {
      const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
      if (found.length !== 1)
        throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
      return found[0];
    },
    byUrn: (urn) => resources.find((r) => r.urn === urn),
  };
  return harness;
}

/**
 * Runs `construct` without capturing stack traces. Pulumi records each resource's source position from
 * `new Error().stack`, which jest source-maps: about 30 ms per resource, and of no use to assertions.
 */
export function withoutSourcePositions<T>(construct: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return construct();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The value of an Output (mocks resolve every value; secrets are unwrapped). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}
