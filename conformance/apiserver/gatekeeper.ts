/**
 * Judge `gatekeeper-admission`: the Gatekeeper manager against the loopback API server. Templates (applied
 * before the other judges, see {@link applyTemplates}) become constraint CRDs and ValidatingAdmissionPolicies;
 * then the webhook is registered by URL, the constraints applied, and every suite sample dry-run created. The
 * API server's verdict (PSA, generated VAPs, Gatekeeper's webhook, in that order) is compared with `check`'s,
 * and with the suite's expectation. Each template must have its generated ValidatingAdmissionPolicy and each
 * constraint its binding, as the blueprint's values (defaultCreateVAP*) promise.
 */
import { readFileSync } from "node:fs";
import { loadStackFile } from "../../config/load";
import { createChecker } from "../../constructs/gatekeeper/check";
import { admissionView } from "../../constructs/gatekeeper/check/admission";
import type { RequestUserInfo } from "../../constructs/gatekeeper/engine/cel";
import type { Disagreement, JudgeResult } from "../judge";
import type { Cluster } from "./cluster";
import type { KubeClient, KubeObject } from "./client";
import { dryRunAdmit, messageOf, waitFor } from "./client";
import type { GatekeeperSession } from "./gatekeeper-process";
import { GATEKEEPER_VERSION } from "./gatekeeper-process";
import { REPO_ROOT } from "./manifests";
import type { SynthDocument } from "./manifests";
import type { NotJudged } from "./pod-security";
import type { PsaCase } from "./psa-cases";
import { pssSampleCases } from "./psa-cases";
import { admissionVerdict, deniedConstraints, vapProblems } from "./verdicts";

export type { GatekeeperSession } from "./gatekeeper-process";
export { GATEKEEPER_VERSION, startGatekeeper } from "./gatekeeper-process";

const isTemplate = (d: SynthDocument): boolean => String(d.object.apiVersion).startsWith("templates.gatekeeper.sh/") || d.object.kind === "ExpansionTemplate";
const isConstraint = (d: SynthDocument): boolean => String(d.object.apiVersion).startsWith("constraints.gatekeeper.sh/");

/** Applies dev's ConstraintTemplates and ExpansionTemplates for real and waits (bounded) for every constraint CRD. */
export async function applyTemplates(client: KubeClient, docs: readonly SynthDocument[], timeoutMs = 180_000): Promise<void> {
  const templates = docs.filter(isTemplate);
  for (const doc of templates) {
    const res = await client.apply(doc.object, { dryRun: false, text: doc.text });
    if (res.status >= 300) throw new Error(`applying ${doc.id}: HTTP ${res.status} ${messageOf(res)}`);
  }
  const kinds = templates
    .filter((d) => d.object.kind === "ConstraintTemplate")
    .map((d) => String((d.object.spec as { crd: { spec: { names: { kind: string } } } }).crd.spec.names.kind));
  await waitFor(
    `constraint CRDs of ${kinds.length} templates`,
    timeoutMs,
    async () => {
      await client.discover();
      return kinds.every((kind) => client.collectionPath({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind }) !== undefined);
    },
    1000,
  );
}

/** The chart's `validation.gatekeeper.sh` webhook, registered by URL with the run's CA. */
function webhookConfiguration(cluster: Cluster, session: GatekeeperSession): Record<string, unknown> {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "gatekeeper-validating-webhook-configuration" },
    webhooks: [
      {
        name: "validation.gatekeeper.sh",
        admissionReviewVersions: ["v1", "v1beta1"],
        clientConfig: { url: session.webhookUrl, caBundle: readFileSync(cluster.pki.caCert).toString("base64") },
        failurePolicy: session.values.validatingWebhookFailurePolicy,
        timeoutSeconds: session.values.validatingWebhookTimeoutSeconds,
        matchPolicy: "Exact",
        sideEffects: "None",
        namespaceSelector: {
          matchExpressions: [
            { key: "admission.gatekeeper.sh/ignore", operator: "DoesNotExist" },
            { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["gatekeeper-system"] },
          ],
        },
        rules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*", ...session.webhookSubResources], scope: "*" }],
      },
    ],
  };
}

