import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { unpinnedAddonsNotice } from "../config/cluster";
import { supportNotice } from "../config/kubernetes-versions";
import type { BulwarkConfig } from "../config/model";
import { buildBulwarkApp } from "../constructs/app";
import { synthesizeApp } from "../constructs/synthesize";
import { HardenedEksCluster } from "../lib/cluster";
import type { FromConfigOptions } from "../lib/from-config";
import { hardenedClusterArgsFromConfig } from "../lib/from-config";
import type { InClusterLayer } from "./in-cluster";
import { deployInClusterLayer, existingClusterHandle } from "./in-cluster";

/** What one stack deploys. */
export interface BulwarkDeployment {
  /** The cluster Bulwark made; absent with `bulwark:deploy.target: existing` (a cluster made elsewhere). */
  readonly cluster?: HardenedEksCluster;
  /** The in-cluster layer; absent when the stack's deploy phase is `cluster`. */
  readonly inCluster?: InClusterLayer;
  /** Stack outputs. */
  readonly outputs: Record<string, pulumi.Output<unknown> | string>;
}

/**
 * The stack program, composition only. With `bulwark:deploy.target: existing` only the in-cluster layer, on
 * the cluster made elsewhere. Otherwise: the hardened cluster; a Kubernetes provider from its kubeconfig;
 * the AWS Load Balancer Controller, the encrypted default StorageClass and the tenant workloads' AWS
 * identities; then Gatekeeper, the tenant baselines, the ConstraintTemplates and, last, the constraints — each layer
 * applied after the one before. Warns (`pulumi.log.warn`) when the Kubernetes version is in EKS extended
 * support or leaves standard support within 90 days.
 */
export function deployBulwark(config: BulwarkConfig, options: FromConfigOptions = {}): BulwarkDeployment {
  // Synthesize and resolve first: a bad stack fails here, before any resource is registered.
  const charts = synthesizeApp(buildBulwarkApp(config));
  const name = config.cluster.name;
  const file = options.file ?? `Pulumi.${config.stack}.yaml`;
  const today = options.today ?? new Date();
  for (const notice of [
    supportNotice(config.cluster.kubernetesVersion, today),
    unpinnedAddonsNotice(config.cluster.kubernetesVersion, config.cluster.addonVersions),
  ]) {
    if (notice) void pulumi.log.warn(notice);
  }
  if (config.deploy?.target === "existing") {
    const inCluster = deployInClusterLayer(config, charts, existingClusterHandle(config), file);
    return { inCluster, outputs: { deployTarget: "existing", gatekeeperNamespace: inCluster.gatekeeper.namespace } };
  }
  const args = hardenedClusterArgsFromConfig(config, { file, ...options, today });
  const cluster = new HardenedEksCluster(name, args);
  const outputs: Record<string, pulumi.Output<unknown> | string> = {
    clusterName: cluster.clusterName,
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority,
    oidcIssuer: cluster.oidcIssuer,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    nodeSecurityGroupId: cluster.nodeSecurityGroupId,
    nodeRoleArn: cluster.nodeRoleArn,
    kubeconfig: cluster.kubeconfig,
    deployPhase: config.deploy?.phase ?? "full",
  };
  if (config.deploy?.phase === "cluster") return { cluster, outputs };

  const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, enableServerSideApply: true });
  const inCluster = deployInClusterLayer(
    config,
    charts,
    { provider, eks: { clusterName: cluster.clusterName, vpcId: cluster.vpcId }, ebsKmsKeyArn: cluster.keyArns.ebs, dependsOn: [cluster] },
    file,
  );
  return { cluster, inCluster, outputs };
}
