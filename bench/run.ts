import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { runWorker } from "./harness";
import type { BenchResults, CelFigure, CheckFigure, DifferentialFigure, ParallelRun, PlanFigure, SynthFigure } from "./render";
import { renderCelCosts, renderDifferential, renderTable, renderVerdicts, TARGETS } from "./render";

/**
 * `npm run bench`: what users wait for, as ratios against a floor measured in the same run, so figures
 * hold on a noisy machine. Each measurement runs in its own process pinned to one core, so peak memory is
 * its own. Writes bench/results.json and prints a table.
 */
type Measured<T> = Omit<T, "objectsPerSecond" | "cpuObjectsPerSecond" | "floorRatio" | "resourcesPerSecond">;

/** Objects of the large check, on one thread and on two workers (each in its own unpinned process). */
const LARGE_CHECK_OBJECTS = 100000;
const LARGE_CHECK_WORKERS = 2;

function main(): void {
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const step = (label: string) => process.stderr.write(`bench: ${label}...\n`);

  const synth: SynthFigure[] = [10, 100, 1000].map((tenants) => {
    step(`synth ${tenants} tenants`);
    const f = runWorker<Measured<SynthFigure>>("synth-worker.ts", [String(tenants)]);
    return { ...f, objectsPerSecond: Math.round(f.objects / f.seconds), floorRatio: f.seconds / f.floorSeconds };
  });
  const check: CheckFigure[] = [1000, 10000].map((objects) => {
    step(`check ${objects} objects`);
    const f = runWorker<Measured<CheckFigure>>("check-worker.ts", [String(objects)]);
    return {
      ...f,
      objectsPerSecond: Math.round(f.objects / f.seconds),
      cpuObjectsPerSecond: Math.round(f.objects / f.cpuSeconds),
      floorRatio: f.seconds / f.floorSeconds,
    };
  });
  const large = (workers: number) => {
    step(`check ${LARGE_CHECK_OBJECTS} objects, ${workers === 0 ? "one thread" : `${workers} worker threads`}`);
    return runWorker<ParallelRun>("check-parallel-worker.ts", [String(LARGE_CHECK_OBJECTS), String(workers)], { pinned: false });
  };
  const oneThread = large(0);
  const parallel = large(LARGE_CHECK_WORKERS);
  const checkParallel = { oneThread, parallel, speedup: oneThread.seconds / parallel.seconds };
  step("CEL unit costs");
  const cel = runWorker<CelFigure>("cel-worker.ts", []);
  step("closure engine vs reference engine, generated corpus");
  const differential = runWorker<DifferentialFigure>("differential-worker.ts", ["10000"]);
  const plan: PlanFigure[] = ["dev", "10", "100"].map((stack) => {
    step(`plan ${stack === "dev" ? "dev" : `${stack} tenants`}`);
    const f = runWorker<Measured<PlanFigure>>("plan-worker.ts", [stack]);
    return { ...f, resourcesPerSecond: Math.round(f.resources / f.seconds) };
  });

  const verdicts = renderVerdicts({ synth, check, checkParallel, plan });
  const machine = { cores: cpus().length, node: process.version, pinnedToOneCore: true, loadAverage: { start: loadAtStart, end: loadavg()[0] } };
  const results: BenchResults = { machine, targets: TARGETS, synth, check, checkParallel, cel, differential, plan, verdicts };
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
