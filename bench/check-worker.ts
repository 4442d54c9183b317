import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadStackFile } from "../config/load";
import type { InputProblem } from "../constructs/gatekeeper/check";
import { createChecker, readManifestFile } from "../constructs/gatekeeper/check";
import { benchObject } from "./check";
import { peakRssMiB, timeMedian } from "./harness";

/**
 * One check measurement: N mixed objects (Pods, every controller kind, Services, Ingresses, RBAC,
 * Namespaces) in one YAML file, checked with the dev stack's full bundle as `npm run check` does (read,
 * parse, evaluate; CEL compiled once, outside the timing), against the floor: reading and parsing the
 * same file with the same parser.
 */
const count = Number(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), "bulwark-bench-check-"));
const file = join(dir, "objects.yaml");
writeFileSync(file, Array.from({ length: count }, (_, i) => stringify(benchObject(i))).join("---\n"));
const compileStart = process.hrtime.bigint();
const checker = createChecker({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
const compileSeconds = Number(process.hrtime.bigint() - compileStart) / 1e9;
const runs = count >= 10000 ? 1 : 3;
let objects = 0;
const seconds = timeMedian(runs, () => {
  objects = checker.checkPaths([file]).summary.objects;
});
const floor = timeMedian(runs, () => {
  const problems: InputProblem[] = [];
  readManifestFile(file, problems);
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
});
rmSync(dir, { recursive: true, force: true });
if (objects !== count) throw new Error(`checked ${objects} objects, expected ${count}`);
console.log(JSON.stringify({ objects: count, constraints: checker.policySet.size, compileSeconds, seconds, floorSeconds: floor, peakRssMiB: peakRssMiB() }));
