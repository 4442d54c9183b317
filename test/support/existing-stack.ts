/** Stack files for a cluster made elsewhere (`bulwark:deploy.target: existing`), derived from the dev stack. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "./repo";

/** The dev stack file as a cluster made elsewhere: `bulwark:cluster` cut to the keys that still apply. */
export function existingStackText(deploy: Record<string, unknown>, edit: (config: Record<string, unknown>) => void = () => undefined): string {
  const file = parse(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
  const cluster = file.config["bulwark:cluster"] as Record<string, unknown>;
  file.config["bulwark:cluster"] = {
    name: cluster.name,
    kubernetesVersion: cluster.kubernetesVersion,
    acceptExtendedSupportCharges: cluster.acceptExtendedSupportCharges,
  };
  file.config["bulwark:deploy"] = deploy;
  edit(file.config);
  return stringify(file);
}

/** A throw-away project directory holding `text` as Pulumi.dev.yaml. */
export function scratchProject(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-existing-"));
  writeFileSync(join(dir, "Pulumi.dev.yaml"), text);
  return dir;
}

/** Drops the tenants' workload identities (EKS Pod Identity needs bulwark:deploy.eksClusterName). */
export const withoutIdentities = (config: Record<string, unknown>) => {
  for (const tenant of config["bulwark:tenants"] as Record<string, unknown>[]) delete tenant.workloadIdentities;
};
