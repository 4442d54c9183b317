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
    })),
    summary: { ...report.summary },
  };
}

/** Human-readable report: one line per violation, then a summary. */
export function toTextReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const where = `${r.file}:${r.line} ${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
    for (const v of r.violations) lines.push(`${v.enforcementAction.toUpperCase().padEnd(6)} ${where}  ${v.policy}: ${v.message}`);
  }
  const s = report.summary;
  const failing = report.results.filter((r) => r.violations.some((v) => v.enforcementAction === "deny")).length;
  lines.push(`check: ${s.objects} objects, ${failing} denied; violations: ${s.deny} deny, ${s.warn} warn, ${s.dryrun} dryrun`);
  return `${lines.join("\n")}\n`;
}

const SARIF_LEVEL = { deny: "error", warn: "warning", dryrun: "note" } as const;

/** SARIF 2.1.0: one rule per constraint kind, one result per violation, located at the document's line. */
export function toSarifReport(report: CheckReport, toolVersion: string): unknown {
  const ruleIds = [...new Set(report.results.flatMap((r) => r.violations.map((v) => v.policy.split("/")[0])))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results = report.results.flatMap((r) =>
    r.violations.map((v) => {
      const ruleId = v.policy.split("/")[0];
      return {
        ruleId,
        ruleIndex: ruleIndex.get(ruleId) ?? 0,
        level: SARIF_LEVEL[v.enforcementAction],
        message: { text: `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}: ${v.message}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: r.file.split("\\").join("/") },
              region: { startLine: Math.max(1, r.line) },
            },
          },
        ],
        properties: { constraint: v.policy, enforcementAction: v.enforcementAction, document: r.document },
      };
    }),
  );
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "bulwark-check",
            version: toolVersion,
            rules: ruleIds.map((id) => ({
              id,
              name: id,
              shortDescription: { text: `Gatekeeper constraint kind ${id}` },
            })),
          },
        },
        results,
      },
    ],
  };
}
