/**
 * The bench's figures and how they are printed: `npm run bench` prints this and writes `results.json`;
 * a test checks that the README's Performance section shows the table and verdicts of `results.json`.
 */
export interface SynthFigure {
  tenants: number;
  objects: number;
  seconds: number;
  floorSeconds: number;
  peakRssMiB: number;
  objectsPerSecond: number;
  floorRatio: number;
}
/** `seconds` wall time on one pinned core; `cpuSeconds` the CPU time the process used for it (the same when the core is not shared). */
export interface CheckFigure {
  objects: number;
  constraints: number;
  compileSeconds: number;
  seconds: number;
  floorSeconds: number;
  cpuSeconds: number;
  floorCpuSeconds: number;
  peakRssMiB: number;
  objectsPerSecond: number;
  cpuObjectsPerSecond: number;
  floorRatio: number;
}
/** One large check run on `workers` worker threads (0: one thread), unpinned (bench/check-parallel-worker.ts). */
export interface ParallelRun {
  objects: number;
  workers: number;
  cores: number;
  seconds: number;
  cpuSeconds: number;
  deny: number;
  peakRssMiB: number;
}
/** The same large input on one thread and on worker threads; `speedup` is the one-thread wall time over the workers'. */
export interface ParallelFigure {
  oneThread: ParallelRun;
  parallel: ParallelRun;
  speedup: number;
}
export interface CelFigure {
  constantMicroseconds: number;
  functionCallsMicroseconds: number;
  comprehensionMicroseconds: number;
  constraintsPerPod: number;
}
/** The closure engine against the reference engine on the generated corpus (bench/differential-worker.ts). */
export interface DifferentialFigure {
  objects: number;
  compared: number;
  delegated: number;
  refused: number;
  disagreements: number;
}
export interface PlanFigure {
  stack: string;
  resources: number;
  seconds: number;
  peakRssMiB: number;
  resourcesPerSecond: number;
}

export const TARGETS = {
  synth1000TenantsSeconds: 20,
  synthFloorRatio: 10,
  checkObjectsPerSecond: 10000,
  checkFloorRatio: 3,
  checkParallelSpeedup: 1.8,
  checkPeakMiB: 300,
  planDevSeconds: 10,
} as const;

export interface BenchResults {
  readonly machine: {
    readonly cores: number;
    readonly node: string;
    readonly pinnedToOneCore: boolean;
    readonly loadAverage?: { readonly start: number; readonly end: number };
  };
  readonly targets: typeof TARGETS;
  readonly synth: readonly SynthFigure[];
  readonly check: readonly CheckFigure[];
  readonly checkParallel: ParallelFigure;
  readonly cel: CelFigure;
  readonly differential: DifferentialFigure;
  readonly plan: readonly PlanFigure[];
  readonly verdicts: readonly string[];
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** The Markdown table of every figure with its floor and ratio. */
export function renderTable(results: Pick<BenchResults, "synth" | "check" | "checkParallel" | "plan">): string[] {
  const large = (r: ParallelRun) =>
    `| check, ${r.workers === 0 ? "one thread" : `${r.workers} worker threads`} | ${r.objects} objects | ${fmt(r.seconds)} s (${fmt(r.cpuSeconds)} s CPU) | ${Math.round(r.objects / r.seconds)} obj/s | — | — | ${r.peakRssMiB} MiB |`;
  return [
    "| bench | size | time | rate | floor | ratio to floor | peak RSS |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...results.synth.map(
      (f) =>
        `| synth | ${f.tenants} tenants, ${f.objects} objects | ${fmt(f.seconds)} s | ${f.objectsPerSecond} obj/s | YAML serialization ${fmt(f.floorSeconds)} s | ${fmt(f.floorRatio, 1)}x | ${f.peakRssMiB} MiB |`,
    ),
    ...results.check.map(
      (f) =>
        `| check (${f.constraints} constraints) | ${f.objects} objects | ${fmt(f.seconds)} s (${fmt(f.cpuSeconds)} s CPU; +${fmt(f.compileSeconds)} s compile) | ${f.objectsPerSecond} obj/s (${f.cpuObjectsPerSecond} by CPU time) | plain parse ${fmt(f.floorSeconds)} s (${fmt(f.floorCpuSeconds)} s CPU) | ${fmt(f.floorRatio, 1)}x | ${f.peakRssMiB} MiB |`,
    ),
    large(results.checkParallel.oneThread),
    large(results.checkParallel.parallel),
    ...results.plan.map(
      (f) => `| plan | ${f.stack}, ${f.resources} resources | ${fmt(f.seconds)} s | ${f.resourcesPerSecond} res/s | — | — | ${f.peakRssMiB} MiB |`,
    ),
  ];
}

