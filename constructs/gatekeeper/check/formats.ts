/** Output formats of `check`: text for people, JSON for scripts, SARIF 2.1.0 for code scanning. */
import type { CheckReport } from "./checker";

export const CHECK_FORMATS = ["text", "json", "sarif"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** The JSON document of `--format json` (exactly the shape documented in docs/policies.md). */
export function toJsonReport(report: CheckReport): unknown {
  return {
    results: report.results.map((r) => ({
      file: r.file,
      document: r.document,
      apiVersion: r.apiVersion,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      violations: r.violations.map((v) => ({ policy: v.policy, enforcementAction: v.enforcementAction, message: v.message })),
      ...(r.unchecked ? { unchecked: r.unchecked } : {}),
    })),
    dockerfiles: report.dockerfiles.map((d) => ({ file: d.file, findings: d.findings.map((f) => ({ rule: f.rule, line: f.line, message: f.message })) })),
    summary: { ...report.summary },
  };
}

/** Human-readable report: one line per violation, then a summary. */
export function toTextReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const where = `${r.file}:${r.line} ${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
    for (const v of r.violations) lines.push(`${v.enforcementAction.toUpperCase().padEnd(6)} ${where}  ${v.policy}: ${v.message}`);
    if (r.unchecked) lines.push(`${"SKIP".padEnd(6)} ${where}  not checked: ${r.unchecked}`);
  }
  for (const d of report.dockerfiles) for (const f of d.findings) lines.push(`${"DENY".padEnd(6)} ${d.file}:${f.line} Dockerfile  ${f.rule}: ${f.message}`);
  const s = report.summary;
  const failing = report.results.filter((r) => r.violations.some((v) => v.enforcementAction === "deny")).length;
  const dockerfiles = s.dockerfiles > 0 ? `; ${s.dockerfiles} Dockerfiles, ${report.dockerfiles.filter((d) => d.findings.length > 0).length} failing` : "";
  lines.push(
    `check: ${s.objects} objects, ${failing} denied, ${s.unchecked} not checked${dockerfiles}; violations: ${s.deny} deny, ${s.warn} warn, ${s.dryrun} dryrun`,
  );
  return `${lines.join("\n")}\n`;
}

export { toSarifReport } from "./sarif";