/** Creates the namespaces samples name that do not exist yet (before any constraint can object to them). */
async function ensureNamespaces(client: KubeClient, samples: readonly PsaCase[]): Promise<void> {
  const names = new Set(
    samples.map((s) => (s.object.metadata as { namespace?: string } | undefined)?.namespace).filter((n): n is string => typeof n === "string"),
  );
  for (const name of [...names, "default"].sort()) {
    const res = await client.send("GET", `/api/v1/namespaces/${name}`);
    if (res.status === 404) await client.expectOk("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    const sa = await client.send("GET", `/api/v1/namespaces/${name}/serviceaccounts/default`);
    if (sa.status === 404)
      await client.expectOk("POST", `/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
  }
}

/** Labels of every namespace, as the server holds them (the checker must see the same). */
async function namespaceLabels(client: KubeClient): Promise<Map<string, Record<string, string>>> {
  const list = await client.expectOk("GET", "/api/v1/namespaces");
  const items = list.items as { metadata: { name: string; labels?: Record<string, string> } }[];
  return new Map(items.map((ns) => [ns.metadata.name, ns.metadata.labels ?? {}]));
}

/** Waits (bounded) until Gatekeeper reports every constraint enforced. */
async function waitForConstraints(client: KubeClient, constraints: readonly SynthDocument[], timeoutMs = 180_000): Promise<void> {
  await waitFor(
    `Gatekeeper to enforce ${constraints.length} constraints`,
    timeoutMs,
    async () => {
      for (const doc of constraints) {
        const path = `${client.collectionPath(doc.object)}/${String(doc.object.metadata?.name)}`;
        const body = await client.expectOk("GET", path);
        const byPod = (body.status as { byPod?: { enforced?: boolean }[] } | undefined)?.byPod ?? [];
        if (!byPod.some((p) => p.enforced === true)) return false;
      }
      return true;
    },
    1000,
  );
}

/**
 * Who sends each sample: the blueprint's RBAC policies exempt `system:masters` (the admin certificate the
 * judge holds), so samples go as `conformance:requester` in group `conformance:authorized`, which this binding
 * makes cluster-admin by RBAC (authorized, but not exempt). An AdmissionReview sample goes as its own
 * `request.userInfo` (plus that group, so authorization lets it reach admission).
 */
const AUTHORIZED_GROUP = "conformance:authorized";
const REQUESTER: RequestUserInfo = { username: "conformance:requester", groups: [AUTHORIZED_GROUP] };
const REQUESTER_BINDING = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "conformance-authorized-requesters" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: AUTHORIZED_GROUP }],
};

function asRequest(sample: KubeObject): { object: KubeObject; userInfo: RequestUserInfo } {
  if (sample.kind !== "AdmissionReview") return { object: sample, userInfo: REQUESTER };
  const request = (sample.request ?? {}) as { object?: KubeObject; userInfo?: RequestUserInfo };
  const user = request.userInfo ?? {};
  return { object: request.object ?? sample, userInfo: { username: user.username || REQUESTER.username, groups: [...(user.groups ?? []), AUTHORIZED_GROUP] } };
}

function impersonating(user: RequestUserInfo): Record<string, string | readonly string[]> {
  return { "Impersonate-User": user.username ?? "", ...((user.groups ?? []).length > 0 ? { "Impersonate-Group": user.groups ?? [] } : {}) };
}

/** Runs the judge. Expects {@link applyTemplates} to have run and the PSA/RBAC judges to be done. */
export async function runGatekeeperJudge(
  cluster: Cluster,
  session: GatekeeperSession,
  docs: readonly SynthDocument[],
  log: (line: string) => void,
): Promise<JudgeResult & { readonly notJudged: readonly NotJudged[]; readonly vap: readonly string[] }> {
  const client = cluster.client;
  const samples = pssSampleCases(undefined, () => true);
  await ensureNamespaces(client, samples);
  // Before the webhook enforces: the binding is a cluster-admin grant the blueprint's policies refuse.
  const granted = await client.apply(REQUESTER_BINDING, { dryRun: false });
  if (granted.status >= 300) throw new Error(`binding the conformance requester: HTTP ${granted.status} ${messageOf(granted)}`);
  await client.apply(webhookConfiguration(cluster, session), { dryRun: false });
  const constraints = docs.filter(isConstraint);
  for (const doc of constraints) {
    const res = await client.apply(doc.object, { dryRun: false, text: doc.text });
    if (res.status >= 300) throw new Error(`applying ${doc.id}: HTTP ${res.status} ${messageOf(res)}`);
  }
  await waitForConstraints(client, constraints);
  const templates = docs.filter((d) => d.object.kind === "ConstraintTemplate");
  // Gatekeeper makes the VAPs and their bindings asynchronously after the constraints: wait (bounded) for them.
  let vap = await vapProblems(client, templates, constraints);
  for (const deadline = Date.now() + 90_000; vap.length > 0 && Date.now() < deadline; vap = await vapProblems(client, templates, constraints)) {
    await new Promise((r) => setTimeout(r, 2000));
  }
  for (const line of vap) log(`conformance/apiserver: VAP: ${line}`);
  const checker = createChecker({ config: loadStackFile("dev", REPO_ROOT) });
  const labels = await namespaceLabels(client);
  const disagreements: Disagreement[] = [];
  const notJudged: NotJudged[] = [];
  for (const sample of samples) {
    const { object, userInfo } = asRequest(sample.object);
    const meta = (object.metadata ?? {}) as { namespace?: string };
    const namespace = meta.namespace ?? "default";
    const res = await dryRunAdmit(client, object, namespace, impersonating(userInfo));
    const server = admissionVerdict(res.status, messageOf(res));
    if (server.kind === "invalid") {
      notJudged.push({ case: sample.id, reason: server.message });
      continue;
    }
    const placed = client.collectionPath(object)?.includes("/namespaces/") ? { ...object, metadata: { ...meta, namespace } } : object;
    const denials = checker.policySet.evaluate(admissionView(placed), { namespaceLabels: labels, userInfo }).filter((v) => v.enforcementAction === "deny");
    const checkDenies = denials.length > 0;
    const named = deniedConstraints(server);
    const ours = new Set(denials.map((d) => d.policy.slice(d.policy.indexOf("/") + 1)));
    // Same verdict, and every constraint the server names as denying is one check denies by too.
    const attributed = named.every((name) => ours.has(name));
    // A validation removed from a template makes check and Gatekeeper agree on admitting: the suite does not.
    const suiteHolds = !sample.expectDenied || server.kind === "denied";
    if ((server.kind === "denied") === checkDenies && server.kind !== "error" && attributed && suiteHolds) continue;
    disagreements.push({
      case: sample.id,
      detail: `API server: ${server.kind}${server.message ? ` (${server.by ?? "no admission step named"}: ${server.message.slice(0, 300)})` : ""}; check: ${checkDenies ? `denied by ${denials.map((d) => d.policy).join(", ")}` : "allowed"}${suiteHolds ? "" : "; the suite expects a violation"}`,
      object: sample.object,
    });
  }
  // release.ts relies on the generated VAPs enforcing inside the API server: a template without one is a failure.
  for (const line of vap) disagreements.push({ case: `VAP ${line.slice(0, line.indexOf(":"))}`, detail: line });
  const cases = samples.length - notJudged.length + templates.length + constraints.length;
  return {
    name: "gatekeeper-admission",
    version: `gatekeeper ${GATEKEEPER_VERSION}`,
    cases,
    passed: cases - disagreements.length,
    failed: disagreements.length,
    disagreements,
    notJudged,
    vap,
  };
}
