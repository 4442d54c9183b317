import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { runWorker } from "./harness";
import type { BenchResults, CelFigure, CheckFigure, DifferentialFigure, PlanFigure, SynthFigure } from "./render";
import { renderCelCosts, renderDifferential, renderTable, renderVerdicts, TARGETS } from "./render";

/**
 * `npm run bench`: what users wait for, as ratios against a floor measured in the same run, so figures
 * hold on a noisy machine. Each measurement runs in its own process pinned to one core, so peak memory is
 * its own. Writes bench/results.json and prints a table.
 */
type Measured<T> = Omit<T, "objectsPerSecond" | "floorRatio" | "resourcesPerSecond">;

function main(): void {
  const started = Date.now();
  const step = (label: string) => process.stderr.write(`bench: ${label}...\n`);

  const synth: SynthFigure[] = [10, 100, 1000].map((tenants) => {
    step(`synth ${tenants} tenants`);
    const f = runWorker<Measured<SynthFigure>>("synth-worker.ts", [String(tenants)]);
    return { ...f, objectsPerSecond: Math.round(f.objects / f.seconds), floorRatio: f.seconds / f.floorSeconds };
  });
  const check: CheckFigure[] = [1000, 10000].map((objects) => {
    step(`check ${objects} objects`);
    const f = runWorker<Measured<CheckFigure>>("check-worker.ts", [String(objects)]);
    return { ...f, objectsPerSecond: Math.round(f.objects / f.seconds), floorRatio: f.seconds / f.floorSeconds };
  });
  step("CEL unit costs");
  const cel = runWorker<CelFigure>("cel-worker.ts", []);
  step("closure engine vs reference engine, generated corpus");
  const differential = runWorker<DifferentialFigure>("differential-worker.ts", ["10000"]);
  const plan: PlanFigure[] = ["dev", "10", "100"].map((stack) => {
    step(`plan ${stack === "dev" ? "dev" : `${stack} tenants`}`);
    const f = runWorker<Measured<PlanFigure>>("plan-worker.ts", [stack]);
    return { ...f, resourcesPerSecond: Math.round(f.resources / f.seconds) };
  });

  const verdicts = renderVerdicts({ synth, check, plan });
  const results: BenchResults = { machine: { cores: cpus().length, node: process.version, pinnedToOneCore: true }, targets: TARGETS, synth, check, cel, differential, plan, verdicts };
  mkdirSync(__dirname, { recursive: true });
  writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    [
      ...renderTable(results),
      "",
      renderCelCosts(cel),
      renderDifferential(differential),
      ...verdicts,
      `bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`,
    ].join("\n") + "\n",
  );
}

main();