/** What one template evaluation costs in the CEL interpreter, and how many constraints a Pod meets. */
export function renderCelCosts(cel: CelFigure): string {
  return (
    `check, per template evaluation on one core: ${fmt(cel.constantMicroseconds)} us for a constant, ` +
    `${fmt(cel.functionCallsMicroseconds)} us for two function calls on a field path, ` +
    `${fmt(cel.comprehensionMicroseconds)} us for a comprehension over one container; a Pod meets ${cel.constraintsPerPod} constraints`
  );
}

/** The differential run in one line. */
export function renderDifferential(d: DifferentialFigure): string {
  return (
    `closure engine vs @bufbuild/cel on ${d.objects} generated objects: ${d.compared} evaluations compared, ` +
    `${d.delegated} handed to the reference (a CEL error), ${d.refused} templates refused, ${d.disagreements} disagreements`
  );
}

/** One line per target: the figure, the target, met or MISSED. */
export function renderVerdicts(results: Pick<BenchResults, "synth" | "check" | "checkParallel" | "plan">): string[] {
  const synth1000 = results.synth[results.synth.length - 1];
  const check10k = results.check[results.check.length - 1];
  const dev = results.plan[0];
  const { oneThread, parallel, speedup } = results.checkParallel;
  const peak = Math.max(oneThread.peakRssMiB, parallel.peakRssMiB);
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  return [
    `synth ${synth1000.tenants} tenants: ${fmt(synth1000.seconds)} s (target < ${TARGETS.synth1000TenantsSeconds} s): ${verdict(synth1000.seconds < TARGETS.synth1000TenantsSeconds)}`,
    `synth ${synth1000.tenants} tenants vs floor: ${fmt(synth1000.floorRatio, 1)}x (target <= ${TARGETS.synthFloorRatio}x): ${verdict(synth1000.floorRatio <= TARGETS.synthFloorRatio)}`,
    `check ${check10k.objects} objects on one core: ${check10k.objectsPerSecond} obj/s wall, ${check10k.cpuObjectsPerSecond} obj/s by CPU time (target >= ${TARGETS.checkObjectsPerSecond}, judged on wall time): ${verdict(check10k.objectsPerSecond >= TARGETS.checkObjectsPerSecond)}`,
    `check ${check10k.objects} objects vs plain parse floor: ${fmt(check10k.floorRatio, 1)}x (target <= ${TARGETS.checkFloorRatio}x): ${verdict(check10k.floorRatio <= TARGETS.checkFloorRatio)}`,
    `check ${parallel.objects} objects on ${parallel.workers} worker threads: ${fmt(speedup)}x one thread (target >= ${TARGETS.checkParallelSpeedup}x): ${verdict(speedup >= TARGETS.checkParallelSpeedup)}`,
    `check ${parallel.objects} objects peak memory: ${peak} MiB, one thread or workers (target < ${TARGETS.checkPeakMiB} MiB): ${verdict(peak < TARGETS.checkPeakMiB)}`,
    `plan ${dev.stack}: ${fmt(dev.seconds)} s (target < ${TARGETS.planDevSeconds} s): ${verdict(dev.seconds < TARGETS.planDevSeconds)}`,
  ];
}
