import type { JudgeResult } from "../../conformance/judge";
import { crashedJudge, formatSummary, reportJson, totals } from "../../conformance/summary";
import { parseGatorTest, parseGatorVerify } from "../../conformance/gator";

const judge = (name: string, cases: number, passed: number, failed: number): JudgeResult => ({
  name,
  version: "gatekeeper v3.21.1",
  cases,
  passed,
  failed,
  disagreements: [],
});

describe("conformance summary", () => {
  it("sums cases over judges; the last line is `N passed, M failed`", () => {
    const text = formatSummary([judge("gator-verify", 194, 194, 0), judge("differential-gator", 100, 97, 3)]);
    expect(text.split("\n").at(-1)).toBe("291 passed, 3 failed");
    expect(text.split("\n")[0]).toMatch(/^judge +version +cases +passed +failed +disagreements$/);
  });

  it("counts a judge that ran no case, or crashed, as failed", () => {
    expect(totals([judge("a", 5, 5, 0), judge("b", 0, 0, 0)])).toEqual({ passed: 5, failed: 1 });
    const crashed = crashedJudge("differential-gator", "gatekeeper v3.21.1", new Error("gator not found"));
    expect(totals([crashed])).toEqual({ passed: 0, failed: 1 });
    expect(crashed.disagreements[0].detail).toContain("gator not found");
  });

  it("writes exactly {judges:[{name,version,cases,passed,failed,disagreements}]}", () => {
    const extra = { ...judge("x", 1, 1, 0), fixturesDir: "/somewhere" };
    const parsed = JSON.parse(reportJson([extra])) as { judges: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(["judges"]);
    expect(Object.keys(parsed.judges[0])).toEqual(["name", "version", "cases", "passed", "failed", "disagreements"]);
  });

  it("keeps a judge's figures (resources, durations, order) when it reports them", () => {
    const figures = { durationsS: { up: 12.5 }, createdTypesInOrder: ["kubernetes:helm.sh/v3:Release"] };
    const parsed = JSON.parse(reportJson([{ ...judge("pulumi-up", 1, 1, 0), figures }])) as { judges: Record<string, unknown>[] };
    expect(parsed.judges[0].figures).toEqual(figures);
  });
});

describe("gator output", () => {
  it("reads gator verify -v: case results, and test-level outcomes of tests without cases", () => {
    const out = [
      "=== RUN   t1",
      "    === RUN   ok-case",
      "    --- PASS: ok-case\t(0.01s)",
      "    === RUN   bad-case",
      "    --- FAIL: bad-case\t(0.02s)",
      "        got 0 violations",
      "--- FAIL: t1\t(0.03s)",
      "=== RUN   t2",
      "--- FAIL: t2\t(0.01s)",
      "  template does not compile",
      "=== RUN   t3",
      "--- PASS: t3\t(0.01s)",
    ].join("\n");
    expect(parseGatorVerify(out)).toEqual([
      { test: "t1", name: "ok-case", passed: true, error: "" },
      { test: "t1", name: "bad-case", passed: false, error: "got 0 violations" },
      { test: "t2", name: "", passed: false, error: "template does not compile" },
      { test: "t3", name: "", passed: true, error: "" },
    ]);
  });

  it("reads gator test -o json, and refuses output that is no JSON", () => {
    expect(parseGatorTest({ code: 0, stdout: "null\n", stderr: "" })).toEqual([]);
    expect(parseGatorTest({ code: 1, stdout: '[{"msg":"m","enforcementAction":"deny"}]', stderr: "" })).toHaveLength(1);
    expect(() => parseGatorTest({ code: 1, stdout: "", stderr: "reading: bad yaml" })).toThrow("bad yaml");
    expect(() => parseGatorTest({ code: 1, stdout: "panic: x", stderr: "" })).toThrow("no JSON");
  });
});
