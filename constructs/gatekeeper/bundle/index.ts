/** Policy bundles for app repositories: export a stack's Gatekeeper objects, read them back verified. */
import type { BulwarkConfig } from "../../../config/model";
import { synthesizeGatekeeperObjects } from "../check/checker";
import type { GatekeeperChartsOptions } from "../index";
import { exemptNamespaces, policyContext } from "../policy";
import { bundleFiles } from "./bundle";

export * from "./bundle";

/** Options of {@link exportPolicyBundle}. */
export interface ExportBundleOptions extends GatekeeperChartsOptions {
  /** The stack's name, recorded in the manifest. */
  readonly stack: string;
  /** The exporting Bulwark's version, recorded in the manifest. */
  readonly bulwarkVersion: string;
}

/** The files of a stack's policy bundle (path → text); write them with `writeBundle`. */
export function exportPolicyBundle(config: BulwarkConfig, options: ExportBundleOptions): Map<string, string> {
  const objects = synthesizeGatekeeperObjects({ config, bundle: options.bundle, pssVersion: options.pssVersion, policies: options.policies });
  return bundleFiles(objects, {
    bulwarkVersion: options.bulwarkVersion,
    stack: options.stack,
    kubernetesVersion: config.cluster.kubernetesVersion,
    pssVersion: policyContext(config, options.pssVersion).pssVersion,
    selection: options.bundle ?? "all",
    exemptNamespaces: exemptNamespaces(config),
  });
}
