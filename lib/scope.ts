import type * as pulumi from "@pulumi/pulumi";
import type { HardenedEksClusterArgs } from "./cluster/args";

/**
 * Where a module's resources go: named `${name}-<suffix>` and parented on the cluster component itself
 * (no intermediate component, so every resource keeps its URN), tagged with the common tags.
 */
export interface ClusterScope {
  /** The component's name, the prefix of every child's name. */
  readonly name: string;
  /** The cluster component: the parent of every child. */
  readonly parent: pulumi.Resource;
  readonly settings: HardenedEksClusterArgs;
  readonly tags: Readonly<Record<string, string>>;
  /** Options of what cannot be recreated (cluster, keys, audit trail): destroy protection unless opted out. */
  readonly guarded: pulumi.CustomResourceOptions;
}
