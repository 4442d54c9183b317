import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runStackCommand } from "../support/repo";

/** A scratch project folder holding a copy of the dev stack file. */
function scratchProject(edit?: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-synth-"));
  const text = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
  if (edit) writeFileSync(join(dir, "Pulumi.dev.yaml"), edit(text));
  else copyFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), join(dir, "Pulumi.dev.yaml"));
  return dir;
}

const readAll = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );

describe("npm run synth", () => {
  test("writes the dev baseline, byte-identical on a second run", () => {
    const project = scratchProject();
    const first = runStackCommand("synth.ts", ["--stack", "dev", "--out", "out1"], project);
    const second = runStackCommand("synth.ts", ["--stack", "dev", "--out", "out2"], project);
    expect([first.status, first.stderr]).toEqual([0, ""]);
    expect(second.status).toBe(0);
    const files1 = readAll(join(project, "out1"));
    expect(Object.keys(files1)).toEqual(expect.arrayContaining(["tenant-payments.k8s.yaml", "tenant-web.k8s.yaml"]));
    expect(readAll(join(project, "out2"))).toEqual(files1);
    for (const tenant of ["payments", "web"]) {
      const text = files1[`tenant-${tenant}.k8s.yaml`];
      expect(text).toMatch(new RegExp(`kind: Namespace\\nmetadata:\\n( {2}.*\\n)*? {2}name: ${tenant}\\n`));
      expect(text).toContain("pod-security.kubernetes.io/enforce: restricted");
      expect(text).toMatch(/name: default-deny-all\n {2}namespace: \S+\nspec:\n {2}podSelector: \{\}\n {2}policyTypes:\n {4}- Ingress\n {4}- Egress\n/);
    }
    expect(first.stdout).toMatch(/^synth: \d+ objects in \d+ files/);
  });

  test("the cdk8s.yaml entry point (cdk8s synth) writes the same files", () => {
    const project = scratchProject();
    expect(readFileSync(join(REPO_ROOT, "cdk8s.yaml"), "utf8")).toMatch(/^app: npx tsx stacks\/cdk8s-app\.ts$/m);
    expect(runStackCommand("synth.ts", ["--out", "a"], project).status).toBe(0);
    const viaCdk8s = runStackCommand("cdk8s-app.ts", [], project, { BULWARK_STACK: "dev", CDK8S_OUTDIR: join(project, "b") });
    expect([viaCdk8s.status, viaCdk8s.stderr]).toEqual([0, ""]);
    expect(readAll(join(project, "b"))).toEqual(readAll(join(project, "a")));
  });

  test("a broken stack file exits 2, names the key, and writes nothing", () => {
    const project = scratchProject((text) => text.replace("name: payments", "name: Bad_Name"));
    const result = runStackCommand("synth.ts", ["--stack", "dev", "--out", "out"], project);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.name = "Bad_Name": must be a DNS-1123 label/);
    expect(result.stderr).toContain("Nothing was synthesized");
    expect(existsSync(join(project, "out"))).toBe(false);
  });

  test("a missing stack and an unknown flag exit 2 with what to do", () => {
    const project = scratchProject();
    const missing = runStackCommand("synth.ts", ["--stack", "prod"], project);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--stack = "prod": no stack file Pulumi\.prod\.yaml/);
    const unknown = runStackCommand("synth.ts", ["--stak", "dev"], project);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--stak'/);
    expect(unknown.stderr).toContain("Usage: npm run synth");
  });
});
