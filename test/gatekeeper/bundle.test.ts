/**
 * Policy bundles: `policies export` is deterministic and complete, `check --policies` gives the same outcome
 * as the stack file it came from, a bundle altered after export is refused (exit 2), and the example app
 * repository's committed bundle is exactly what export produces today.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleError, contentHashOf, exportPolicyBundle, readBundle, writeBundle } from "../../constructs/gatekeeper/bundle";
import { createChecker, createCheckerFromObjects, synthesizeGatekeeperObjects } from "../../constructs/gatekeeper/check";
import { runCheck } from "../../stacks/check";
import { runPolicies } from "../../stacks/policies";
import { bulwarkVersion } from "../../stacks/stack-source";
import { captureOutput } from "../support/capture";
import { REPO_ROOT, devConfig } from "../support/repo";
import { controllersWith, goodContainer, goodPodSpec, podWith } from "./fixtures";

const EXAMPLE_BUNDLE = join(REPO_ROOT, "examples", "app-repo", "policies");

function capture(body: () => number): { code: number; stdout: string; stderr: string } {
  const { result, stdout, stderr } = captureOutput(body);
  return { code: result, stdout, stderr };
}

const exported = exportPolicyBundle(devConfig(), { stack: "dev", bulwarkVersion: bulwarkVersion() });

function freshBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-bundle-"));
  writeBundle(dir, exported);
  return dir;
}

test("the example app repository's committed bundle is what `policies export --stack dev` produces today", () => {
  // When this fails, the dev stack or a policy changed: regenerate with
  //   npm run policies -- export --stack dev --out examples/app-repo/policies
  expect(readdirSync(EXAMPLE_BUNDLE).sort()).toEqual([...exported.keys()].sort());
  for (const [path, text] of exported) expect({ path, text: readFileSync(join(EXAMPLE_BUNDLE, path), "utf8") }).toEqual({ path, text });
});

test("export is deterministic and records versions, exemptions, registries and a hash of every file", () => {
  const again = exportPolicyBundle(devConfig(), { stack: "dev", bulwarkVersion: bulwarkVersion() });
  expect([...again]).toEqual([...exported]);
  const manifest = JSON.parse(exported.get("bundle.json")!) as Record<string, unknown> & { files: { path: string; sha256: string }[] };
  expect(manifest).toMatchObject({
    bundleFormat: 1,
    bulwarkVersion: bulwarkVersion(),
    stack: "dev",
    kubernetesVersion: "1.36",
    pssVersion: "v1.36",
    selection: "all",
    exemptNamespaces: ["gatekeeper-system", "kube-node-lease", "kube-public", "kube-system"],
    allowedRegistries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"],
  });
  expect(manifest.files.map((f) => f.path)).toEqual(["templates.yaml", "expansions.yaml", "constraints.yaml"]);
  expect(manifest.contentHash).toBe(contentHashOf(manifest.files));
});

test("a bundle holds exactly the stack's synthesized Gatekeeper objects", () => {
  const fromBundle = readBundle(freshBundle()).gatekeeperObjects;
  const fromStack = synthesizeGatekeeperObjects({ config: devConfig() });
  const key = (o: Record<string, unknown>) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`;
  expect([...fromBundle].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...fromStack].sort((a, b) => key(a).localeCompare(key(b))));
});

test("checking with the bundle gives the same violations as checking with the stack file", () => {
  const objects = [
    podWith({ ...goodPodSpec(), containers: [goodContainer("app", "nginx:latest")] }, "payments", "bad"),
    podWith(goodPodSpec(), "payments", "good"),
    ...controllersWith({ ...goodPodSpec(), hostNetwork: true }),
  ].map((object, i) => ({ file: "in.yaml", document: i + 1, line: 1, object: object as Record<string, unknown> }));
  const viaBundle = createCheckerFromObjects(readBundle(freshBundle()).gatekeeperObjects).checkObjects(objects);
  const viaStack = createChecker({ config: devConfig() }).checkObjects(objects);
  expect(viaBundle.summary.deny).toBeGreaterThan(0);
  expect(viaBundle).toEqual(viaStack);
});

describe("a bundle altered after export is refused", () => {
  test.each(["templates.yaml", "expansions.yaml", "constraints.yaml"])("an edit of %s: hash mismatch, named with what to do", (file) => {
    const dir = freshBundle();
    writeFileSync(join(dir, file), `${readFileSync(join(dir, file), "utf8")}# edited\n`);
    expect(() => readBundle(dir)).toThrow(BundleError);
    expect(() => readBundle(dir)).toThrow(new RegExp(`${file}: SHA-256 [0-9a-f]{64} differs .*altered after export; ask the platform team for a fresh bundle`));
  });

  test("an edited manifest (a file hash changed to match an edit) fails the content hash", () => {
    const dir = freshBundle();
    const manifest = JSON.parse(readFileSync(join(dir, "bundle.json"), "utf8")) as { files: { sha256: string }[] };
    manifest.files[2].sha256 = "0".repeat(64);
    writeFileSync(join(dir, "bundle.json"), JSON.stringify(manifest));
    expect(() => readBundle(dir)).toThrow(/contentHash .* does not match its files list/);
  });

  test.each([
    ["no bundle.json", (dir: string) => writeFileSync(join(dir, "bundle.json.bak"), ""), "nonexistent"],
    ["a file dropped from the list", (dir: string) => dropFile(dir), "a bundle has exactly"],
    ["a newer bundle format", (dir: string) => editManifest(dir, (m) => ({ ...m, bundleFormat: 2 })), "bundleFormat 2"],
    ["not JSON", (dir: string) => writeFileSync(join(dir, "bundle.json"), "{"), "invalid JSON"],
  ])("%s", (_name, spoil, message) => {
    const dir = message === "nonexistent" ? join(tmpdir(), "bulwark-no-such-bundle") : freshBundle();
    if (message !== "nonexistent") spoil(dir);
    expect(() => readBundle(dir)).toThrow(message === "nonexistent" ? /cannot read \(ENOENT\)/ : new RegExp(message));
  });

  test("bulwark check --policies on a tampered bundle: exit 2, nothing checked, what to do on stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-bundle-"));
    cpSync(EXAMPLE_BUNDLE, dir, { recursive: true });
    const constraints = join(dir, "constraints.yaml");
    writeFileSync(constraints, readFileSync(constraints, "utf8").replace("enforcementAction: deny", "enforcementAction: dryrun"));
    const pod = join(dir, "pod.yaml");
    writeFileSync(pod, JSON.stringify(podWith({ ...goodPodSpec(), containers: [goodContainer("app", "nginx:latest")] }, "payments", "bad")));
    const result = capture(() => runCheck(["--policies", dir, pod], REPO_ROOT));
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/bad policy bundle, nothing was checked:\n.*constraints\.yaml: SHA-256 .* ask the platform team for a fresh bundle/);
  });
});

function editManifest(dir: string, edit: (m: Record<string, unknown>) => Record<string, unknown>): void {
  writeFileSync(join(dir, "bundle.json"), JSON.stringify(edit(JSON.parse(readFileSync(join(dir, "bundle.json"), "utf8")) as Record<string, unknown>)));
}

function dropFile(dir: string): void {
  editManifest(dir, (m) => {
    const files = (m.files as { path: string; sha256: string }[]).slice(0, 2);
    return { ...m, files, contentHash: contentHashOf(files) };
  });
}

describe("bulwark policies export", () => {
  test("writes the bundle; --stack-file reads a stack file anywhere; the same bytes either way", () => {
    const viaName = mkdtempSync(join(tmpdir(), "bulwark-export-"));
    const viaPath = mkdtempSync(join(tmpdir(), "bulwark-export-"));
    expect(capture(() => runPolicies(["export", "--stack", "dev", "--out", viaName], REPO_ROOT)).code).toBe(0);
    expect(capture(() => runPolicies(["export", "--stack-file", join(REPO_ROOT, "Pulumi.dev.yaml"), "--out", viaPath], tmpdir())).code).toBe(0);
    for (const path of exported.keys()) expect(readFileSync(join(viaPath, path), "utf8")).toBe(readFileSync(join(viaName, path), "utf8"));
    expect(readFileSync(join(viaName, "bundle.json"), "utf8")).toBe(exported.get("bundle.json"));
  });

  test.each([
    [["export"], /--out <dir> is required/],
    [["publish", "--out", "x"], /the one action is `export`/],
    [["export", "--out", "x", "--stack", "dev", "--stack-file", "Pulumi.dev.yaml"], /not both/],
    [["export", "--out", "x", "--bundle", "nope"], /--bundle nope: must be one of/],
    [["export", "--out", "x", "--pss-version", "1.30"], /--pss-version 1.30: must look like v1.33/],
  ])("usage errors are reported, nothing written: %j", (args, message) => {
    expect(() => runPolicies(args, REPO_ROOT)).toThrow(message);
  });
});
