/**
 * Judge `gator-verify`: every policy's `suite.yaml`, unmodified, passes the real `gator verify` (engine
 * K8sNativeValidation, Gatekeeper's own CEL environment), so every template compiles in Gatekeeper and
 * every sample gets the verdict its suite claims. One case per suite case.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Disagreement, JudgeResult } from "../judge";
import { parseGatorVerify, runGator } from "../gator";

/** Props of {@link runGatorVerify}. */
export interface GatorVerifyProps {
  /** Path of the gator binary. */
  readonly gator: string;
  /** Version label, e.g. `gatekeeper v3.21.1`. */
  readonly version: string;
  /** The folder of policy folders. */
  readonly policiesDir: string;
}

interface SuiteCaseRef {
  readonly test: string;
  readonly name: string;
}

function suiteCases(suiteFile: string): SuiteCaseRef[] {
  const suite = parseYaml(readFileSync(suiteFile, "utf8")) as { tests?: { name?: string; invalid?: boolean; cases?: { name?: string }[] }[] };
  // An `invalid: true` test (the constraint must be rejected) is one case of its own.
  return (suite.tests ?? []).flatMap((t) =>
    t.invalid ? [{ test: t.name ?? "", name: "" }] : (t.cases ?? []).map((c) => ({ test: t.name ?? "", name: c.name ?? "" })),
  );
}

/** Runs `gator verify -v` on each policy folder and joins its output to the suite's own case list. */
export async function runGatorVerify(props: GatorVerifyProps): Promise<JudgeResult> {
  const folders = readdirSync(props.policiesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(props.policiesDir, e.name, "suite.yaml")))
    .map((e) => e.name)
    .sort();
  const disagreements: Disagreement[] = [];
  let cases = 0;
  let passed = 0;
  for (const folder of folders) {
    const suiteFile = join(props.policiesDir, folder, "suite.yaml");
    const expected = suiteCases(suiteFile);
    cases += expected.length;
    const run = await runGator(props.gator, ["verify", "-v", join(props.policiesDir, folder)], 120_000);
    const reported = parseGatorVerify(run.stdout);
    for (const want of expected) {
      const got = reported.find((r) => r.test === want.test && r.name === want.name);
      const testError = want.name === "" ? undefined : reported.find((r) => r.test === want.test && r.name === "");
      if (got?.passed) {
        passed++;
        continue;
      }
      const detail = got
        ? `gator verify: case failed: ${got.error}`
        : testError
          ? `gator verify: test failed before its cases ran: ${testError.error}`
          : `gator verify did not run this case (exit ${run.code}): ${(run.stdout + run.stderr).trim().split("\n").slice(-3).join(" | ")}`;
      disagreements.push({ case: `${folder}/${want.test}/${want.name}`, detail });
    }
  }
  return { name: "gator-verify", version: props.version, cases, passed, failed: cases - passed, disagreements };
}
