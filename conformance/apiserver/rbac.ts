/**
 * Judge `rbac`: the tenant Roles and RoleBindings of dev's synth (with an IAM principal per tier, so the
 * access-entry groups are bound too) applied to the real API server's RBAC authorizer, then a can-i matrix of
 * SubjectAccessReviews for every tenant identity against {@link RBAC_CLAIMS}. Printed as a table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadStackFile } from "../../config/load";
import type { Disagreement, JudgeResult } from "../judge";
import type { KubeClient } from "./client";
import { messageOf } from "./client";
import { synthDocuments, writeAccessEntryStack } from "./manifests";
import type { Cell, Claim, Identity } from "./rbac-claims";
import { formatMatrix, namespaceOf, RBAC_CLAIMS, tenantIdentities } from "./rbac-claims";

const RBAC_KINDS = new Set(["Namespace", "Role", "RoleBinding"]);

/** Asks the API server whether `identity` may do `claim.check`. */
async function canI(client: KubeClient, identity: Identity, claim: Claim, tenants: readonly string[]): Promise<boolean> {
  const { verb, group, resource, subresource, scope } = claim.check;
  const namespace = namespaceOf(scope, identity.tenant, tenants);
  const review = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user: identity.user,
      groups: identity.groups,
      resourceAttributes: { verb, group, resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}) },
    },
  };
  const body = await client.expectOk("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
  return (body.status as { allowed?: boolean } | undefined)?.allowed === true;
}

/** Roles as the server stores them must carry no `*` (the README's "no * in verbs, resources or apiGroups"). */
async function wildcardProblems(client: KubeClient, tenants: readonly string[]): Promise<Disagreement[]> {
  const problems: Disagreement[] = [];
  for (const tenant of tenants) {
    const list = await client.expectOk("GET", `/apis/rbac.authorization.k8s.io/v1/namespaces/${tenant}/roles`);
    for (const role of list.items as { metadata: { name: string }; rules: { verbs: string[]; resources?: string[]; apiGroups?: string[] }[] }[]) {
      const bad = role.rules.filter((r) => [...r.verbs, ...(r.resources ?? []), ...(r.apiGroups ?? [])].includes("*"));
      if (bad.length > 0) problems.push({ case: `Role ${tenant}/${role.metadata.name}`, detail: "a rule holds '*'", object: bad });
    }
  }
  return problems;
}

/** Runs the judge; returns the result and the printed matrix. */
export async function runRbacJudge(client: KubeClient, version: string): Promise<JudgeResult & { readonly table: string }> {
  const work = mkdtempSync(join(tmpdir(), "bulwark-rbac-"));
  try {
    const stack = "dev-access-entries";
    writeAccessEntryStack(join(work, "project"), stack);
    const config = loadStackFile(stack, join(work, "project"));
    const docs = synthDocuments(stack, join(work, "out"), join(work, "project")).filter((d) => RBAC_KINDS.has(String(d.object.kind)));
    for (const doc of [...docs].sort((a, b) => Number(b.object.kind === "Namespace") - Number(a.object.kind === "Namespace"))) {
      const res = await client.apply(doc.object, { dryRun: false, text: doc.text });
      if (res.status >= 300) throw new Error(`applying ${doc.id}: HTTP ${res.status} ${messageOf(res)}`);
    }
    const tenants = config.tenants.map((t) => t.name);
    const cells: Cell[] = [];
    for (const identity of tenantIdentities(config)) {
      for (const claim of RBAC_CLAIMS) {
        cells.push({ identity, claim, expected: claim.allowed[identity.tier], actual: await canI(client, identity, claim, tenants) });
      }
    }
    const wrong: Disagreement[] = cells
      .filter((c) => c.actual !== c.expected)
      .map((c) => ({
        case: `${c.identity.user} (${c.identity.groups.join(", ")}): ${c.claim.check.verb} ${c.claim.check.group || "core"}/${c.claim.check.resource}${c.claim.check.subresource ? `/${c.claim.check.subresource}` : ""} ${c.claim.check.scope}`,
        detail: `claim "${c.claim.claim}": expected ${c.expected ? "allowed" : "denied"}, the API server says ${c.actual ? "allowed" : "denied"}`,
      }));
    const disagreements = [...wrong, ...(await wildcardProblems(client, tenants))];
    const cases = cells.length + docs.filter((d) => d.object.kind === "Role").length;
    return { name: "rbac", version, cases, passed: cases - disagreements.length, failed: disagreements.length, disagreements, table: formatMatrix(cells) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
