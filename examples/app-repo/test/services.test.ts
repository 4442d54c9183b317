import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** `bulwark check --stack dev --format sarif` on a folder, from this repository (it holds Pulumi.dev.yaml). */
function check(dir: string): { status: number | null; sarif: SarifLog; stderr: string } {
  const run = spawnSync(process.execPath, [bulwarkBin(), "check", "--stack", "dev", "--format", "sarif", dir], { cwd: REPO, encoding: "utf8" });
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

  test("bulwark check passes the synthesized manifests against the dev cluster's policies", () => {
    synthInto(dir);
    const result = check(dir);
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
});
