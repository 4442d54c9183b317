import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResults } from "../../bench/render";
import { renderCelCosts, renderDifferential, renderTable, renderVerdicts } from "../../bench/render";

/**
 * The README's Performance section is the review copy of the last `npm run bench` (bench/results.json):
 * a figure changed in one and not the other fails here.
 */
const root = join(__dirname, "..", "..");
const results = JSON.parse(readFileSync(join(root, "bench", "results.json"), "utf8")) as BenchResults;
const readme = readFileSync(join(root, "README.md"), "utf8");
const performance = readme.slice(readme.indexOf("## Performance"), readme.indexOf("\n## ", readme.indexOf("## Performance") + 1));

describe("README Performance section", () => {
  it("exists", () => {
    expect(readme).toContain("## Performance");
    expect(performance).toContain("npm run bench");
  });

  it("shows every figure of bench/results.json, with its floor and ratio", () => {
    for (const row of renderTable(results)) expect(performance).toContain(row);
  });

  it("shows the CEL unit costs, the differential run and every verdict of that run", () => {
    expect(performance).toContain(renderCelCosts(results.cel));
    expect(performance).toContain(renderDifferential(results.differential));
    expect(results.differential.disagreements).toBe(0);
    expect(results.verdicts).toEqual(renderVerdicts(results));
    for (const verdict of results.verdicts) expect(performance).toContain(verdict);
  });

  it("states the measured gap and its cause wherever a target is missed", () => {
    for (const verdict of results.verdicts.filter((v) => v.endsWith("MISSED"))) {
      const bench = verdict.split(" ")[0];
      expect(performance).toContain(`**${bench[0].toUpperCase()}${bench.slice(1)}: the gap and its cause.**`);
    }
  });
});
