import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { unpinnedAddonsNotice } from "../config/cluster";
import { supportNotice } from "../config/kubernetes-versions";
import type { BulwarkConfig } from "../config/model";
import { INGRESS_CLASSES_CHART, SERVICES_CHART_PREFIX, buildBulwarkApp } from "../constructs/app";
import { CONSTRAINTS_CHART, TEMPLATES_CHART } from "../constructs/gatekeeper";
import { synthesizeApp } from "../constructs/synthesize";
import { Cdk8sChartResources } from "../lib/bridge/cdk8s-chart";
import { HardenedEksCluster } from "../lib/cluster";
import type { FromConfigOptions } from "../lib/from-config";
import { chartObjectsOf, hardenedClusterArgsFromConfig, workloadIdentitiesFromConfig } from "../lib/from-config";
import { EncryptedStorageClass, LoadBalancerController, TenantWorkloadIdentity } from "../lib/addons";
import { GatekeeperRelease } from "../lib/gatekeeper/release";

/** What one stack deploys. */
export interface BulwarkDeployment {
  readonly cluster: HardenedEksCluster;
  /** The in-cluster layer; absent when the stack's deploy phase is `cluster`. */
  readonly inCluster?: {
    readonly provider: k8s.Provider;
    readonly gatekeeper: GatekeeperRelease;
    readonly loadBalancerController: LoadBalancerController;
    readonly storageClass: EncryptedStorageClass;
    readonly workloadIdentities: readonly TenantWorkloadIdentity[];
    readonly baselines: readonly Cdk8sChartResources[];
    /** The ALB IngressClasses and their IngressClassParams, after the controller's chart. */
    readonly ingressClasses: Cdk8sChartResources;
    readonly templates: Cdk8sChartResources;
    readonly constraints: Cdk8sChartResources;
    /** The tenants' services (`services-<tenant>`), after the constraints and the IngressClasses. */
    readonly services: readonly Cdk8sChartResources[];
  };
  /** Stack outputs. */
  readonly outputs: Record<string, pulumi.Output<unknown> | string>;
}

/**
 * The stack program, composition only: the hardened cluster; a Kubernetes provider from its kubeconfig;
 * the AWS Load Balancer Controller, the encrypted default StorageClass and the tenant workloads' AWS
 * identities; then Gatekeeper, the tenant baselines, the ConstraintTemplates and, last, the constraints — each layer
 * applied after the one before. Warns (`pulumi.log.warn`) when the Kubernetes version is in EKS extended
 * support or leaves standard support within 90 days, and when an add-on is created unpinned (EKS default at create).
 */
export function deployBulwark(config: BulwarkConfig, options: FromConfigOptions = {}): BulwarkDeployment {
  // Synthesize and resolve first: a bad stack fails here, before any resource is registered.
  const charts = synthesizeApp(buildBulwarkApp(config));
  const name = config.cluster.name;
  const today = options.today ?? new Date();
  const args = hardenedClusterArgsFromConfig(config, { file: `Pulumi.${config.stack}.yaml`, ...options, today });
  for (const notice of [supportNotice(config.cluster.kubernetesVersion, today), unpinnedAddonsNotice(config.cluster.kubernetesVersion, config.cluster.addonVersions)]) {
    if (notice) void pulumi.log.warn(notice);
  }
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
  const gatekeeper = new GatekeeperRelease(`${name}-gatekeeper`, { provider, exemptNamespaces: config.policy.exemptNamespaces });
  const loadBalancerController = new LoadBalancerController(
    `${name}-load-balancer-controller`,
    { provider, clusterName: name, region: config.region, vpcId: cluster.vpcId, eksClusterName: cluster.clusterName },
    { dependsOn: [cluster] },
  );
  const storageClass = new EncryptedStorageClass(`${name}-storage`, { provider, kmsKeyArn: cluster.keyArns.ebs });
  const workloadIdentities = workloadIdentitiesFromConfig(config, cluster.clusterName).map((identity) => new TenantWorkloadIdentity(identity.name, identity.args));
  const chart = (id: string) => {
    const found = charts.find((c) => c.name === id);
    if (!found) throw new Error(`deployBulwark: the app has no chart ${id}`);
    return found;
  };
  const baselines = charts
    .filter((c) => c.name !== TEMPLATES_CHART && c.name !== CONSTRAINTS_CHART && c.name !== INGRESS_CLASSES_CHART && !c.name.startsWith(SERVICES_CHART_PREFIX))
    .map((c) => new Cdk8sChartResources(c.name, { objects: chartObjectsOf(c), provider, dependsOn: [gatekeeper] }));
  // The IngressClassParams CRD comes with the controller's chart.
  const ingressClasses = new Cdk8sChartResources(INGRESS_CLASSES_CHART, {
    objects: chartObjectsOf(chart(INGRESS_CLASSES_CHART)),
    provider,
    dependsOn: [loadBalancerController.release],
  });
  const templates = new Cdk8sChartResources(TEMPLATES_CHART, {
    objects: chartObjectsOf(chart(TEMPLATES_CHART)),
    provider,
    dependsOn: [gatekeeper, ...baselines],
  });
  const constraints = new Cdk8sChartResources(CONSTRAINTS_CHART, {
    objects: chartObjectsOf(chart(CONSTRAINTS_CHART)),
    provider,
    dependsOn: [templates],
  });
  // Tenant services last: Gatekeeper's constraints judge them, and their IngressClasses exist.
  const services = charts
    .filter((c) => c.name.startsWith(SERVICES_CHART_PREFIX))
    .map((c) => new Cdk8sChartResources(c.name, { objects: chartObjectsOf(c), provider, dependsOn: [constraints, ingressClasses] }));
  return { cluster, inCluster: { provider, gatekeeper, loadBalancerController, storageClass, workloadIdentities, baselines, ingressClasses, templates, constraints, services }, outputs };
}
