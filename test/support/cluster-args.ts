import { ConfigError } from "../../config/errors";
import type { ConfigProblem } from "../../config/errors";
import type { BulwarkConfig } from "../../config/model";
import { parseStackConfig } from "../../config/model";
import type { HardenedEksClusterArgs } from "../../lib/cluster";
import { hardenedClusterArgsFromConfig } from "../../lib/from-config";

/**
 * The day the component tests judge EKS support on: fixed, so no test depends on the clock, and chosen so
 * that 1.33, the test cluster's version, is in EKS standard support.
 */
export const TEST_TODAY = new Date("2026-06-01T12:00:00Z");

/** The smallest valid cluster: every other key takes its default. */
export const TEST_CLUSTER = { name: "bulwark-test", kubernetesVersion: "1.33" } as const;

/** A minimal stack's config entries with `cluster` merged over {@link TEST_CLUSTER}. */
export function testStackEntries(cluster: Record<string, unknown> = {}, tenants?: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    "aws:region": "eu-west-1",
    "bulwark:cluster": { ...TEST_CLUSTER, ...cluster },
    "bulwark:tenants": tenants ?? [{ name: "web", owner: "team-web", groups: {} }],
    "bulwark:policy": { allowedRegistries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"] },
  };
}

/** The parsed config of a minimal stack (throws the loader's ConfigError when invalid). */
export function testConfig(cluster: Record<string, unknown> = {}, tenants?: readonly Record<string, unknown>[]): BulwarkConfig {
  return parseStackConfig("test", testStackEntries(cluster, tenants));
}

/** The component props of a minimal stack, through the one validator and the one adapter. */
export function clusterArgs(cluster: Record<string, unknown> = {}, tenants?: readonly Record<string, unknown>[]): HardenedEksClusterArgs {
  return hardenedClusterArgsFromConfig(testConfig(cluster, tenants), { today: TEST_TODAY });
}

/** The problems a minimal stack with `cluster` is rejected with (by the schema or the adapter). */
export function clusterProblemsOf(cluster: Record<string, unknown>, tenants?: readonly Record<string, unknown>[]): readonly ConfigProblem[] {
  try {
    clusterArgs(cluster, tenants);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected the cluster to be rejected: ${JSON.stringify(cluster)}`);
}
