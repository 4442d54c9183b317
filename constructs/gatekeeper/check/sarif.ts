/**
 * SARIF 2.1.0 (OASIS, docs.oasis-open.org/sarif/sarif/v2.1.0) for code scanning: one rule per Gatekeeper
 * constraint kind and per Dockerfile rule, one result per violation or finding, and a note per object whose
 * pod template was not checked.
 */
import { DOCKERFILE_RULES } from "../../dockerfile";
import type { CheckReport, CheckResult } from "./checker";

const SARIF_LEVEL = { deny: "error", warn: "warning", dryrun: "note" } as const;
/** The rule of objects whose pod template no ExpansionTemplate covers. */
export const NOT_CHECKED_RULE = "BulwarkNotChecked";

interface SarifResult {
  readonly ruleId: string;
  readonly level: "error" | "warning" | "note";
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly properties: Record<string, unknown>;
}

function objectName(r: CheckResult): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
}

function collectResults(report: CheckReport): SarifResult[] {
  const out: SarifResult[] = [];
  for (const r of report.results) {
    for (const v of r.violations) {
      out.push({
        ruleId: v.policy.split("/")[0],
        level: SARIF_LEVEL[v.enforcementAction],
        text: `${objectName(r)}: ${v.message}`,
        file: r.file,
        line: r.line,
        properties: { constraint: v.policy, enforcementAction: v.enforcementAction, document: r.document },
      });
    }
    if (r.unchecked) out.push({ ruleId: NOT_CHECKED_RULE, level: "note", text: `${objectName(r)}: not checked: ${r.unchecked}`, file: r.file, line: r.line, properties: { document: r.document } });
  }
  for (const d of report.dockerfiles) {
    for (const f of d.findings) out.push({ ruleId: f.rule, level: "error", text: f.message, file: d.file, line: f.line, properties: {} });
  }
  return out;
}

const DOCKERFILE_TITLES = new Map<string, { title: string; hadolint?: string }>(Object.values(DOCKERFILE_RULES).map((r) => [r.id, r]));

function ruleDescription(id: string): string {
  const dockerfile = DOCKERFILE_TITLES.get(id);
  if (dockerfile) return `Dockerfile: ${dockerfile.title}${dockerfile.hadolint ? ` (hadolint ${dockerfile.hadolint})` : ""}`;
  if (id === NOT_CHECKED_RULE) return "An object with a pod template that no ExpansionTemplate covers: its containers were not checked";
  return `Gatekeeper constraint kind ${id}`;
}

/** SARIF 2.1.0: rules sorted by id, results in report order, each located at its file and line. */
export function toSarifReport(report: CheckReport, toolVersion: string): unknown {
  const collected = collectResults(report);
  const ruleIds = [...new Set(collected.map((r) => r.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results = collected.map((r) => ({
    ruleId: r.ruleId,
    ruleIndex: ruleIndex.get(r.ruleId) ?? 0,
    level: r.level,
    message: { text: r.text },
    locations: [{ physicalLocation: { artifactLocation: { uri: r.file.split("\\").join("/") }, region: { startLine: Math.max(1, r.line) } } }],
    properties: r.properties,
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "bulwark-check",
            version: toolVersion,
            rules: ruleIds.map((id) => ({ id, name: id, shortDescription: { text: ruleDescription(id) } })),
          },
        },
        results,
      },
    ],
  };
}
