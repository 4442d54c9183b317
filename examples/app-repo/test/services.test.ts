import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, Testing } from "cdk8s";
import { ServicesChart } from "../src/services";

const REPO = join(__dirname, "..");

/** The installed `bulwark` CLI, found through the package's own package.json (its `bin`). */
function bulwarkBin(): string {
  const manifest = require.resolve("bulwark/package.json");
  const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> }).bin.bulwark;
  return join(dirname(manifest), bin);
}

interface SarifLog {
  runs: { results: { ruleId: string; level: string }[] }[];
}

/** `bulwark check --policies policies --format sarif` on paths, from this repository (it holds the bundle). */
function check(...paths: string[]): { status: number | null; sarif: SarifLog; stderr: string } {
  const run = spawnSync(process.execPath, [bulwarkBin(), "check", "--policies", "policies", "--format", "sarif", ...paths], { cwd: REPO, encoding: "utf8" });
  return { status: run.status, sarif: JSON.parse(run.stdout) as SarifLog, stderr: run.stderr };
}

function synthInto(dir: string): void {
  const app = new App({ outdir: dir });
  new ServicesChart(app, "services");
  app.synth();
}

describe("services", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "app-repo-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("manifests match the reviewed snapshot", () => {
    const chart = new ServicesChart(Testing.app(), "services");
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test("every container runs hardened (restricted Pod Security)", () => {
    const chart = new ServicesChart(Testing.app(), "services");
    const deployments = Testing.synth(chart).filter((o) => o.kind === "Deployment");
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
        });
      }
    }
  });

  test("bulwark check passes the synthesized manifests and the Dockerfile against the dev cluster's policies", () => {
    synthInto(dir);
    const result = check(dir, "Dockerfile");
    expect(result.sarif.runs[0].results).toEqual([]);
    expect(result.status).toBe(0);
  });

  test("bulwark check fails a non-compliant manifest planted beside them", () => {
    synthInto(dir);
    writeFileSync(
      join(dir, "planted.yaml"),
      [
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: debug, namespace: payments, labels: {app.kubernetes.io/name: debug}}",
        "spec:",
        "  containers:",
        "    - name: shell",
        "      image: nginx:latest",
        "      securityContext: {privileged: true}",
        "",
      ].join("\n"),
    );
    const result = check(dir);
    expect(result.status).toBe(1);
    const rules = new Set(result.sarif.runs[0].results.map((r) => r.ruleId));
    expect([...rules]).toEqual(expect.arrayContaining(["BulwarkAllowedRegistries", "BulwarkImageTags", "K8sPSSPrivileged"]));
  });

  test("bulwark check fails a Dockerfile that runs as root from an unpinned public image", () => {
    writeFileSync(join(dir, "Dockerfile"), "FROM node:latest\nCOPY .env /app/\n");
    const result = check(join(dir, "Dockerfile"));
    expect(result.status).toBe(1);
    const rules = new Set(result.sarif.runs[0].results.map((r) => r.ruleId));
    expect([...rules].sort()).toEqual(["DockerfileAllowedRegistry", "DockerfileLatestTag", "DockerfileRootUser", "DockerfileSecretInLayer"]);
  });

  test("a policy bundle edited after export is refused (exit 2), nothing is checked", () => {
    cpSync(join(REPO, "policies"), join(dir, "policies"), { recursive: true });
    const constraints = join(dir, "policies", "constraints.yaml");
    writeFileSync(constraints, readFileSync(constraints, "utf8").replace("enforcementAction: deny", "enforcementAction: dryrun"));
    const run = spawnSync(process.execPath, [bulwarkBin(), "check", "--policies", join(dir, "policies"), "Dockerfile"], { cwd: REPO, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("the bundle was altered after export");
  });
});
