/** Evaluates the catalog against one stack's evidence: a status per control, sorted and deterministic. */
import { deploysLoadBalancerController } from "../config/deploy";
import { CONTROLS } from "./catalog";
import type { CheckOutcome, Control, EvidenceContext, Status } from "./types";
import { STATUSES } from "./types";

/** One row of the report. */
export interface ControlResult {
  readonly control: Control;
  readonly status: Status;
  readonly evidence: readonly string[];
  readonly verifiedBy: readonly string[];
  readonly detail?: string;
}

/** The detail of every `not-verified` row. */
export const CLUSTER_MADE_ELSEWHERE = "not verified: cluster made elsewhere (bulwark:deploy.target existing); Bulwark does not deploy or see its AWS side";

/** Is this an AWS-side control (the aws layer, or an `AWS-` resource of another layer such as ECR) of a cluster made elsewhere? */
function awsSideElsewhere(ctx: EvidenceContext, control: Control): boolean {
  const awsSide = control.layer === "aws" || control.id.startsWith("AWS-");
  return ctx.config.deploy?.target === "existing" && awsSide && control.enforcement.mechanism !== "organizational";
}

/** The detail of a control whose component is not deployed on this target. */
export const LOAD_BALANCER_CONTROLLER_ELSEWHERE =
  "not verified: cluster made elsewhere, reached by a kubeconfig only (bulwark:deploy.target existing without eksClusterName): Bulwark deploys no load balancer controller or IngressClasses there";

/** Why Bulwark cannot see this control on this stack's target (its detail), or undefined when it can. */
function notVerifiedDetail(ctx: EvidenceContext, control: Control): string | undefined {
  if (awsSideElsewhere(ctx, control)) return CLUSTER_MADE_ELSEWHERE;
  if (control.needs === "load-balancer-controller" && !deploysLoadBalancerController(ctx.config.deploy)) return LOAD_BALANCER_CONTROLLER_ELSEWHERE;
  return undefined;
}

/** Maps a predicate's outcome to a status; organizational guidance is never enforced. */
export function statusOf(control: Control, outcome: CheckOutcome | undefined): Status {
  if (!control.check || control.enforcement.mechanism === "organizational") return "organizational";
  if (!outcome || outcome.state === "missing") return "missing";
  if (outcome.state === "partial") return "partial";
  return (outcome.verifiedBy ?? []).length > 0 ? "enforced-and-verified" : "enforced";
}

/** Runs every control's predicate; a predicate that throws counts as missing, with the error as detail. */
export function evaluateControls(ctx: EvidenceContext, controls: readonly Control[] = CONTROLS): ControlResult[] {
  return controls.map((control) => {
    const notVerified = notVerifiedDetail(ctx, control);
    if (notVerified) return { control, status: "not-verified", evidence: [], verifiedBy: [], detail: notVerified };
    let outcome: CheckOutcome | undefined;
    if (control.check) {
      try {
        outcome = control.check(ctx);
      } catch (error) {
        outcome = { state: "missing", evidence: [], detail: `evidence check failed: ${(error as Error).message}` };
      }
    }
    const status = statusOf(control, outcome);
    return {
      control,
      status,
      evidence: outcome?.evidence ?? [],
      verifiedBy: outcome?.verifiedBy ?? [],
      ...(outcome?.detail ? { detail: outcome.detail } : {}),
    };
  });
}

export type Summary = Readonly<Record<Status, number>> & { readonly total: number };

export function summarize(results: readonly ControlResult[]): Summary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, results.filter((r) => r.status === s).length])) as Record<Status, number>;
  return { ...counts, total: results.length };
}
