import { synthMain } from "./synth";

/**
 * `npm start`: the main job, offline (no cloud account): synthesizes the `dev` stack's manifests.
 * It grows into plan + synth + check + report as those land.
 */
if (require.main === module) void synthMain(process.argv.slice(2));
