import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAll } from "js-yaml";
import { stringify } from "yaml";
import { loadStackFile } from "../config/load";
import { createChecker } from "../constructs/gatekeeper/check";
import { benchObject } from "./check";
import { measureMedian, peakRssMiB } from "./harness";

/**
 * One check measurement: N mixed objects (Pods, every controller kind, Services, Ingresses, RBAC,
 * Namespaces) in one YAML file, checked with the dev stack's full bundle as `npm run check` does (read,
 * parse, evaluate; CEL compiled once, outside the timing; on this thread: the bench pins it to one core),
 * against the floor: the fastest plain parse of the same file (js-yaml's own schema, no kubectl rules, no
 * line numbers), in the same process. Wall and CPU seconds both, as other jobs may share the core.
 */
const count = Number(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), "bulwark-bench-check-"));
const file = join(dir, "objects.yaml");
writeFileSync(file, Array.from({ length: count }, (_, i) => stringify(benchObject(i))).join("---\n"));
const compileStart = process.hrtime.bigint();
const checker = createChecker({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
const compileSeconds = Number(process.hrtime.bigint() - compileStart) / 1e9;
// 10,000 objects once, cold, as a CI run meets them; smaller inputs as the median of three.
const runs = count >= 10000 ? 1 : 3;
let objects = 0;
const check = () => {
  objects = checker.checkPaths([file], { workers: 0 }).summary.objects;
};
const parse = () => {
  if (loadAll(readFileSync(file, "utf8")).length !== count) throw new Error("the floor parse lost documents");
};
const { seconds, cpuSeconds } = measureMedian(runs, check);
const { seconds: floor, cpuSeconds: floorCpuSeconds } = measureMedian(runs, parse);
rmSync(dir, { recursive: true, force: true });
if (objects !== count) throw new Error(`checked ${objects} objects, expected ${count}`);
console.log(
  JSON.stringify({
    objects: count,
    constraints: checker.policySet.size,
    compileSeconds,
    seconds,
    floorSeconds: floor,
    cpuSeconds,
    floorCpuSeconds,
    peakRssMiB: peakRssMiB(),
  }),
);
