/**
 * Bulwark as an installed package: `npm run build`, `npm pack`, then a temporary copy of
 * examples/app-repo installs the tarball OFFLINE (from the npm cache `npm ci` filled), compiles, runs its
 * own tests and its CI script (`bulwark check --format sarif`), and calls the installed `bulwark` CLI.
 */
import type { SpawnSyncReturns } from "node:child_process";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

const ROOT = join(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "app-repo");
// Build (two tsc passes), offline install of ~490 packages and the example's own CI: minutes on 2 cores.
const SETUP_TIMEOUT = 420_000;

/**
 * The environment for child npm/node processes: without the variables `npm test` sets for this package
 * (npm_package_*, npm_lifecycle_*, npm_config_local_prefix...), which would make npm act on /work/main;
 * the cache and user config stay, so the offline install reads the cache `npm ci` filled.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_userconfig", "npm_config_globalconfig", "npm_config_registry"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith("npm_") && !keep.has(key.toLowerCase())) continue;
    env[key] = value;
  }
  return { ...env, CI: "true", NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false" };
}

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, [...args], { cwd, env: childEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function mustRun(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${String(result.status)}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

let work: string;
let app: string;
let tarball: string;
let packedFiles: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "bulwark-pack-"));
  mustRun("npm", ["run", "--silent", "build"], ROOT);
  const packed = JSON.parse(mustRun("npm", ["pack", "--json", "--pack-destination", work], ROOT).stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, packed[0].filename);
  packedFiles = packed[0].files.map((f) => f.path);

  // A copy of the example, as an app team's clone would be (no local install or outputs).
  app = join(work, "app-repo");
  cpSync(EXAMPLE, app, {
    recursive: true,
    filter: (src) => !/^(node_modules|build|dist|bulwark\.sarif)(\/|$)/.test(relative(EXAMPLE, src).split(sep).join("/")),
  });
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as Record<string, Record<string, string>>;
  manifest.dependencies.bulwark = `file:${tarball}`;
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Lock the example's third-party packages to exactly the versions Bulwark's own lockfile resolved, which
  // `npm ci` put in the cache: offline, npm may not pick a newer release it has never downloaded. Entries
  // the example does not need are pruned by npm.
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const packages: Record<string, unknown> = {
    "": { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "") packages[path] = entry;
  writeFileSync(
    join(app, "package-lock.json"),
    JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages }),
  );
  mustRun("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
}, SETUP_TIMEOUT);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  test("holds the compiled library with .d.ts, the CLI and every policy template; no sources, tests or benches", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "package.json",
        "build/stacks/bulwark.js",
        "build/constructs/index.js",
        "build/constructs/index.d.ts",
        "build/lib/index.d.ts",
        "build/config/index.d.ts",
        "docs/api.md",
      ]),
    );
    const templates = packedFiles.filter((f) => /^build\/constructs\/gatekeeper\/policies\/[^/]+\/template\.yaml$/.test(f));
    const policyIndexes = packedFiles.filter((f) => /^build\/constructs\/gatekeeper\/policies\/[^/]+\/index\.js$/.test(f));
    expect(policyIndexes.length).toBeGreaterThanOrEqual(34);
    expect(templates.map((f) => f.replace("template.yaml", "index.js")).sort()).toEqual(policyIndexes.sort());
    expect(packedFiles.filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(packedFiles.filter((f) => /^(build\/)?(test|bench|examples)\//.test(f))).toEqual([]);
  });

  test("the example carries a policy bundle, no stack file (test/gatekeeper/bundle.test.ts checks the bundle is current)", () => {
    expect(existsSync(join(EXAMPLE, "policies", "bundle.json"))).toBe(true);
    expect(existsSync(join(EXAMPLE, "Pulumi.dev.yaml"))).toBe(false);
  });
});

describe("the example app repository, with the tarball installed offline", () => {
  test("its CI script compiles it, passes its tests and snapshot, and checks its manifests clean (SARIF)", () => {
    const ci = run("bash", ["ci.sh"], app);
    expect({ status: ci.status, stderr: ci.status === 0 ? "" : ci.stderr, stdout: ci.status === 0 ? "" : ci.stdout }).toEqual({
      status: 0,
      stderr: "",
      stdout: "",
    });
    // jest ran the example's 6 tests against the committed snapshot (--ci: a missing snapshot fails).
    expect(ci.stderr).toMatch(/Tests:\s+6 passed, 6 total/);
    expect(ci.stderr).toMatch(/Snapshots:\s+1 passed, 1 total/);
    expect(existsSync(join(app, "build", "src", "main.js"))).toBe(true);
    const sarif = JSON.parse(readFileSync(join(app, "bulwark.sarif"), "utf8")) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([]);
  }, 240_000);

  test("the public entry points resolve through the exports map, with plain node", () => {
    const probe = run(
      process.execPath,
      [
        "-e",
        `const c = require("bulwark/constructs"), l = require("bulwark/lib"), f = require("bulwark/config"), g = require("bulwark/gatekeeper");
         console.log(JSON.stringify([typeof c.HardenedWorkload, typeof c.TenantNamespace, typeof l.HardenedEksCluster, typeof f.loadStackFile, typeof g.createChecker, require("bulwark").HardenedWorkload === c.HardenedWorkload]));`,
      ],
      app,
    );
    expect(probe.stderr).toBe("");
    expect(JSON.parse(probe.stdout)).toEqual(["function", "function", "function", "function", "function", true]);
    // Internal files are not reachable: only the exports map is public.
    const internal = run(process.execPath, ["-e", `require("bulwark/build/stacks/cli.js")`], app);
    expect(internal.status).not.toBe(0);
    expect(internal.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test("the installed bulwark CLI: usage, help, exit 2 on bad input", () => {
    const bin = join(app, "node_modules", ".bin", "bulwark");
    const none = run(bin, [], app);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/Usage: bulwark <command>/);
    const unknown = run(bin, ["deploy"], app);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "deploy"/);
    expect(run(bin, ["--version"], app).stdout).toMatch(/^bulwark \d+\.\d+\.\d+\n$/);
    for (const command of ["start", "synth", "plan", "check", "report", "policies"]) {
      const help = run(bin, [command, "--help"], app);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: bulwark ${command}`));
    }
    const badFlag = run(bin, ["check", "--format", "xml", "dist"], app);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/--format xml: must be one of/);
    const badStack = run(bin, ["synth", "--stack", "prod"], app);
    expect(badStack.status).toBe(2);
  });

  test("the installed bulwark CLI plans and synthesizes the dev stack, with progress on stderr", () => {
    const bin = join(app, "node_modules", ".bin", "bulwark");
    // The platform team's side: a folder holding the stack file.
    const platformRepo = mkdtempSync(join(work, "platform-repo-"));
    writeFileSync(join(platformRepo, "Pulumi.dev.yaml"), readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    const planFile = join(work, "plan.json");
    const plan = run(bin, ["plan", "--quiet", "--out", planFile], platformRepo);
    expect(plan.status).toBe(0);
    expect(plan.stderr).toMatch(/bulwark plan: finished in [0-9.]+ s \(exit 0\)/);
    const resources = (JSON.parse(readFileSync(planFile, "utf8")) as { resources: { type: string }[] }).resources;
    expect(resources.some((r) => r.type === "aws:eks/cluster:Cluster")).toBe(true);
    const synth = run(bin, ["synth", "--out", join(work, "platform")], platformRepo);
    expect(synth.status).toBe(0);
    expect(synth.stderr).toMatch(/^bulwark synth: loading/);
    expect(synth.stdout).toMatch(/synth: \d+ objects in 6 files/);
  }, 120_000);
});
