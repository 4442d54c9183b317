import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { planStack } from "../stacks/plan";
import { peakRssMiB } from "./harness";

/**
 * One plan measurement: the offline plan (the whole Pulumi program under the mock engine) of the dev stack,
 * or of a stack like dev with N tenants. A plan runs once per process, so this is a single timed run.
 */
const tenants = process.argv[2] === "dev" ? undefined : Number(process.argv[2]);
const root = join(__dirname, "..");
let dir = root;
let stack = "dev";
if (tenants !== undefined) {
  const doc = parseDocument(readFileSync(join(root, "Pulumi.dev.yaml"), "utf8"));
  const config = (doc.toJS() as { config: Record<string, unknown> }).config;
  const base = config["bulwark:tenants"] as Record<string, unknown>[];
  config["bulwark:tenants"] = Array.from({ length: tenants }, (_, i) => ({ ...base[i % base.length], name: `tenant-${String(i).padStart(4, "0")}` }));
  dir = mkdtempSync(join(tmpdir(), "bulwark-bench-plan-"));
  stack = "bench";
  writeFileSync(join(dir, "Pulumi.bench.yaml"), JSON.stringify({ config }));
}
void (async () => {
  const start = process.hrtime.bigint();
  const plan = await planStack(stack, dir);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (dir !== root) rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({ stack: tenants === undefined ? "dev" : `${tenants} tenants`, resources: plan.resources.length, seconds, peakRssMiB: peakRssMiB() }),
  );
})();
