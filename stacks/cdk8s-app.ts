import { loadStackFile } from "../config/load";
import { buildBulwarkApp } from "../constructs/app";
import { runCommand } from "./cli";

/**
 * Entry point for the cdk8s CLI (`cdk8s synth`, see cdk8s.yaml). The stack comes from BULWARK_STACK
 * (default dev); the cdk8s CLI passes its output directory in CDK8S_OUTDIR.
 */
void runCommand("Usage: BULWARK_STACK=<stack> cdk8s synth", () => {
  const config = loadStackFile(process.env.BULWARK_STACK ?? "dev");
  buildBulwarkApp(config, { outdir: process.env.CDK8S_OUTDIR ?? "dist" }).synth();
  return 0;
});
