/**
 * Judge `pod-security-admission`: the real PodSecurity admission plugin as the judge of Bulwark's PSS templates.
 * For each level and each PSS version the server can judge, a namespace labelled as the blueprint labels a
 * tenant namespace (enforce-version pinned); every Pod Security fixture and every pss-* suite sample is
 * dry-run created there, and PSA's verdict is compared with the offline checker's for `pss-<level>` at that
 * version. Pods are judged by enforcement; workload controllers (which PSA only warns about) by PSA's warning,
 * in the restricted namespaces only, where the blueprint's warn level equals the enforce level.
 */
import type { BulwarkConfig } from "../../config/model";
import { loadStackFile } from "../../config/load";
import type { Checker } from "../../constructs/gatekeeper/check";
import { createChecker } from "../../constructs/gatekeeper/check";
import type { Disagreement, JudgeResult } from "../judge";
import type { KubeClient } from "./client";
import { dryRunAdmit, messageOf } from "./client";
import { REPO_ROOT } from "./manifests";
import type { PsaCase, PssLevel } from "./psa-cases";
import {
  blueprintNamespaceLabels,
  findFixturesDir,
  fixtureCases,
  judgeableVersions,
  placeIn,
  PSS_LEVELS,
  psaNamespaceName,
  psaVerdict,
  pssSampleCases,
} from "./psa-cases";

/** The dev stack with every constraint at deny: the verdict compared is admission, whatever the rollout stage. */
function denyConfig(): BulwarkConfig {
  const config = loadStackFile("dev", REPO_ROOT);
  return { ...config, policy: { ...config.policy, enforcementAction: "deny", enforcementActions: undefined } };
}

/** Creates (for real) the judge's namespace and its `default` ServiceAccount (no controller-manager runs here). */
async function createNamespace(client: KubeClient, name: string, labels: Record<string, string>): Promise<void> {
  await client.expectOk("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
  await client.expectOk("POST", `/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
}

interface LevelRun {
  readonly level: PssLevel;
  readonly version: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly checker: Checker;
}

/** A case the API server rejected as invalid before admission: no PSA verdict to compare. */
export interface NotJudged {
  readonly case: string;
  readonly reason: string;
}

async function judgeCase(client: KubeClient, run: LevelRun, testCase: PsaCase, notJudged: NotJudged[]): Promise<Disagreement | undefined> {
  const isPod = testCase.object.kind === "Pod" && testCase.object.apiVersion === "v1";
  const object = placeIn(testCase.object, run.namespace);
  const res = await dryRunAdmit(client, object, run.namespace);
  const psa = psaVerdict(res.status, messageOf(res), res.warnings, !isPod);
  const denials = run.checker.checkObject(object, new Map([[run.namespace, run.labels]])).filter((v) => v.enforcementAction === "deny");
  const ours = denials.length > 0 ? "forbidden" : "allowed";
  const where = `${run.level} ${run.version}`;
  if (typeof psa === "object" && "invalid" in psa) {
    notJudged.push({ case: `${testCase.id} @ ${where}`, reason: psa.invalid });
    return undefined;
  }
  if (typeof psa === "object") return { case: `${testCase.id} @ ${where}`, detail: `server error, no PSA verdict: ${psa.error}`, object: testCase.object };
  if (psa === ours) return undefined;
  const psaSays = psa === "forbidden" ? `forbidden (${(isPod ? messageOf(res) : res.warnings.join("; ")).slice(0, 300)})` : "allowed";
  const oursSays = ours === "forbidden" ? `denied by ${denials.map((d) => d.policy).join(", ")}` : "allowed";
  return { case: `${testCase.id} @ ${where}`, detail: `PSA: ${psaSays}; check: ${oursSays}`, object: testCase.object };
}

/** Runs the judge. `serverGitVersion` decides which PSS versions are judged. */
export async function runPodSecurityJudge(
  client: KubeClient,
  serverGitVersion: string,
): Promise<JudgeResult & { readonly versions: readonly string[]; readonly notJudged: readonly NotJudged[] }> {
  const versions = judgeableVersions(serverGitVersion);
  const fixtures = fixtureCases(findFixturesDir(), versions[versions.length - 1]);
  const notJudged: NotJudged[] = [];
  const samples = pssSampleCases();
  const config = denyConfig();
  const disagreements: Disagreement[] = [];
  let judgedCount = 0;
  for (const level of PSS_LEVELS) {
    for (const version of versions) {
      const namespace = psaNamespaceName(level, version);
      const labels = blueprintNamespaceLabels(level, version);
      await createNamespace(client, namespace, labels);
      const run: LevelRun = { level, version, namespace, labels, checker: createChecker({ config, bundle: `pss-${level}`, pssVersion: version }) };
      // Controllers are judged through PSA's warning, whose level the blueprint fixes at restricted.
      const judged = [...fixtures, ...samples].filter((c) => c.object.kind === "Pod" || labels["pod-security.kubernetes.io/warn"] === level);
      judgedCount += judged.length;
      for (const testCase of judged) {
        const verdict = await judgeCase(client, run, testCase, notJudged);
        if (verdict) disagreements.push(verdict);
      }
    }
  }
  const cases = judgedCount - notJudged.length;
  return {
    name: "pod-security-admission",
    version: `kube-apiserver ${serverGitVersion}`,
    cases,
    passed: cases - disagreements.length,
    failed: disagreements.length,
    disagreements,
    versions,
    notJudged,
  };
}
