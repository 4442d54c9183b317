import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCheck } from "../../stacks/check";
import { UsageError } from "../../stacks/cli";
import { captureOutput } from "../support/capture";
import { REPO_ROOT, runStackCommand } from "../support/repo";
import { sarifSchemaErrors } from "../support/sarif-schema";
import { controllersWith, goodContainer, goodPodSpec, podWith } from "./fixtures";

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const { result, stdout, stderr } = captureOutput(() => runCheck(args, REPO_ROOT));
  return { code: result, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "bulwark-check-"));
const mixed = join(dir, "mixed");
mkdirSync(mixed);
const good = podWith(goodPodSpec(), "payments", "good");
const warnOnly = controllersWith(goodPodSpec())[0];
writeFileSync(join(mixed, "a-good.yaml"), stringify(good));
writeFileSync(
  join(mixed, "b-bad.yaml"),
  `# two documents\n${stringify(podWith({ ...goodPodSpec(), containers: [goodContainer("app", "nginx:latest")] }, "payments", "bad"))}---\n${stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "np" },
    spec: { type: "NodePort", ports: [{ port: 80 }] },
  })}`,
);
writeFileSync(join(mixed, "c-workload.json"), JSON.stringify(warnOnly));
writeFileSync(join(mixed, "notes.txt"), "not a manifest: ignored inside folders");
const broken = join(dir, "broken.yaml");
writeFileSync(broken, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n    bad: [\n");

describe("check --format json", () => {
  const { code, stdout } = run(["--format", "json", "--namespace", "web", mixed]);
  const report = JSON.parse(stdout) as {
    results: {
      file: string;
      document: number;
      apiVersion: string;
      kind: string;
      namespace: string | null;
      name: string;
      violations: { policy: string; enforcementAction: string; message: string }[];
    }[];
    summary: { objects: number; deny: number; warn: number; dryrun: number };
  };

  it("prints exactly one JSON document with one result per object, in file order", () => {
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(Object.keys(report)).toEqual(["results", "dockerfiles", "summary"]);
    expect(report.results.map((r) => [r.file.replace(`${mixed}/`, ""), r.document, r.kind, r.namespace, r.name])).toEqual([
      ["a-good.yaml", 1, "Pod", "payments", "good"],
      ["b-bad.yaml", 1, "Pod", "payments", "bad"],
      ["b-bad.yaml", 2, "Service", "web", "np"],
      ["c-workload.json", 1, "Deployment", "payments", "deploy"],
    ]);
    for (const r of report.results) expect(Object.keys(r)).toEqual(["file", "document", "apiVersion", "kind", "namespace", "name", "violations"]);
  });

  it("names each violation <ConstraintKind>/<constraint name> with its enforcement action", () => {
    const bad = report.results[1].violations;
    expect(bad.map((v) => v.policy).sort()).toEqual(["BulwarkAllowedRegistries/allowed-registries", "BulwarkImageTags/image-tags"]);
    for (const v of bad) expect(Object.keys(v)).toEqual(["policy", "enforcementAction", "message"]);
    expect(report.results[2].violations.map((v) => v.policy)).toEqual(["BulwarkServiceNoNodePort/service-no-nodeport"]);
    expect(report.summary).toEqual({ objects: 4, deny: 3, warn: 0, dryrun: 0, unchecked: 0, dockerfiles: 0 });
  });

  it("exits 1 when any object is denied", () => {
    expect(code).toBe(1);
  });
});

describe("check exit codes and input errors", () => {
  it("exits 0 when nothing is denied, and 0 when violations are only warn", () => {
    expect(run(["--format", "json", join(mixed, "a-good.yaml")]).code).toBe(0);
    const stack = join(dir, "warnstack");
    mkdirSync(stack);
    const devStack = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
    expect(devStack).toContain("    enforcementAction: deny\n");
    writeFileSync(join(stack, "Pulumi.dev.yaml"), devStack.replace("    enforcementAction: deny\n", "    enforcementAction: warn\n"));
    let stdout = "";
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    try {
      expect(runCheck(["--format", "json", join(mixed, "b-bad.yaml")], stack)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(stdout).summary).toEqual({ objects: 2, deny: 0, warn: 3, dryrun: 0, unchecked: 0, dockerfiles: 0 });
  });

  it("exits 2 on broken YAML, naming the file and the line", () => {
    const result = run(["--format", "json", mixed, broken]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${broken}:4:`);
  });

  it("exits 2 on a missing path; usage errors (exit 2 in the CLI) for unknown flags and bad values", () => {
    const missing = run([join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, "nope.yaml")}: cannot read: ENOENT`);
    expect(() => run(["--frmat", "json", mixed])).toThrow(UsageError);
    expect(() => run(["--bundle", "pss-everything", mixed])).toThrow(/--bundle pss-everything: must be one of all, general, pss-baseline, pss-restricted/);
    expect(() => run(["--pss-version", "1.30", mixed])).toThrow(/must look like v1\.33/);
    expect(() => run(["--format", "xml", mixed])).toThrow(UsageError);
    expect(() => run([])).toThrow(/at least one PATH/);
  });

  it("exits 2 on a document that is not a Kubernetes object, naming file and line", () => {
    const notK8s = join(dir, "not-k8s.yaml");
    writeFileSync(notK8s, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# a comment\njust: a mapping\n");
    const result = run([notK8s]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${notK8s}:6: document 2 has no apiVersion and kind`);
  });

  it("exits 2 on invalid JSON, naming the file and the line", () => {
    const badJson = join(dir, "bad.json");
    writeFileSync(badJson, '{\n  "apiVersion": "v1",\n  "kind": Pod\n}\n');
    const result = run([badJson]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${badJson}:3: invalid JSON`));
  });
});

describe("check reads files as the API server decodes them", () => {
  it("admits a Pod file whose containers set only limits and whose fields are null (API defaulting, pruning)", () => {
    const file = join(dir, "defaulted.yaml");
    const spec = { ...goodPodSpec(), hostNetwork: null, containers: [{ ...goodContainer(), resources: { limits: { cpu: "1", memory: "1Gi" } }, env: null }] };
    writeFileSync(file, stringify(podWith(spec, "payments", "defaulted")));
    const result = run(["--format", "json", file]);
    expect([result.code, JSON.parse(result.stdout).summary]).toEqual([0, { objects: 1, deny: 0, warn: 0, dryrun: 0, unchecked: 0, dockerfiles: 0 }]);
  });

  it("checks each item of a typed list (PodList) at the item's line, with YAML 1.1 booleans", () => {
    const file = join(dir, "podlist.yaml");
    writeFileSync(
      file,
      `apiVersion: v1\nkind: PodList\nitems:\n${stringify([podWith({ ...goodPodSpec(), hostPID: true }, "payments", "listed")]).replace("hostPID: true", "hostPID: on")}`,
    );
    const result = run(["--format", "sarif", file]);
    const [runResult] = JSON.parse(result.stdout).runs as {
      results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    }[];
    expect(result.code).toBe(1);
    expect(runResult.results.map((r) => [r.ruleId, r.locations[0].physicalLocation.region.startLine])).toEqual([[expect.stringMatching(/HostNamespaces/), 4]]);
  });
});

describe("check --format sarif", () => {
  const { code, stdout } = run(["--format", "sarif", mixed]);
  const sarif = JSON.parse(stdout) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
    }[];
  };

  it("is valid SARIF 2.1.0", () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
  });

  it("has one result per violation, levels from enforcement actions, rule indexes that resolve, lines of the documents", () => {
    const [runResult] = sarif.runs;
    expect(runResult.results).toHaveLength(3);
    for (const r of runResult.results) expect(runResult.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(new Set(runResult.results.map((r) => r.level))).toEqual(new Set(["error"]));
    // b-bad.yaml: the Pod starts on line 2 (after a comment), the Service after the '---'.
    const lines = runResult.results.map((r) => r.locations[0].physicalLocation.region.startLine).sort((a, b) => a - b);
    expect(lines[0]).toBe(2);
    expect(code).toBe(1);
  });
});

describe("check --bundle and --pss-version", () => {
  it("pss-baseline admits a pod that only restricted would deny", () => {
    const pod = join(dir, "baseline-ok.yaml");
    writeFileSync(pod, stringify(podWith({ containers: [{ name: "app", image: "nginx:latest" }] }, "payments")));
    expect(run(["--bundle", "pss-baseline", pod]).code).toBe(0);
    expect(run(["--bundle", "pss-restricted", pod]).code).toBe(1);
    expect(run(["--bundle", "all", pod]).code).toBe(1);
  });
});

describe("npm run check (the CLI process)", () => {
  it("prints JSON and exits 1 for mixed manifests; exits 2 naming file and line for broken YAML", () => {
    const json = runStackCommand("check.ts", ["--format", "json", mixed], REPO_ROOT);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).summary.objects).toBe(4);
    const bad = runStackCommand("check.ts", [broken], REPO_ROOT);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${broken}:4:`);
    const usage = runStackCommand("check.ts", ["--frmat", "json", mixed], REPO_ROOT);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run check");
  });
});
