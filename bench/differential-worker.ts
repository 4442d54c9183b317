import { join } from "node:path";
import { loadStackFile } from "../config/load";
import { synthesizeGatekeeperObjects } from "../constructs/gatekeeper/check";
import { corpusObjects, differential } from "./differential";

/**
 * The closure engine against the reference engine (@bufbuild/cel) on a generated corpus larger than the
 * test's: at least N objects of the conformance corpus under the dev stack's full bundle. Prints the counts as JSON.
 */
const count = Number(process.argv[2]);
const bundle = synthesizeGatekeeperObjects({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
const objects = corpusObjects(count);
const report = differential(bundle, objects);
console.log(
  JSON.stringify({
    objects: objects.length,
    compared: report.compared,
    delegated: report.delegated,
    refused: report.refused.length,
    disagreements: report.disagreements.length,
  }),
);
