/**
 * Pure parts of the `pod-security-admission` judge: which PSS versions a server can judge, how the judge's
 * namespaces are labelled (the blueprint's own labels, version varied), what counts as PSA's verdict, and where
 * the objects come from. No server, no Go: tested by test/conformance-apiserver.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { App, Chart } from "cdk8s";
import { parseAllDocuments } from "yaml";
import { TenantNamespace } from "../../constructs/baseline/tenant-namespace";
import { REPO_ROOT } from "./manifests";

export const PSS_LEVELS = ["baseline", "restricted"] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** The oldest Pod Security Standards version the fixtures carry (shared/fixtures/pod-security/README.md). */
export const OLDEST_PSS_VERSION = 30;

/** `v1.33` → 33. */
export function minorOf(version: string): number {
  const match = /^v1\.(\d+)$/.exec(version);
  if (!match) throw new Error(`PSS version ${JSON.stringify(version)} is not v1.<minor>`);
  return Number(match[1]);
}

/** `v1.30` … the server's own minor: PSA evaluates a newer `enforce-version` as its latest, so those prove nothing. */
export function judgeableVersions(serverGitVersion: string, oldestMinor = OLDEST_PSS_VERSION): string[] {
  const match = /^v1\.(\d+)\./.exec(serverGitVersion);
  if (!match) throw new Error(`server version ${JSON.stringify(serverGitVersion)} is not v1.<minor>.<patch>`);
  const serverMinor = Number(match[1]);
  const versions: string[] = [];
  for (let minor = oldestMinor; minor <= serverMinor; minor++) versions.push(`v1.${minor}`);
  return versions;
}

/**
 * The labels the blueprint puts on a tenant namespace of `level` (TenantNamespace itself, synthesized), with
 * every `pod-security.kubernetes.io/*-version` pinned to `version` instead of the cluster's.
 */
export function blueprintNamespaceLabels(level: PssLevel, version: string): Record<string, string> {
  const app = new App({ outdir: "unused" });
  const chart = new Chart(app, "psa");
  new TenantNamespace(chart, "ns", { name: "psa-judge", owner: "conformance", kubernetesVersion: "1.33", podSecurity: level });
  const namespace = chart.toJson().find((o: { kind?: string }) => o.kind === "Namespace") as { metadata: { labels: Record<string, string> } };
  return pinPodSecurityVersion(namespace.metadata.labels, version);
}

/** Replaces the value of every `pod-security.kubernetes.io/<mode>-version` label. */
export function pinPodSecurityVersion(labels: Readonly<Record<string, string>>, version: string): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, /^pod-security\.kubernetes\.io\/[a-z]+-version$/.test(key) ? version : value]));
}

/** Namespace name of one level and version: `psa-restricted-v1-33`. */
export function psaNamespaceName(level: PssLevel, version: string): string {
  return `psa-${level}-${version.replace(/\./g, "-")}`;
}

/**
 * PSA's verdict from a dry-run create: Pods by enforce (403), controllers by warning (PSA only warns on them).
 * `invalid`: the object fails API validation (422), which runs before admission, so PSA gives no verdict.
 */
export type PsaVerdict = "allowed" | "forbidden" | { readonly invalid: string } | { readonly error: string };

/** Reads PSA's verdict from a response. `viaWarning` for workload controllers. */
export function psaVerdict(status: number, message: string, warnings: readonly string[], viaWarning: boolean): PsaVerdict {
  if (status === 422) return { invalid: message };
  if (viaWarning) {
    if (status < 200 || status >= 300) return { error: `HTTP ${status} ${message}` };
    return warnings.some((w) => w.includes("would violate PodSecurity")) ? "forbidden" : "allowed";
  }
  if (status >= 200 && status < 300) return "allowed";
  if (status === 403 && message.includes("violates PodSecurity")) return "forbidden";
  return { error: `HTTP ${status} ${message}` };
}

/** One object PSA and the offline checker both judge. */
export interface PsaCase {
  readonly id: string;
  readonly object: Record<string, unknown>;
  /** The suite expects a violation of its policy (with the suite's default `samples/constraint.yaml`). */
  readonly expectDenied?: boolean;
}

