/**
 * `check` beyond manifest files: Dockerfiles (by name or --dockerfile) in text, JSON and SARIF; standard
 * input (`-`); objects with a pod template no ExpansionTemplate covers (not checked, --fail-on-unchecked);
 * and the CLI habits of `bulwark` (--version, start, examples in every --help).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { SUBCOMMANDS, bulwarkMain } from "../../stacks/bulwark";
import { runCheck } from "../../stacks/check";
import { captureOutput } from "../support/capture";
import { REPO_ROOT } from "../support/repo";
import { goodContainer, goodPodSpec, podWith } from "./fixtures";

function capture(body: () => number): { code: number; stdout: string; stderr: string } {
  const { result, stdout, stderr } = captureOutput(body);
  return { code: result, stdout, stderr };
}

const check = (args: string[], stdin?: string) => capture(() => runCheck(args, REPO_ROOT, stdin === undefined ? undefined : () => stdin));

const dir = mkdtempSync(join(tmpdir(), "bulwark-inputs-"));
const repo = join(dir, "repo");
mkdirSync(join(repo, "k8s"), { recursive: true });
const BAD_DOCKERFILE = "FROM node:latest\nRUN curl -fsSL https://example.com/i.sh | sh\n";
writeFileSync(join(repo, "Dockerfile"), BAD_DOCKERFILE);
writeFileSync(join(repo, "api.Dockerfile"), "FROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/base:1.2\nUSER 10001\n");
writeFileSync(join(repo, "k8s", "pod.yaml"), stringify(podWith(goodPodSpec(), "payments", "good")));
writeFileSync(join(repo, "build.txt"), "FROM node:latest\n");
const ROLLOUT = {
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Rollout",
  metadata: { name: "canary", namespace: "payments" },
  spec: { template: { spec: { containers: [goodContainer("app", "nginx:latest")] } } },
};
const rollout = join(dir, "rollout.yaml");
writeFileSync(rollout, stringify(ROLLOUT));

describe("Dockerfiles", () => {
  test("are found in folders by name, and reported with file and line in text", () => {
    const { code, stdout } = check([repo]);
    expect(code).toBe(1);
    const lines = stdout.split("\n").filter((l) => l.startsWith("DENY"));
    expect(
      lines.map((l) =>
        /^DENY +(\S+) Dockerfile {2}(\w+):/
          .exec(l.replace(`${repo}/`, ""))
          ?.slice(1)
          .join(" "),
      ),
    ).toEqual([
      "Dockerfile:1 DockerfileAllowedRegistry",
      "Dockerfile:1 DockerfileLatestTag",
      "Dockerfile:1 DockerfileRootUser",
      "Dockerfile:2 DockerfileIntegrityBypass",
    ]);
    expect(stdout).toMatch(/check: 1 objects, 0 denied, 0 not checked; 2 Dockerfiles, 1 failing; violations: 4 deny/);
    // build.txt is neither a manifest nor a Dockerfile by name: not read inside a folder.
    expect(stdout).not.toContain("build.txt");
  });

  test("in JSON: per file, each finding with rule and line", () => {
    const { code, stdout } = check(["--format", "json", join(repo, "Dockerfile")]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).dockerfiles).toEqual([
      {
        file: join(repo, "Dockerfile"),
        findings: [
          { rule: "DockerfileAllowedRegistry", line: 1, message: expect.stringContaining("docker.io/library/node:latest") },
          { rule: "DockerfileLatestTag", line: 1, message: expect.any(String) },
          { rule: "DockerfileRootUser", line: 1, message: expect.any(String) },
          { rule: "DockerfileIntegrityBypass", line: 2, message: expect.stringContaining("curl … | sh") },
        ],
      },
    ]);
  });

  test("in SARIF: a rule per Dockerfile rule (with hadolint's id), results at the instruction's line", () => {
    const sarif = JSON.parse(check(["--format", "sarif", join(repo, "Dockerfile")]).stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      "DockerfileAllowedRegistry",
      "DockerfileIntegrityBypass",
      "DockerfileLatestTag",
      "DockerfileRootUser",
    ]);
    expect(run.tool.driver.rules.find((r) => r.id === "DockerfileLatestTag")?.shortDescription.text).toContain("hadolint DL3007");
    expect(run.results.map((r) => `${r.ruleId}:${r.locations[0].physicalLocation.region.startLine}`)).toContain("DockerfileIntegrityBypass:2");
  });

  test("--dockerfile checks a file whatever its name, and - reads one from standard input", () => {
    expect(check(["--format", "json", "--dockerfile", join(repo, "build.txt")]).code).toBe(1);
    const fromStdin = check(["--format", "json", "--dockerfile", "-"], BAD_DOCKERFILE);
    expect(JSON.parse(fromStdin.stdout).dockerfiles[0].file).toBe("(stdin)");
  });

  test("--workers N checks on N worker threads with the same output; a bad count is a usage error", () => {
    const one = check(["--format", "json", "--workers", "0", repo]);
    const two = check(["--format", "json", "--workers", "2", repo]);
    expect(two).toEqual(one);
    expect(JSON.parse(one.stdout).summary.objects).toBeGreaterThan(0);
    for (const bad of ["two", "-1", "1.5", "65", ""])
      expect(() => check([`--workers=${bad}`, repo])).toThrow(new RegExp(`--workers ${bad}: must be a whole number from 0`));
  });

  test("--allowed-base-image allows a repository besides the registries, by docker's normalisation", () => {
    const allowed = JSON.parse(check(["--format", "json", "--allowed-base-image", "docker.io/library/node", join(repo, "Dockerfile")]).stdout);
    expect(allowed.dockerfiles[0].findings.map((f: { rule: string }) => f.rule)).not.toContain("DockerfileAllowedRegistry");
    expect(() => check(["--allowed-base-image", "Not A Ref", repo])).toThrow(/--allowed-base-image Not A Ref: must be an image repository/);
  });

  test("a file without FROM is bad input (exit 2) with file and line", () => {
    const { code, stderr } = check(["--dockerfile", "-"], "RUN echo hi\n");
    expect(code).toBe(2);
    expect(stderr).toMatch(/\(stdin\):1: no FROM instruction/);
  });
});

describe("standard input", () => {
  test("- reads manifests (YAML or JSON) from standard input, reported as (stdin) with lines", () => {
    const bad = podWith({ ...goodPodSpec(), containers: [goodContainer("app", "nginx:latest")] }, "payments", "bad");
    const { code, stdout } = check(["--format", "json", "-"], `${stringify(podWith(goodPodSpec(), "payments", "good"))}---\n${JSON.stringify(bad)}\n`);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { file: string; name: string }) => `${r.file} ${r.name}`)).toEqual(["(stdin) good", "(stdin) bad"]);
  });

  test("invalid YAML on standard input is exit 2 with its line", () => {
    const { code, stderr } = check(["-"], "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n    bad: [\n");
    expect(code).toBe(2);
    expect(stderr).toMatch(/\(stdin\):\d+: invalid YAML/);
  });

  test("standard input named twice is a problem, not a silent empty read", () => {
    const { code, stderr } = check(["-", "--dockerfile", "-"], "");
    expect(code).toBe(2);
    expect(stderr).toMatch(/standard input \(-\) can be read only once/);
  });
});

describe("custom resources with pod templates", () => {
  test("are reported as not checked, per object, in every format; exit 0 unless --fail-on-unchecked", () => {
    const text = check([rollout]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^SKIP {3}.*rollout\.yaml:1 Rollout\/payments\/canary {2}not checked: argoproj\.io\/v1alpha1 Rollout has a pod template/m);
    const json = JSON.parse(check(["--format", "json", rollout]).stdout);
    expect(json.results[0].unchecked).toMatch(/no ExpansionTemplate covers/);
    expect(json.summary.unchecked).toBe(1);
    const sarif = JSON.parse(check(["--format", "sarif", rollout]).stdout);
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: "BulwarkNotChecked", level: "note" })]);
    expect(check(["--fail-on-unchecked", rollout]).code).toBe(1);
  });

  test("a Deployment (covered by an ExpansionTemplate) and a Pod are checked, not reported", () => {
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "payments" }, spec: { template: ROLLOUT.spec.template } };
    const json = JSON.parse(check(["--format", "json", "-"], JSON.stringify(deployment)).stdout);
    expect(json.summary.unchecked).toBe(0);
    expect(json.results[0].violations.length).toBeGreaterThan(0);
  });
});

describe("bulwark CLI habits", () => {
  async function main(args: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await bulwarkMain(args);
      return { code: Number(process.exitCode ?? 0), stdout };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
  }

  test("--version prints the package's version", async () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(await main(["--version"])).toEqual({ code: 0, stdout: `bulwark ${version}\n` });
  });

  test.each(Object.keys(SUBCOMMANDS))("bulwark %s --help shows its usage with examples", async (name) => {
    const { code, stdout } = await main([name, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: bulwark ${name}`));
    expect(stdout).toMatch(/\nExamples:\n {2}\S/);
  });

  test("start is a command", () => {
    expect(Object.keys(SUBCOMMANDS)).toEqual(expect.arrayContaining(["start", "policies", "check"]));
  });
});

describe("--stack-file", () => {
  test("reads a stack file anywhere (same outcome as --stack); a missing one is a config error; one source only", () => {
    const viaFile = capture(() => runCheck(["--format", "json", "--stack-file", join(REPO_ROOT, "Pulumi.dev.yaml"), repo], tmpdir()));
    expect(viaFile.code).toBe(1);
    expect(JSON.parse(viaFile.stdout)).toEqual(JSON.parse(check(["--format", "json", "--stack", "dev", repo]).stdout));
    expect(() => runCheck(["--stack-file", join(dir, "Pulumi.nope.yaml"), repo], REPO_ROOT)).toThrow(
      /--stack-file = .*Pulumi\.nope\.yaml.*cannot read \(ENOENT\)/,
    );
    expect(() => check(["--stack", "dev", "--policies", "x", repo])).toThrow(/give one of --stack, --stack-file, --policies/);
  });
});
