import type { Plan } from "../../lib/plan/engine";
import { runPlan } from "../../lib/plan/engine";

/** Mocks that echo every resource's inputs as its state (plus `extraState`). */
export function echoMocks(extraState: Record<string, unknown> = {}) {
  return {
    newResource: (args: { name: string; inputs: Record<string, unknown> }) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...extraState } }),
    call: (args: { inputs: Record<string, unknown> }) => args.inputs,
  };
}

/** Plans `program` (stack "test") under echo mocks. */
export function planProgram(program: () => Promise<void> | void, extraState?: Record<string, unknown>): Promise<Plan> {
  return runPlan({ stack: "test", project: "bulwark", config: {}, mocks: echoMocks(extraState), program });
}
