/**
 * The shape every conformance judge reports in `dist/conformance.json`
 * (`{"judges":[{"name","version","cases","passed","failed","disagreements":[…]}]}`).
 */

/** A case where Bulwark and the real engine disagree (or the real engine rejected what Bulwark emits). */
export interface Disagreement {
  /** Which case: a suite sample, fixture path, or generated-object id. */
  readonly case: string;
  /** What each side said. */
  readonly detail: string;
  /** The smallest object that shows the disagreement, when there is one. */
  readonly object?: unknown;
}

/** One judge's outcome. A judge with zero cases has not run. */
export interface JudgeResult {
  /** `gator-verify`, `differential-gator`, `apiserver-dry-run`, `pod-security-admission`, `rbac`, `gatekeeper-admission`, … */
  readonly name: string;
  /** The real engine's version, e.g. `gatekeeper v3.21.1` or `kube-apiserver v1.33.5`. */
  readonly version: string;
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly disagreements: readonly Disagreement[];
  /**
   * What the judge measured besides its cases (resources, durations, observed order), written as is.
   * @default none
   */
  readonly figures?: Readonly<Record<string, unknown>>;
}
