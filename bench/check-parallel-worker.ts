import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadStackFile } from "../config/load";
import { createChecker } from "../constructs/gatekeeper/check";
import { benchObject } from "./check";
import { measureMedian, peakRssMiB } from "./harness";

/**
 * One large check: N mixed objects in one YAML file with the dev stack's full bundle, on W worker threads
 * (0: this thread), not pinned, in its own process so its peak memory is its own. The file is written in
 * pieces, so the bench itself never holds N objects.
 */
const count = Number(process.argv[2]);
const workers = Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), "bulwark-bench-parallel-"));
const file = join(dir, "objects.yaml");
writeFileSync(file, "");
for (let from = 0; from < count; from += 1000) {
  const chunk = Array.from({ length: Math.min(1000, count - from) }, (_, i) => stringify(benchObject(from + i)));
  writeFileSync(file, (from > 0 ? "---\n" : "") + chunk.join("---\n"), { flag: "a" });
}
const checker = createChecker({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
let objects = 0;
let deny = 0;
const { seconds, cpuSeconds } = measureMedian(1, () => {
  const summary = checker.checkPaths([file], { workers }).summary;
  objects = summary.objects;
  deny = summary.deny;
});
rmSync(dir, { recursive: true, force: true });
if (objects !== count) throw new Error(`checked ${objects} objects, expected ${count}`);
console.log(JSON.stringify({ objects: count, workers, cores: availableParallelism(), seconds, cpuSeconds, deny, peakRssMiB: peakRssMiB() }));
