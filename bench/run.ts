import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { runWorker } from "./harness";

/**
 * `npm run bench`: what users wait for, as ratios against a floor measured in the same run, so figures
 * hold on a noisy machine. Each measurement runs in its own process pinned to one core, so peak memory is
 * its own. Writes bench/results.json and prints a table.
 */
interface SynthFigure { tenants: number; objects: number; seconds: number; floorSeconds: number; peakRssMiB: number }
interface CheckFigure { objects: number; constraints: number; compileSeconds: number; seconds: number; floorSeconds: number; peakRssMiB: number }
interface PlanFigure { stack: string; resources: number; seconds: number; peakRssMiB: number }

export const TARGETS = {
  synth1000TenantsSeconds: 20,
  synthFloorRatio: 10,
  checkObjectsPerSecond: 5000,
  planDevSeconds: 10,
} as const;

const fmt = (n: number, digits = 2) => n.toFixed(digits);

function main(): void {
  const started = Date.now();
  const step = (label: string) => process.stderr.write(`bench: ${label}...\n`);

  const synth = [10, 100, 1000].map((tenants) => {
    step(`synth ${tenants} tenants`);
    const f = runWorker<SynthFigure>("synth-worker.ts", [String(tenants)]);
    return { ...f, objectsPerSecond: Math.round(f.objects / f.seconds), floorRatio: f.seconds / f.floorSeconds };
  });
  const check = [1000, 10000].map((objects) => {
    step(`check ${objects} objects`);
    const f = runWorker<CheckFigure>("check-worker.ts", [String(objects)]);
    return { ...f, objectsPerSecond: Math.round(f.objects / f.seconds), floorRatio: f.seconds / f.floorSeconds };
  });
  const plan = ["dev", "10", "100"].map((stack) => {
    step(`plan ${stack === "dev" ? "dev" : `${stack} tenants`}`);
    const f = runWorker<PlanFigure>("plan-worker.ts", [stack]);
    return { ...f, resourcesPerSecond: Math.round(f.resources / f.seconds) };
  });

  const rows = [
    ...synth.map((f) => `| synth | ${f.tenants} tenants, ${f.objects} objects | ${fmt(f.seconds)} s | ${f.objectsPerSecond} obj/s | YAML serialization ${fmt(f.floorSeconds)} s | ${fmt(f.floorRatio, 1)}x | ${f.peakRssMiB} MiB |`),
    ...check.map((f) => `| check (${f.constraints} constraints) | ${f.objects} objects | ${fmt(f.seconds)} s (+${fmt(f.compileSeconds)} s compile) | ${f.objectsPerSecond} obj/s | parse ${fmt(f.floorSeconds)} s | ${fmt(f.floorRatio, 1)}x | ${f.peakRssMiB} MiB |`),
    ...plan.map((f) => `| plan | ${f.stack}, ${f.resources} resources | ${fmt(f.seconds)} s | ${f.resourcesPerSecond} res/s | — | — | ${f.peakRssMiB} MiB |`),
  ];
  const synth1000 = synth[synth.length - 1];
  const check10k = check[check.length - 1];
  const dev = plan[0];
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const verdicts = [
    `synth 1000 tenants: ${fmt(synth1000.seconds)} s (target < ${TARGETS.synth1000TenantsSeconds} s): ${verdict(synth1000.seconds < TARGETS.synth1000TenantsSeconds)}`,
    `synth 1000 tenants vs floor: ${fmt(synth1000.floorRatio, 1)}x (target <= ${TARGETS.synthFloorRatio}x): ${verdict(synth1000.floorRatio <= TARGETS.synthFloorRatio)}`,
    `check 10000 objects on one core: ${check10k.objectsPerSecond} obj/s (target >= ${TARGETS.checkObjectsPerSecond}): ${verdict(check10k.objectsPerSecond >= TARGETS.checkObjectsPerSecond)}`,
    `plan dev: ${fmt(dev.seconds)} s (target < ${TARGETS.planDevSeconds} s): ${verdict(dev.seconds < TARGETS.planDevSeconds)}`,
  ];
  const results = { machine: { cores: cpus().length, node: process.version, pinnedToOneCore: true }, targets: TARGETS, synth, check, plan, verdicts };
  mkdirSync(__dirname, { recursive: true });
  writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    [
      "| bench | size | time | rate | floor | ratio to floor | peak RSS |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
      ...verdicts,
      `bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`,
    ].join("\n") + "\n",
  );
}

main();
