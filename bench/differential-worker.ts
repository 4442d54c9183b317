import { join } from "node:path";
import { loadStackFile } from "../config/load";
import { synthesizeGatekeeperObjects } from "../constructs/gatekeeper/check";
import { corpusObject } from "./corpus";
import { differential } from "./differential";

/**
 * The closure engine against the reference engine (@bufbuild/cel) on a generated corpus larger than the
 * test's: N mutated hardened objects under the dev stack's full bundle. Prints the counts as JSON.
 */
const count = Number(process.argv[2]);
const bundle = synthesizeGatekeeperObjects({ config: loadStackFile("dev", join(__dirname, "..")), bundle: "all" });
const objects = Array.from({ length: count }, (_, i) => ({ label: `corpus #${i}`, object: corpusObject(i) }));
const report = differential(bundle, objects);
console.log(JSON.stringify({ objects: count, compared: report.compared, delegated: report.delegated, refused: report.refused.length, disagreements: report.disagreements.length }));
