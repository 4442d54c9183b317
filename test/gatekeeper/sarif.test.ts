/**
 * SARIF for code scanning: valid against the official SARIF 2.1.0 schema, with Dockerfile findings and
 * unchecked objects; every rule described (full description, markdown help, security-severity, tags);
 * relative URIs under %SRCROOT%; the exit code in `invocations`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { runCheck } from "../../stacks/check";
import { captureOutput } from "../support/capture";
import { REPO_ROOT } from "../support/repo";
import { sarifSchemaErrors } from "../support/sarif-schema";
import { goodContainer, goodPodSpec, podWith } from "./fixtures";

interface Rule {
  id: string;
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  properties: { "security-severity": string; tags: string[] };
}
interface Sarif {
  runs: {
    tool: { driver: { rules: Rule[] } };
    invocations: { exitCode: number; executionSuccessful: boolean }[];
    results: {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

function sarifOf(args: string[]): { code: number; sarif: Sarif } {
  const { result, stdout } = captureOutput(() => runCheck(["--format", "sarif", ...args], REPO_ROOT));
  return { code: result, sarif: JSON.parse(stdout) as Sarif };
}

const dir = mkdtempSync(join(tmpdir(), "bulwark-sarif-"));
const manifests = join(dir, "k8s.yaml");
writeFileSync(
  manifests,
  `${stringify(podWith({ ...goodPodSpec(), hostNetwork: true, containers: [goodContainer("app", "nginx:latest")] }, "payments", "bad"))}---\n${stringify({
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: { name: "fn", namespace: "payments" },
    spec: { template: { spec: { containers: [{ image: "nginx:latest" }] } } },
  })}`,
);
const CORPUS_FILE = relative(
  process.cwd(),
  join(REPO_ROOT, "test", "fixtures", "dockerfiles", "DockerfileSecretInLayer", "disallowed", "removed-later.Dockerfile"),
);
const LATEST_FILE = join(REPO_ROOT, "test", "fixtures", "dockerfiles", "DockerfileLatestTag", "disallowed", "latest.Dockerfile");
const { code, sarif } = sarifOf([manifests, "--dockerfile", CORPUS_FILE, LATEST_FILE]);
const run = sarif.runs[0];

test("validates against the official SARIF 2.1.0 schema, Dockerfile findings and unchecked objects included", () => {
  expect(sarifSchemaErrors(sarif)).toEqual([]);
  const ids = new Set(run.results.map((r) => r.ruleId));
  expect([...ids]).toEqual(
    expect.arrayContaining(["BulwarkImageTags", "K8sPSSHostNamespaces", "BulwarkNotChecked", "DockerfileSecretInLayer", "DockerfileLatestTag"]),
  );
});

test("every rule has a full description, markdown help naming its docs section, a security-severity and tags", () => {
  for (const rule of run.tool.driver.rules) {
    expect(rule.fullDescription.text.length).toBeGreaterThan(20);
    expect(rule.help.markdown).toMatch(/\*\*Fix:\*\* .+\n\nDocumented in \[docs\/policies\.md\]\(docs\/policies\.md#[a-z-]+\)/);
    expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
    expect(rule.properties.tags).toContain("security");
  }
  const byId = new Map(run.tool.driver.rules.map((r) => [r.id, r]));
  // Gatekeeper rules are described from their ConstraintTemplate, not a generic line.
  expect(byId.get("BulwarkImageTags")?.fullDescription.text).toMatch(/a tag other than latest, or a digest/);
  expect(byId.get("K8sPSSHostNamespaces")?.properties.tags).toContain("pss-baseline");
  expect(byId.get("DockerfileLatestTag")?.properties.tags).toEqual(["security", "dockerfile", "DL3007"]);
  expect(byId.get("DockerfileSecretInLayer")?.properties.tags).toEqual(["security", "dockerfile"]);
  expect(byId.get("DockerfileSecretInLayer")?.properties["security-severity"]).toBe("9.0");
});

test("relative paths are relative URIs under %SRCROOT%; absolute ones file: URIs; the instruction's line", () => {
  const dockerfile = run.results.find((r) => r.ruleId === "DockerfileSecretInLayer")!.locations[0].physicalLocation;
  expect(dockerfile.artifactLocation).toEqual({ uri: CORPUS_FILE, uriBaseId: "%SRCROOT%" });
  expect(dockerfile.region.startLine).toBe(2);
  const manifest = run.results.find((r) => r.ruleId === "BulwarkImageTags")!.locations[0].physicalLocation;
  expect(manifest.artifactLocation).toEqual({ uri: pathToFileURL(manifests).href });
});

test("invocations carry the exit code", () => {
  expect(code).toBe(1);
  expect(run.invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
  const unchecked = join(dir, "only-unchecked.yaml");
  writeFileSync(
    unchecked,
    stringify({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: { name: "r", namespace: "payments" },
      spec: { template: { spec: { containers: [{ image: "x:1" }] } } },
    }),
  );
  expect(sarifOf([unchecked]).sarif.runs[0].invocations[0].exitCode).toBe(0);
  const failing = sarifOf(["--fail-on-unchecked", unchecked]);
  expect([failing.code, failing.sarif.runs[0].invocations[0].exitCode]).toEqual([1, 1]);
});
