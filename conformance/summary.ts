/**
 * The conformance summary: the `dist/conformance.json` document and the table and closing line
 * `N passed, M failed` the runner prints. A judge that crashed or ran no case counts as one failure.
 */
import type { JudgeResult } from "./judge";

/** `dist/conformance.json`. */
export interface ConformanceReport {
  readonly judges: readonly JudgeResult[];
}

/** A judge that threw: recorded with its error, counted as failed. */
export function crashedJudge(name: string, version: string, error: unknown): JudgeResult {
  const message = error instanceof Error ? error.message : String(error);
  return { name, version, cases: 0, passed: 0, failed: 0, disagreements: [{ case: "(judge)", detail: `judge crashed: ${message}` }] };
}

/** Passed and failed cases over all judges; a judge with zero cases counts one failure. */
export function totals(judges: readonly JudgeResult[]): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const judge of judges) {
    passed += judge.passed;
    failed += judge.cases === 0 ? Math.max(1, judge.failed) : judge.failed;
  }
  return { passed, failed };
}

/** The printed table, then the closing line `N passed, M failed`. */
export function formatSummary(judges: readonly JudgeResult[]): string {
  const rows = judges.map((j) => [j.name, j.version, String(j.cases), String(j.passed), String(j.failed), String(j.disagreements.length)]);
  const header = ["judge", "version", "cases", "passed", "failed", "disagreements"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const { passed, failed } = totals(judges);
  return [line(header), ...rows.map(line), `${passed} passed, ${failed} failed`].join("\n");
}

/** The report document, as written (stable key order, 2-space indent, final newline). */
export function reportJson(judges: readonly JudgeResult[]): string {
  const report: ConformanceReport = {
    judges: judges.map((j) => ({
      name: j.name,
      version: j.version,
      cases: j.cases,
      passed: j.passed,
      failed: j.failed,
      disagreements: j.disagreements,
      ...(j.figures ? { figures: j.figures } : {}),
    })),
  };
  return JSON.stringify(report, null, 2) + "\n";
}
