import type { App } from "cdk8s";
import { Chart } from "cdk8s";
import { ConfigError } from "../../config/errors";
import { PSS_VERSION_PATTERN } from "../../config/fields";
import type { BulwarkConfig } from "../../config/model";
import type { BundleSelection, PolicyDefinition } from "./policy";
import { inBundle, loadPolicies, policyContext, resolveConstraints } from "./policy";
import { GatekeeperConstraint, GatekeeperConstraintTemplate, POD_EXPANSIONS, PodExpansionTemplate } from "./resources";

export * from "./policy";
export * from "./resources";

/** Chart holding the ConstraintTemplates and ExpansionTemplates (apply first: they create the CRDs). */
export const TEMPLATES_CHART = "gatekeeper-templates";
/** Chart holding the constraints. */
export const CONSTRAINTS_CHART = "gatekeeper-constraints";

/** Options of {@link addGatekeeperCharts}. */
export interface GatekeeperChartsOptions {
  /**
   * Which policies to synthesize.
   * @default "all"
   */
  readonly bundle?: BundleSelection;
  /**
   * Pod Security Standards version given to PSS constraints (`v1.33`).
   * @default `v<cluster.kubernetesVersion>`
   */
  readonly pssVersion?: string;
  /**
   * The policies to synthesize from.
   * @default every folder under constructs/gatekeeper/policies
   */
  readonly policies?: readonly PolicyDefinition[];
}

/**
 * Adds the Gatekeeper charts of a stack to `app`: `gatekeeper-templates` (every ConstraintTemplate and
 * the pod ExpansionTemplates) and `gatekeeper-constraints` (their constraints, parameters from the stack
 * config). Object names are the template and policy names; output is deterministic.
 */
export function addGatekeeperCharts(app: App, config: BulwarkConfig, options: GatekeeperChartsOptions = {}): void {
  const policies = options.policies ?? loadPolicies();
  const known = new Set(policies.map((p) => p.name));
  for (const id of Object.keys(config.policy.enforcementActions ?? {}).sort()) {
    if (!known.has(id)) {
      throw new ConfigError([
        {
          path: `bulwark:policy.enforcementActions.${id}`,
          value: config.policy.enforcementActions?.[id],
          message: `no policy has the id ${id}; accepted ids: ${[...known].sort().join(", ")}`,
        },
      ]);
    }
  }
  if (options.pssVersion !== undefined && !PSS_VERSION_PATTERN.test(options.pssVersion)) {
    throw new Error(`pssVersion ${JSON.stringify(options.pssVersion)} must look like v1.33`);
  }
  const ctx = policyContext(config, options.pssVersion);
  const selected = policies.filter((p) => inBundle(p, options.bundle ?? "all"));
  const templates = new Chart(app, TEMPLATES_CHART, { disableResourceNameHashes: true });
  const constraints = new Chart(app, CONSTRAINTS_CHART, { disableResourceNameHashes: true });
  for (const expansion of POD_EXPANSIONS) new PodExpansionTemplate(templates, expansion.name, expansion);
  for (const policy of selected) {
    new GatekeeperConstraintTemplate(templates, policy.name, { template: policy.template, policy: policy.name, bundles: policy.bundles });
    for (const constraint of resolveConstraints(policy, ctx)) {
      new GatekeeperConstraint(constraints, `${policy.name}-${constraint.name}`, constraint);
    }
  }
}
