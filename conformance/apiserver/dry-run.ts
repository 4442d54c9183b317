/**
 * Judge `apiserver-dry-run`: every synthesized object of `dev`, of a generated 100-tenant stack, of `example-alb`
 * (a tenant service behind an internal ALB) and of its variant with an internet-facing ALB, sent as the
 * YAML text synth wrote, through server-side apply with `dryRun=All` and `fieldValidation=Strict`, after
 * Gatekeeper's own CRDs (and the constraint CRDs Gatekeeper makes from the templates) exist. 0 rejected.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Disagreement, JudgeResult } from "../judge";
import type { KubeClient } from "./client";
import { messageOf, waitFor } from "./client";
import type { SynthDocument } from "./manifests";
import { splitYamlDocuments, synthDocuments, writeManyTenantStack, writePublicAlbStack } from "./manifests";

/** Tenants of the generated large stack. */
export const MANY_TENANTS = 100;

/** Gatekeeper's CRDs as its Helm chart ships them, read from the module in the Go module cache. */
export function gatekeeperCrdDocuments(moduleDir: string): SynthDocument[] {
  const dir = join(moduleDir, "charts", "gatekeeper", "crds");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => splitYamlDocuments(`gatekeeper/crds/${f}`, readFileSync(join(dir, f), "utf8")));
}

/**
 * The CRDs of the other custom resources Bulwark synthesizes (the VPC CNI's ClusterNetworkPolicy, the load
 * balancer controller's IngressClassParams, and its TargetGroupBinding), vendored
 * with their provenance in test/fixtures/crds/.
 */
export function vendoredCrdDocuments(repoRoot: string): SynthDocument[] {
  const dir = join(repoRoot, "test", "fixtures", "crds");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => splitYamlDocuments(`test/fixtures/crds/${f}`, readFileSync(join(dir, f), "utf8")));
}

/** Applies CRDs for real and waits (bounded) until each is Established. */
export async function applyCrds(client: KubeClient, crds: readonly SynthDocument[], timeoutMs = 60_000): Promise<void> {
  for (const crd of crds) {
    const res = await client.apply(crd.object, { dryRun: false });
    if (res.status >= 300) throw new Error(`applying ${crd.id}: HTTP ${res.status} ${messageOf(res)}`);
  }
  for (const crd of crds) {
    const name = String(crd.object.metadata?.name);
    await waitFor(`CRD ${name} Established`, timeoutMs, async () => {
      const body = await client.expectOk("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conditions = (body.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      return conditions.some((c) => c.type === "Established" && c.status === "True");
    });
  }
  await client.discover();
}

/** Server-side apply of one document's YAML text, dry-run, strict. */
async function dryRunApply(client: KubeClient, doc: SynthDocument): Promise<Disagreement | undefined> {
  if (!client.collectionPath(doc.object)) {
    return { case: doc.id, detail: `${String(doc.object.apiVersion)} ${String(doc.object.kind)} is not served by the API server (missing CRD?)` };
  }
  const res = await client.apply(doc.object, { dryRun: true, text: doc.text });
  if (res.status >= 200 && res.status < 300) return undefined;
  return { case: doc.id, detail: `rejected: HTTP ${res.status} ${messageOf(res)}`, object: doc.object };
}

/**
 * Judges one stack's documents. Namespaces go first: each is dry-run applied like everything else, then created
 * for real so the namespaced objects after it have a namespace to be judged in.
 */
export async function judgeDocuments(client: KubeClient, docs: readonly SynthDocument[]): Promise<Disagreement[]> {
  const namespaces = docs.filter((d) => d.object.apiVersion === "v1" && d.object.kind === "Namespace");
  const rest = docs.filter((d) => !namespaces.includes(d));
  const rejected: Disagreement[] = [];
  for (const doc of namespaces) {
    const verdict = await dryRunApply(client, doc);
    if (verdict) rejected.push(verdict);
    else await client.apply(doc.object, { dryRun: false });
  }
  for (const doc of rest) {
    const verdict = await dryRunApply(client, doc);
    if (verdict) rejected.push(verdict);
  }
  return rejected;
}

/** Runs the judge; expects Gatekeeper's CRDs and the constraint CRDs to be in place already. */
export async function runDryRunJudge(client: KubeClient, version: string): Promise<JudgeResult & { readonly stacks: Record<string, number> }> {
  const work = mkdtempSync(join(tmpdir(), "bulwark-dry-run-"));
  try {
    const dev = synthDocuments("dev", join(work, "dev"));
    const manyStack = `tenants${MANY_TENANTS}`;
    writeManyTenantStack(join(work, "project"), manyStack, MANY_TENANTS);
    const many = synthDocuments(manyStack, join(work, manyStack), join(work, "project"));
    const alb = synthDocuments("example-alb", join(work, "example-alb"));
    const publicAlbStack = "example-alb-public";
    writePublicAlbStack(join(work, "project"), publicAlbStack);
    // Only what the variant adds: the rest is example-alb's, judged above.
    const publicAlb = synthDocuments(publicAlbStack, join(work, publicAlbStack), join(work, "project")).filter(
      (d) => d.id.includes("/ingress-classes.") || d.id.includes("/services-"),
    );
    const stacks = { dev, [manyStack]: many, "example-alb": alb, [publicAlbStack]: publicAlb };
    const disagreements: Disagreement[] = [];
    for (const docs of Object.values(stacks)) disagreements.push(...(await judgeDocuments(client, docs)));
    const cases = Object.values(stacks).reduce((n, docs) => n + docs.length, 0);
    const counts = Object.fromEntries(Object.entries(stacks).map(([name, docs]) => [name, docs.length]));
    return { name: "apiserver-dry-run", version, cases, passed: cases - disagreements.length, failed: disagreements.length, disagreements, stacks: counts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
