/** Types of the control catalog and its evaluation (docs/report.md). */
import type { BulwarkConfig } from "../config/model";
import type { PolicyDefinition } from "../constructs/gatekeeper/policy";
import type { SynthesizedChart } from "../constructs/synthesize";
import type { Plan } from "../lib/plan/engine";

/** Where a control lives. */
export type Layer = "aws" | "cluster" | "workload" | "build";

/** The seed checklist items every control maps to. */
export const CHECKLIST_ITEMS = [
  "restrict API access",
  "RBAC least privilege",
  "encrypt data at rest and rotate keys",
  "Pod Security Standards",
  "image policies",
  "default deny network policies",
  "block the metadata endpoint",
  "audit logging",
  "third-party authentication",
  "node isolation",
  "kubelet access",
  "service-account tokens",
  "attack paths",
  "static YAML analysis",
  "image scanning and provenance",
  "secrets management",
  "keeping Kubernetes up to date",
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

/**
 * Where a control comes from. Section titles, not numbers, where a number is not certain: the NSA/CISA
 * guide (v1.2) and the EKS Best Practices Guide are cited by section title; CIS EKS Benchmark ids only
 * where the recommendation maps one to one.
 */
export interface ControlSources {
  /** NSA/CISA Kubernetes Hardening Guidance section title. @default none */
  readonly nsa?: string;
  /** CIS Amazon EKS Benchmark 1.8 recommendation id and title. @default none */
  readonly cis?: string;
  /** EKS Best Practices Guide (security) section title. @default none */
  readonly eksBestPractices?: string;
  /** The seed checklist item. */
  readonly checklist: ChecklistItem;
}

/** How Bulwark enforces a control. */
export interface Enforcement {
  readonly mechanism: "resource" | "construct" | "constraint" | "organizational";
  /** The Pulumi resource type / construct / Gatekeeper policy id that carries the control. */
  readonly name: string;
}

/** Everything a control's evidence predicate may look at: nothing else, so the result is reproducible. */
export interface EvidenceContext {
  readonly config: BulwarkConfig;
  /** The offline plan (`planStack`). */
  readonly plan: Plan;
  /** The synthesized charts (`synthesizeApp(buildBulwarkApp(config))`). */
  readonly charts: readonly SynthesizedChart[];
  /** The policy definitions (`loadPolicies()`): each policy's constraint kind. */
  readonly policies: readonly PolicyDefinition[];
  /** Policy suite results by policy id (folder name): failures per case, empty when it passed. */
  readonly suites: Readonly<Record<string, SuiteSummary>>;
  /** The day EKS support is judged on, against the versions table's dates: the run's day in the CLIs. */
  readonly today: Date;
}

/** One policy suite's outcome. */
export interface SuiteSummary {
  readonly cases: number;
  /** `test/case: failure` lines; empty when every case passed. */
  readonly failures: readonly string[];
}

/** What an evidence predicate found. */
export interface CheckOutcome {
  /** ok: the control is in place; partial: in place with a gap; missing: not in place. */
  readonly state: "ok" | "partial" | "missing";
  /** Resource, object or constraint names that carry the control (or the gap). */
  readonly evidence: readonly string[];
  /**
   * Behaviour verified offline in this run (a policy suite that passed, a reachability or attack-path
   * analysis). Empty: only the configuration was checked.
   * @default none
   */
  readonly verifiedBy?: readonly string[];
  /** Why the state is partial or missing. @default none */
  readonly detail?: string;
}

/** A jest test: its file and its title path (`describe › it`, each-table titles as written, e.g. `%s`). */
export interface TestRef {
  /** Repository-relative test file. */
  readonly file: string;
  /** The test's full title as jest prints it, describe blocks joined by ` › `. */
  readonly name: string;
}

/** One catalog entry. */
export interface Control {
  /** Stable id, e.g. `AWS-SECRETS-KMS`. */
  readonly id: string;
  readonly title: string;
  readonly layer: Layer;
  readonly sources: ControlSources;
  readonly enforcement: Enforcement;
  /** The test that fails when the control is removed; none for organizational. @default none */
  readonly test?: TestRef;
  /** The evidence predicate; none for organizational guidance, which is never counted as enforced. */
  readonly check?: (ctx: EvidenceContext) => CheckOutcome;
  /**
   * A component the control lives in that Bulwark deploys only on some targets: the AWS Load Balancer
   * Controller (and its IngressClasses) is not deployed onto a cluster made elsewhere reached by a bare
   * kubeconfig, so there the control is not verified, never missing or enforced.
   * @default none: the control is Bulwark's wherever it deploys
   */
  readonly needs?: "load-balancer-controller";
}

/**
 * `not-verified`: an AWS-side control of a cluster made elsewhere (`bulwark:deploy.target: existing`), which
 * Bulwark neither deploys nor sees; never counted as enforced, nor as missing.
 */
export const STATUSES = ["enforced-and-verified", "enforced", "partial", "organizational", "not-verified", "missing"] as const;
export type Status = (typeof STATUSES)[number];
