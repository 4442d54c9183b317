/** The report as Markdown and its JSON twin: sorted, no timestamps, so a diff shows only real changes. */
import type { AcceptedRisk } from "./exceptions";
import type { ControlResult, Summary } from "./evaluate";
import type { NetworkAnalysis } from "./network";
import { toMermaid } from "./network";
import type { RbacAnalysis } from "./rbac";
import type { Layer, Status } from "./types";
import { STATUSES } from "./types";

/** Everything one report shows. */
export interface ReportData {
  readonly stack: string;
  readonly cluster: { readonly name: string; readonly kubernetesVersion: string; readonly region: string; readonly tenants: readonly string[] };
  readonly inputs: { readonly planResources: number; readonly objects: number; readonly suiteCases: number; readonly suitesFailing: readonly string[] };
  readonly summary: Summary;
  readonly results: readonly ControlResult[];
  readonly network: NetworkAnalysis;
  readonly rbac: RbacAnalysis;
  /** Every exception to a secure default the stack makes (`report/exceptions.ts`). */
  readonly acceptedRisks: readonly AcceptedRisk[];
}

const STATUS_MEANING: Readonly<Record<Status, string>> = {
  "enforced-and-verified":
    "in the plan/manifests with the right settings, and its behaviour checked offline in this run (policy suite, reachability or attack-path analysis, offline admission)",
  enforced: "in the plan/manifests with the right settings; its effect needs AWS or a live cluster to observe",
  partial: "in place with a named gap",
  organizational: "guidance no code can enforce; never counted as enforced",
  "not-verified":
    "not verified: cluster made elsewhere (a control of its AWS side, or of a component Bulwark does not deploy there, that Bulwark neither deploys nor sees); never counted as enforced",
  missing: "not in place for this stack",
};

const LAYERS: readonly Layer[] = ["aws", "cluster", "workload", "build"];
const LAYER_TITLE: Readonly<Record<Layer, string>> = { aws: "AWS", cluster: "Cluster", workload: "Workload", build: "Build" };

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function evidenceCell(r: ControlResult): string {
  const shown = r.evidence.slice(0, 6).map((e) => `\`${cell(e)}\``);
  if (r.evidence.length > 6) shown.push(`… ${r.evidence.length - 6} more`);
  const parts = [shown.join(", ")];
  if (r.verifiedBy.length > 0) parts.push(`verified: ${r.verifiedBy.map(cell).join(", ")}`);
  if (r.detail) parts.push(`**gap:** ${cell(r.detail)}`);
  return parts.filter((p) => p.length > 0).join("<br>") || "—";
}

/** The network reachability section: the diagram, the edges and the ways in (CIDRs and load balancers). */
function networkSection(data: ReportData): string[] {
  const out: string[] = [];
  out.push("## Network reachability", "");
  out.push(
    "Computed from the synthesized NetworkPolicies: an arrow is a connection the policies allow (ports on the arrow); a crossed line is a sensitive destination no policy opens. Enforced by the VPC CNI network policy agent (control AWS-CNI-NETWORK-POLICY).",
    "",
    "```mermaid",
    toMermaid(data.network),
    "```",
    "",
    "| from | to | ports |",
    "| --- | --- | --- |",
  );
  for (const e of data.network.edges) out.push(`| ${e.from} | ${cell(e.to)} | ${cell(e.ports)} |`);
  if (data.network.edges.length === 0) out.push("| — | — | — |");
  out.push("", "Ways in from outside the tenants (ingress the policies admit from CIDRs: load balancers in the VPC, listed networks):", "");
  out.push("| from | to | ports |", "| --- | --- | --- |");
  for (const e of data.network.entries) out.push(`| ${cell(e.from)} | ${cell(e.to)} | ${cell(e.ports)} |`);
  if (data.network.entries.length === 0) out.push("| — (nothing comes in) | — | — |");
  out.push(
    "",
    "Ways in through load balancers (Ingress → Service → pods; the ALB reaches IP targets only where a NetworkPolicy admits the VPC CIDR on the pods' port):",
    "",
  );
  out.push("| ALB | host | Ingress | Service | pods | admitted by |", "| --- | --- | --- | --- | --- | --- |");
  for (const p of data.network.loadBalancers) {
    out.push(
      `| ${cell(`${p.scheme} (IngressClass ${p.ingressClass})`)} | ${cell(p.hosts.join(", "))} | ${cell(`${p.namespace}/${p.ingress}`)} | ${cell(p.service)} | ${cell(p.pods)} | ${cell(p.admittedBy.length > 0 ? p.admittedBy.map((n) => `NetworkPolicy/${n}`).join(", ") : "nothing: blocked")} |`,
    );
  }
  if (data.network.loadBalancers.length === 0) out.push("| — (no Ingress) | — | — | — | — | — |");
  out.push("");
  return out;
}

