/**
 * SARIF 2.1.0 (OASIS, docs.oasis-open.org/sarif/sarif/v2.1.0) for code scanning: one rule per Gatekeeper
 * constraint kind and per Dockerfile rule, one result per violation or finding, and a note per object whose
 * pod template was not checked.
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { CheckReport, CheckResult } from "./checker";
import { NOT_CHECKED_RULE, sarifRules } from "./sarif-rules";

export { NOT_CHECKED_RULE } from "./sarif-rules";

const SARIF_LEVEL = { deny: "error", warn: "warning", dryrun: "note" } as const;
/** The base of relative artifact URIs: the folder `check` ran in (code scanning resolves it to the checkout). */
export const SRCROOT = "%SRCROOT%";

/** Options of {@link toSarifReport}. */
export interface SarifOptions {
  /** The Gatekeeper objects of the run: rule descriptions come from their ConstraintTemplates. @default [] */
  readonly gatekeeperObjects?: readonly Record<string, unknown>[];
  /** The run's exit code, recorded in `invocations`. @default exit code of the report without --fail-on-unchecked */
  readonly exitCode?: number;
}

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
    if (r.unchecked)
      out.push({
        ruleId: NOT_CHECKED_RULE,
        level: "note",
        text: `${objectName(r)}: not checked: ${r.unchecked}`,
        file: r.file,
        line: r.line,
        properties: { document: r.document },
      });
  }
  for (const d of report.dockerfiles) {
    for (const f of d.findings) out.push({ ruleId: f.rule, level: "error", text: f.message, file: d.file, line: f.line, properties: {} });
  }
  return out;
}

/** A relative path stays relative to %SRCROOT% (portable across checkouts); an absolute one is a file: URI. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const posix = file.split("\\").join("/");
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  if (file.startsWith("(")) return { uri: encodeURIComponent(file) }; // (stdin)
  return { uri: posix.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

/** SARIF 2.1.0: rules sorted by id, results in report order, each located at its file and line. */
export function toSarifReport(report: CheckReport, toolVersion: string, options: SarifOptions = {}): unknown {
  const collected = collectResults(report);
  const ruleIds = [...new Set(collected.map((r) => r.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const results = collected.map((r) => ({
    ruleId: r.ruleId,
    ruleIndex: ruleIndex.get(r.ruleId) ?? 0,
    level: r.level,
    message: { text: r.text },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.file), region: { startLine: Math.max(1, r.line) } } }],
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
            rules: sarifRules(ruleIds, options.gatekeeperObjects ?? []),
          },
        },
        invocations: [{ executionSuccessful: true, exitCode: options.exitCode ?? (report.summary.deny > 0 ? 1 : 0) }],
        results,
      },
    ],
  };
}
