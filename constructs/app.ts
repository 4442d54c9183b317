import { App, Chart } from "cdk8s";
import type { BulwarkConfig } from "../config/model";
import { TenantNamespace } from "./baseline/tenant-namespace";
import { tenantNamespacePropsFromConfig } from "./from-config";
import { addGatekeeperCharts } from "./gatekeeper";

/** Options of {@link buildBulwarkApp}. */
export interface BulwarkAppOptions {
  /**
   * Directory `app.synth()` writes to.
   * @default "dist"
   */
  readonly outdir?: string;
}

/**
 * The cdk8s App of one stack: a chart per tenant (`tenant-<name>.k8s.yaml`) holding its namespace
 * baseline, then `gatekeeper-templates` (ConstraintTemplates and ExpansionTemplates) and
 * `gatekeeper-constraints`. Pure: the same config always gives the same objects.
 */
export function buildBulwarkApp(config: BulwarkConfig, options: BulwarkAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? "dist", outputFileExtension: ".k8s.yaml" });
  for (const tenant of config.tenants) {
    const chart = new Chart(app, `tenant-${tenant.name}`, { disableResourceNameHashes: true });
    new TenantNamespace(chart, "baseline", tenantNamespacePropsFromConfig(config, tenant));
  }
  addGatekeeperCharts(app, config);
  return app;
}
