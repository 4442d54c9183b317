/**
 * The control catalog: every control Bulwark claims, where it comes from, how it is enforced, the test
 * that proves it, and an evidence predicate over the plan, the synthesized objects and the policy suites.
 * One file per layer; this one only fixes the report order.
 */
import type { Control } from "../types";
import { awsClusterControls, awsLifecycleControls } from "./aws-cluster";
import { guardrailControls } from "./guardrails";
import { awsIdentityControls } from "./identity";
import { inClusterControls } from "./in-cluster";
import { networkControls } from "./network";
import { nodeControls } from "./nodes";
import { organizationalControls } from "./organizational";
import { constraintControls, gatekeeperControls } from "./policies";
import { rbacControls } from "./rbac";
import { buildControls, ecrControls } from "./supply-chain";

/** The catalog, in report order. */
export const CONTROLS: readonly Control[] = [
  ...awsClusterControls,
  ...awsIdentityControls,
  ...nodeControls,
  ...networkControls,
  ...awsLifecycleControls,
  ...ecrControls,
  ...inClusterControls,
  ...guardrailControls,
  ...rbacControls,
  ...gatekeeperControls,
  ...constraintControls,
  ...buildControls,
  ...organizationalControls,
];

/** Policy folder ids the catalog maps to constraints (for coverage checks). */
export function catalogPolicyIds(): string[] {
  return [
    ...new Set(CONTROLS.filter((c) => c.enforcement.mechanism === "constraint").flatMap((c) => c.enforcement.name.split(", ").map((s) => s.split(" ")[0]))),
  ].sort();
}
