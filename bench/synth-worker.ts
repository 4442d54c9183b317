import { join } from "node:path";
import { Yaml } from "cdk8s";
import { loadStackFile } from "../config/load";
import { parseStackConfig } from "../config/model";
import { buildBulwarkApp } from "../constructs/app";
import { synthesizeApp } from "../constructs/synthesize";
import { peakRssMiB, timeMedian } from "./harness";

/**
 * One synth measurement: a stack like dev with N tenants. Times building the cdk8s App and rendering
 * every chart to YAML (what `npm run synth` does, minus disk writes), against the floor: serializing the
 * same objects with the same YAML library.
 */
const tenants = Number(process.argv[2]);
const base = loadStackFile("dev", join(__dirname, ".."));
const config = parseStackConfig("bench", {
  "aws:region": base.region,
  "bulwark:cluster": base.cluster,
  "bulwark:policy": base.policy,
  "bulwark:tenants": Array.from({ length: tenants }, (_, i) => ({
    ...base.tenants[i % base.tenants.length],
    name: `tenant-${String(i).padStart(4, "0")}`,
  })),
});

let objects: unknown[][] = [];
const synth = () => {
  const app = buildBulwarkApp(config, { outdir: "/dev/null" });
  objects = synthesizeApp(app).map((chart) => [...chart.objects]);
  for (const chartObjects of objects) Yaml.stringify(...chartObjects);
};
const runs = tenants >= 1000 ? 3 : 5;
const seconds = timeMedian(runs, synth);
const floor = timeMedian(runs, () => {
  for (const chartObjects of objects) Yaml.stringify(...chartObjects);
});
const count = objects.reduce((n, chart) => n + chart.length, 0);
console.log(JSON.stringify({ tenants, objects: count, seconds, floorSeconds: floor, peakRssMiB: peakRssMiB() }));
