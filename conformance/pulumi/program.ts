/**
 * The stack the `pulumi-up` judge deploys, and the program the real Pulumi engine runs for it: the blueprint's
 * own `deployBulwark`, in existing-cluster mode, with one test-only transform for a control plane without nodes.
 */
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { readStackEntries } from "../../config/load";
import type { BulwarkConfig } from "../../config/model";
import { parseStackConfig } from "../../config/model";
import { deployBulwark } from "../../stacks/program";
import { readPulumiStackConfig } from "../../stacks/pulumi-config";

/** The judge's stack name (its config file in the automation workspace is Pulumi.conformance.yaml). */
export const CONFORMANCE_STACK = "conformance";

/**
 * The dev stack's config as a cluster made elsewhere: `bulwark:cluster` cut to the keys that apply there, the
 * loopback API server's kubeconfig, and the Gatekeeper chart from the Gatekeeper module in the Go module cache
 * (charts/gatekeeper at the pinned version) through the local-path chart source.
 */
export function conformanceStackEntries(projectDir: string, kubeconfig: string, gatekeeperModuleDir: string): Record<string, unknown> {
  const dev = readStackEntries("dev", projectDir);
  const cluster = dev["bulwark:cluster"] as Record<string, unknown>;
  const tenants = (dev["bulwark:tenants"] as Record<string, unknown>[]).map(({ workloadIdentities: _identities, ...tenant }) => tenant);
  return {
    ...dev,
    "bulwark:cluster": { name: cluster.name, kubernetesVersion: cluster.kubernetesVersion, acceptExtendedSupportCharges: cluster.acceptExtendedSupportCharges },
    "bulwark:tenants": tenants,
    "bulwark:deploy": {
      target: "existing",
      kubeconfig: { path: kubeconfig },
      charts: { gatekeeper: { path: join(gatekeeperModuleDir, "charts", "gatekeeper") } },
    },
  };
}

/** The entries through the one parser, as `pulumi up` reads them. */
export function conformanceConfig(entries: Readonly<Record<string, unknown>>): BulwarkConfig {
  return parseStackConfig(CONFORMANCE_STACK, entries, { file: `Pulumi.${CONFORMANCE_STACK}.yaml` });
}

/**
 * Test only: the loopback control plane has no nodes and no kube-controller-manager, so no Deployment or hook
 * Job of a Helm release ever runs. Each release is applied without waiting for its workloads (skipAwait; atomic
 * off, since Helm's atomic implies waiting) and without Helm hooks (disableWebhooks); the Gatekeeper chart's webhook configuration is left out because its
 * Service has no Pods behind it; ResourceQuotas are not awaited (no quota controller). The Gatekeeper manager
 * runs beside the API server as a process instead.
 */
export const noNodesTransform: pulumi.ResourceTransform = (args) => {
  if (args.type === "kubernetes:core/v1:ResourceQuota") {
    // No quota controller fills in status.hard, which the provider waits for.
    const metadata = (args.props.metadata ?? {}) as { annotations?: Record<string, string> };
    return { props: { ...args.props, metadata: { ...metadata, annotations: { ...metadata.annotations, "pulumi.com/skipAwait": "true" } } }, opts: args.opts };
  }
  if (args.type !== "kubernetes:helm.sh/v3:Release") return undefined;
  const values = (args.props.values ?? {}) as Record<string, unknown>;
  return {
    props: { ...args.props, atomic: false, skipAwait: true, disableWebhooks: true, values: { ...values, disableValidatingWebhook: true } },
    opts: args.opts,
  };
};

/** The inline program: the blueprint's stack program, as stacks/index.ts runs it, plus {@link noNodesTransform}. */
export async function conformanceProgram(): Promise<Record<string, unknown>> {
  pulumi.runtime.registerResourceTransform(noNodesTransform);
  return deployBulwark(readPulumiStackConfig()).outputs;
}
