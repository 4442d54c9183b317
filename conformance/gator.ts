/**
 * Running the real `gator` (built by conformance/tools.sh): `gator verify` on a suite folder and
 * `gator test -o json` on files of objects. Every run is bounded by a timeout and killed when it passes.
 */
import { execFile } from "node:child_process";

/** What a gator process printed and how it ended. */
export interface GatorRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gator args…`; never throws for a non-zero exit (gator exits 1 for failing suites or deny violations). */
export function runGator(bin: string, args: readonly string[], timeoutMs = 300_000): Promise<GatorRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, [...args], { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error(`gator not found at ${bin}`));
      if (error && (error as { killed?: boolean }).killed) return reject(new Error(`gator ${args[0]} timed out after ${timeoutMs} ms`));
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
    });
    // gator reads objects from stdin whenever it is a pipe: close it, or gator waits for input forever.
    child.stdin?.end();
  });
}

/** One violation as `gator test -o json` reports it. */
export interface GatorResult {
  readonly msg: string;
  readonly enforcementAction: string;
  readonly constraint: { readonly kind: string; readonly metadata: { readonly name: string } };
  readonly violatingObject: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> };
  };
}

/** Parses `gator test -o json` output (an empty run prints `null`). */
export function parseGatorTest(run: GatorRun): GatorResult[] {
  const text = run.stdout.trim();
  if (text === "" || text === "null") {
    if (run.code !== 0 || run.stderr.trim() !== "") throw new Error(`gator test failed (exit ${run.code}): ${run.stderr.trim().slice(0, 2000)}`);
    return [];
  }
  try {
    return JSON.parse(text) as GatorResult[];
  } catch {
    throw new Error(`gator test printed no JSON (exit ${run.code}): ${(run.stderr || run.stdout).trim().slice(0, 2000)}`);
  }
}

/** The outcome of one suite case as `gator verify -v` printed it. */
export interface VerifyCase {
  readonly test: string;
  readonly name: string;
  readonly passed: boolean;
  /** gator's error text for a failing case or test. */
  readonly error: string;
}

/**
 * Reads `gator verify -v` output (Go-test style: `--- PASS: test`, indented `    --- FAIL: case` and its
 * indented error). A test without case lines (an `invalid: true` test, or one whose template did not
 * compile) is returned as a test-level outcome under the case name "".
 */
export function parseGatorVerify(stdout: string): VerifyCase[] {
  const out: VerifyCase[] = [];
  const lines = stdout.split("\n");
  let test = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const run = /^=== RUN {3}(.*)$/.exec(line);
    if (run) test = run[1];
    const caseResult = /^ {4}--- (PASS|FAIL): (.*)\t\(.*\)$/.exec(line);
    if (caseResult) {
      const error = caseResult[1] === "FAIL" ? (lines[i + 1] ?? "").trim() : "";
      out.push({ test, name: caseResult[2], passed: caseResult[1] === "PASS", error });
      continue;
    }
    const testResult = /^--- (PASS|FAIL): (.*)\t\(.*\)$/.exec(line);
    if (testResult && !out.some((c) => c.test === testResult[2])) {
      const failed = testResult[1] === "FAIL";
      out.push({ test: testResult[2], name: "", passed: !failed, error: failed ? (lines[i + 1] ?? "").trim() : "" });
    }
  }
  return out;
}
