import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { runWorker } from "./harness";

/** `npm run bench`: what users wait for, as ratios against a floor measured in the same run. */
interface SynthFigure {
  tenants: number;
  objects: number;
  seconds: number;
  floorSeconds: number;
  peakRssMiB: number;
}

const TARGETS = { synth1000TenantsSeconds: 20, synthFloorRatio: 10 };

function main(): void {
  const started = Date.now();
  const synth: (SynthFigure & { objectsPerSecond: number; floorRatio: number })[] = [];
  for (const tenants of [10, 100, 1000]) {
    process.stderr.write(`bench: synth ${tenants} tenants...\n`);
    const figure = runWorker<SynthFigure>("synth-worker.ts", [String(tenants)]);
    synth.push({ ...figure, objectsPerSecond: Math.round(figure.objects / figure.seconds), floorRatio: figure.seconds / figure.floorSeconds });
  }
  const rows = synth.map(
    (f) =>
      `| synth | ${f.tenants} tenants | ${f.objects} objects | ${f.seconds.toFixed(2)} s | ${f.objectsPerSecond} obj/s | floor ${f.floorSeconds.toFixed(2)} s | ${f.floorRatio.toFixed(1)}x | ${f.peakRssMiB} MiB |`,
  );
  const largest = synth[synth.length - 1];
  const verdicts = [
    `synth 1000 tenants: ${largest.seconds.toFixed(2)} s (target < ${TARGETS.synth1000TenantsSeconds} s): ${largest.seconds < TARGETS.synth1000TenantsSeconds ? "met" : "MISSED"}`,
    `synth 1000 tenants vs floor: ${largest.floorRatio.toFixed(1)}x (target <= ${TARGETS.synthFloorRatio}x): ${largest.floorRatio <= TARGETS.synthFloorRatio ? "met" : "MISSED"}`,
  ];
  const results = { machine: { cores: cpus().length, node: process.version }, targets: TARGETS, synth };
  mkdirSync(__dirname, { recursive: true });
  writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    [
      "| bench | size | work | time | rate | floor | ratio | peak RSS |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
      ...verdicts,
      `bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`,
    ].join("\n") + "\n",
  );
}

main();
