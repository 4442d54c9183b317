import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Peak resident set size of this process so far, in MiB (Linux VmHWM). */
export function peakRssMiB(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const match = status.match(/^VmHWM:\s+(\d+) kB$/m);
  return match ? Math.round(Number(match[1]) / 1024) : Math.round(process.memoryUsage().rss / 1048576);
}

/** Median of a few timed runs of `fn`, in seconds. */
export function timeMedian(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Median wall and CPU seconds (this process, every thread) of a few runs of `fn`, each run timed both ways. */
export function measureMedian(runs: number, fn: () => void): { seconds: number; cpuSeconds: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    fn();
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { seconds: median(walls), cpuSeconds: median(cpus) };
}

/**
 * Runs a bench worker in its own process (so peak memory is its own), pinned to one core unless told, and returns
 * the JSON it prints as its last line.
 */
export function runWorker<T>(worker: string, args: readonly string[], options: { readonly pinned?: boolean } = {}): T {
  const tsx = require.resolve("tsx/cli");
  const command = [process.execPath, tsx, join(__dirname, worker), ...args];
  const pinned = options.pinned === false ? undefined : spawnSync("taskset", ["-c", "0", ...command], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const result = !pinned || pinned.error ? spawnSync(command[0], command.slice(1), { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }) : pinned;
  if (result.status !== 0) throw new Error(`${worker} ${args.join(" ")} failed:\n${result.stderr}`);
  const lines = result.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}
