import { join } from "node:path";
import { loadStackFile } from "./config/load";
import { createChecker } from "./constructs/gatekeeper/check";
import { benchObject } from "./bench/check";
const checker = createChecker({ config: loadStackFile("dev", __dirname), bundle: "all" });
const objects = Array.from({ length: 10000 }, (_, i) => ({ file: "b", document: i + 1, line: 1, object: JSON.parse(JSON.stringify(benchObject(i))) }));
for (let r = 0; r < 4; r++) { const t = process.hrtime.bigint(); checker.checkObjects(objects); console.log(Number(process.hrtime.bigint() - t) / 1e9); }