/** A gator assertion's `violations`: "yes", true (YAML 1.1 `yes`) or a positive count expects a violation. */
export function expectsViolation(violations: unknown): boolean {
  return violations === "yes" || violations === true || (typeof violations === "number" && violations > 0);
}

/**
 * Where Kubernetes' PSA fixtures live: `test/fixtures/pod-security`, else `shared/fixtures/pod-security` beside
 * the repository, else beside the main clone of a git worktree (the test suite's own lookup is the same first two).
 */
export function findFixturesDir(repoRoot = REPO_ROOT): string {
  const candidates = [join(repoRoot, "test", "fixtures", "pod-security"), resolve(repoRoot, "..", "shared", "fixtures", "pod-security")];
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repoRoot, encoding: "utf8" }).trim();
    candidates.push(resolve(dirname(common), "..", "shared", "fixtures", "pod-security"));
  } catch {
    // not a git checkout: the first two candidates only
  }
  const found = candidates.find((dir) => existsSync(join(dir, "restricted")));
  if (!found) throw new Error(`Pod Security fixtures not found; looked in ${candidates.join(", ")}`);
  return found;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Every fixture Pod of the version folders up to `newestVersion` (newer folders use fields an older server
 * rejects, e.g. `procMount: Unmasked` without `hostUsers: false`), both levels, deduplicated by content; ids
 * are paths under the fixtures.
 */
export function fixtureCases(dir: string, newestVersion: string): PsaCase[] {
  const newest = minorOf(newestVersion);
  const seen = new Set<string>();
  const cases: PsaCase[] = [];
  for (const file of yamlFilesUnder(dir)) {
    const folderVersion = /\/(v1\.\d+)\//.exec(relative(dir, file).replace(/^/, "/"))?.[1];
    if (!folderVersion || minorOf(folderVersion) > newest) continue;
    const object = parseAllDocuments(readFileSync(file, "utf8"))[0]?.toJS() as Record<string, unknown> | undefined;
    if (!object) continue;
    const key = JSON.stringify(object);
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push({ id: `fixtures/${relative(dir, file)}`, object });
  }
  return cases;
}

/** The objects every case of a policy's suite.yaml names (`tests[].cases[].object`), each file once. */
export function suiteSampleCases(policyDir: string, policy: string): PsaCase[] {
  type Suite = { tests?: { constraint?: string; cases?: { object?: string; assertions?: { violations?: unknown }[] }[] }[] };
  const suite = parseAllDocuments(readFileSync(join(policyDir, "suite.yaml"), "utf8"))[0]?.toJS() as Suite | undefined;
  const expected = new Map<string, boolean>();
  for (const test of suite?.tests ?? []) {
    for (const c of test.cases ?? []) {
      if (typeof c.object !== "string") continue;
      // Only the default constraint's expectations carry over to the stack's constraint; variants differ.
      const denied = test.constraint === "samples/constraint.yaml" && (c.assertions ?? []).some((a) => expectsViolation(a.violations));
      expected.set(c.object, (expected.get(c.object) ?? false) || denied);
    }
  }
  return [...expected.keys()].sort().flatMap((f) =>
    parseAllDocuments(readFileSync(join(policyDir, f), "utf8"))
      .map((doc, i) => ({
        id: `samples/${policy}/${f.replace(/^samples\//, "")}#${i + 1}`,
        object: doc.toJS() as Record<string, unknown>,
        expectDenied: expected.get(f) === true,
      }))
      .filter((c) => c.object !== null),
  );
}

/** The suite samples of every policy whose folder name passes `include` (default: the `pss-*` policies). */
export function pssSampleCases(
  policiesDir = join(REPO_ROOT, "constructs", "gatekeeper", "policies"),
  include: (policy: string) => boolean = (p) => p.startsWith("pss-"),
): PsaCase[] {
  return readdirSync(policiesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter(include)
    .sort()
    .flatMap((policy) => suiteSampleCases(join(policiesDir, policy), policy));
}

/**
 * A case placed in `namespace` (PSA and the checker must see the same namespace), under a valid object name:
 * the upstream fixtures are named after their files (`capabilities_baseline0`), which no API server accepts.
 */
export function placeIn(object: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === "string" ? meta.name.toLowerCase().replace(/[^a-z0-9.-]/g, "-") : meta.name;
  return { ...object, metadata: { ...meta, ...(name === undefined ? {} : { name }), namespace } };
}
