import type { Chart } from "cdk8s";
import { buildBulwarkApp } from "../../constructs/app";
import { synthesizeApp } from "../../constructs/synthesize";
import { parseStackConfig } from "../../config/model";
import { devConfig } from "../support/repo";

describe("synthesizeApp (one pass over the app)", () => {
  test("gives exactly cdk8s' own per-chart output, for the dev stack and a larger one", () => {
    const base = devConfig();
    const larger = parseStackConfig("larger", {
      "aws:region": base.region,
      "bulwark:cluster": base.cluster,
      "bulwark:policy": base.policy,
      "bulwark:tenants": Array.from({ length: 12 }, (_, i) => ({ ...base.tenants[i % 2], name: `tenant-${i}` })),
    });
    for (const config of [base, larger]) {
      const ours = synthesizeApp(buildBulwarkApp(config));
      const app = buildBulwarkApp(config);
      const theirs = app.charts.map((chart: Chart) => chart.toJson());
      expect(ours.map((c) => c.objects)).toEqual(theirs);
      expect(ours.map((c) => c.name)).toEqual(app.charts.map((chart) => chart.node.id));
    }
  });
});