export function toMarkdown(data: ReportData): string {
  const out: string[] = [];
  const { summary } = data;
  out.push(`# Bulwark security report: stack \`${data.stack}\``, "");
  out.push(
    `Cluster \`${data.cluster.name}\`, Kubernetes ${data.cluster.kubernetesVersion}, ${data.cluster.region}; tenants: ${data.cluster.tenants.map((t) => `\`${t}\``).join(", ")}.`,
    `Evaluated offline from the plan (${data.inputs.planResources} resources, Pulumi mock engine), the synthesized manifests (${data.inputs.objects} objects) and the policy suites (${data.inputs.suiteCases} cases${data.inputs.suitesFailing.length > 0 ? `, failing: ${data.inputs.suitesFailing.join(", ")}` : ", all passing"}).`,
    "Nothing here was observed in an AWS account or a live cluster. Regenerate with `npm run report`; see docs/report.md.",
    "",
  );
  out.push("## Summary", "", "| status | controls | meaning |", "| --- | ---: | --- |");
  // not-verified exists only for clusters made elsewhere: other stacks' summaries stay as they were.
  for (const s of STATUSES.filter((status) => status !== "not-verified" || summary[status] > 0)) out.push(`| ${s} | ${summary[s]} | ${STATUS_MEANING[s]} |`);
  out.push(`| **total** | **${summary.total}** | |`, "");
  const missing = data.results.filter((r) => r.status === "missing");
  if (missing.length > 0) out.push(`**Missing:** ${missing.map((r) => `\`${r.control.id}\``).join(", ")}`, "");

  out.push(
    "## Exceptions and accepted risks",
    "",
    "Every place this stack steps down from a secure default, and what it affects.",
    "",
    "| setting | what it allows | affects |",
    "| --- | --- | --- |",
  );
  for (const r of data.acceptedRisks) out.push(`| \`${cell(r.key)}\` | ${cell(r.risk)} | ${cell(r.affects)} |`);
  if (data.acceptedRisks.length === 0) out.push("| — | none | — |");
  out.push("");

  out.push("## Controls", "");
  for (const layer of LAYERS) {
    const rows = data.results.filter((r) => r.control.layer === layer);
    if (rows.length === 0) continue;
    out.push(`### ${LAYER_TITLE[layer]}`, "", "| control | status | enforced by | evidence | test |", "| --- | --- | --- | --- | --- |");
    for (const r of rows) {
      const c = r.control;
      out.push(
        `| **${c.id}** ${cell(c.title)} | ${r.status} | ${c.enforcement.mechanism}: ${cell(c.enforcement.name)} | ${evidenceCell(r)} | ${c.test ? `\`${c.test.file}\`<br>\`${cell(c.test.name)}\`` : "—"} |`,
      );
    }
    out.push("");
  }

  out.push(...networkSection(data));

  out.push("## RBAC and identity attack paths", "");
  out.push(
    "From the synthesized Roles and bindings and the plan's EKS access entries and access-policy associations. Subjects: `Group:` (IdP groups carry the OIDC prefix; `bulwark:<tenant>:<tier>` groups come from access entries), `ServiceAccount:`, `IAM:` (access-entry principals).",
    "",
  );
  out.push(`Tenant identities analysed: ${data.rbac.tenantIdentities.length}.`, "");
  out.push("### Paths from a tenant identity to cluster-admin", "");
  if (data.rbac.tenantPathsToClusterAdmin.length === 0) out.push("None.", "");
  else for (const p of data.rbac.tenantPathsToClusterAdmin) out.push(`- **${cell(p.subject)}**: ${p.steps.map(cell).join(" → ")}`);
  if (data.rbac.tenantPathsToClusterAdmin.length > 0) out.push("");
  out.push("### Who is cluster-admin", "", "Expected: the configured admin principals only (control AWS-ADMIN-ACCESS-SCOPED).", "");
  for (const p of data.rbac.clusterAdmins) out.push(`- ${cell(p.subject)}: ${p.steps.map(cell).join(" → ")}`);
  if (data.rbac.clusterAdmins.length === 0) out.push("- none");
  out.push("", "### Sensitive capabilities", "", "| capability | subject | scope | via |", "| --- | --- | --- | --- |");
  for (const c of data.rbac.capabilities) out.push(`| ${c.capability} | ${cell(c.subject)} | ${c.scope === "*" ? "cluster-wide" : c.scope} | ${cell(c.via)} |`);
  out.push("");

  out.push("## Sources", "", "| control | checklist | NSA/CISA | CIS EKS 1.8 | EKS Best Practices |", "| --- | --- | --- | --- | --- |");
  for (const r of data.results) {
    const s = r.control.sources;
    out.push(`| ${r.control.id} | ${s.checklist} | ${cell(s.nsa ?? "—")} | ${cell(s.cis ?? "—")} | ${cell(s.eksBestPractices ?? "—")} |`);
  }
  out.push("");
  return out.join("\n");
}

/** The JSON twin: the same content, machine-readable. */
export function toJson(data: ReportData): unknown {
  return {
    stack: data.stack,
    cluster: data.cluster,
    inputs: data.inputs,
    summary: data.summary,
    controls: data.results.map((r) => ({
      id: r.control.id,
      title: r.control.title,
      layer: r.control.layer,
      status: r.status,
      enforcement: r.control.enforcement,
      sources: r.control.sources,
      evidence: r.evidence,
      verifiedBy: r.verifiedBy,
      ...(r.detail ? { detail: r.detail } : {}),
      test: r.control.test ?? null,
    })),
    network: {
      vpcCidr: data.network.vpcCidr ?? null,
      namespaces: data.network.namespaces.map((n) => n.name),
      edges: data.network.edges,
      entries: data.network.entries,
      loadBalancers: data.network.loadBalancers,
      unisolated: data.network.unisolated,
    },
    rbac: data.rbac,
    acceptedRisks: data.acceptedRisks,
  };
}

/** One line for `npm start` and `npm run report`. */
export function formatSummaryLine(data: Pick<ReportData, "stack" | "summary">, file: string): string {
  const s = data.summary;
  return `report: ${s.total} controls for stack ${data.stack}: ${s["enforced-and-verified"]} enforced and verified, ${s.enforced} enforced, ${s.partial} partial, ${s.organizational} organizational, ${s["not-verified"] > 0 ? `${s["not-verified"]} not verified (cluster made elsewhere), ` : ""}${s.missing} missing -> ${file}`;
}
