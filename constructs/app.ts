import { App, Chart } from "cdk8s";
import type { BulwarkConfig } from "../config/model";
import { TenantNamespace } from "./baseline/tenant-namespace";
import { guardrailTenantsFromConfig, tenantNamespacePropsFromConfig, tenantServicePropsFromConfig } from "./from-config";
import { addGatekeeperCharts } from "./gatekeeper";
import { ClusterNetworkGuardrails } from "./network/cluster-network-guardrails";
import { deploysLoadBalancerController } from "../config/deploy";
import { AlbIngressClasses } from "./network/ingress-classes";
import { TenantService } from "./workload/tenant-service";

/** The chart of the cluster-wide network guardrails (`cluster-network.k8s.yaml`). */
export const CLUSTER_NETWORK_CHART = "cluster-network";
/** The chart of the ALB IngressClasses (`ingress-classes.k8s.yaml`), applied after the load balancer controller. */
export const INGRESS_CLASSES_CHART = "ingress-classes";
/** Prefix of the chart of a tenant's services (`services-<tenant>.k8s.yaml`), applied after the policies and classes. */
export const SERVICES_CHART_PREFIX = "services-";

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
 * `gatekeeper-constraints`, `cluster-network` (the guardrails tenants cannot override) and `ingress-classes` (the
 * ALB IngressClasses: internal by default, internet-facing only for the public namespaces), and
 * `services-<tenant>` for a tenant with services (`tenants[].services[]`). Pure: the same config
 * always gives the same objects.
 */
export function buildBulwarkApp(config: BulwarkConfig, options: BulwarkAppOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? "dist", outputFileExtension: ".k8s.yaml" });
  for (const tenant of config.tenants) {
    const chart = new Chart(app, `tenant-${tenant.name}`, { disableResourceNameHashes: true });
    new TenantNamespace(chart, "baseline", tenantNamespacePropsFromConfig(config, tenant));
  }
  for (const tenant of config.tenants.filter((t) => (t.services ?? []).length > 0)) {
    const chart = new Chart(app, `${SERVICES_CHART_PREFIX}${tenant.name}`, { disableResourceNameHashes: true });
    for (const props of tenantServicePropsFromConfig(tenant)) new TenantService(chart, props.name, props);
  }
  const guardrails = new Chart(app, CLUSTER_NETWORK_CHART, { disableResourceNameHashes: true });
  new ClusterNetworkGuardrails(guardrails, "guardrails", { tenants: guardrailTenantsFromConfig(config) });
  if (deploysLoadBalancerController(config.deploy)) {
    const ingressClasses = new Chart(app, INGRESS_CLASSES_CHART, { disableResourceNameHashes: true });
    new AlbIngressClasses(ingressClasses, "alb", { publicNamespaces: config.policy.publicLoadBalancerNamespaces ?? [] });
  }
  addGatekeeperCharts(app, config);
  return app;
}
