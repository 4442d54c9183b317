import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { ChartSource } from "../config/deploy";
import { ConfigError } from "../config/errors";
import type { BulwarkConfig } from "../config/model";
import { INGRESS_CLASSES_CHART, SERVICES_CHART_PREFIX } from "../constructs/app";
import { CONSTRAINTS_CHART, TEMPLATES_CHART } from "../constructs/gatekeeper";
import type { SynthesizedChart } from "../constructs/synthesize";
import { EncryptedStorageClass, LoadBalancerController, TenantWorkloadIdentity } from "../lib/addons";
import { Cdk8sChartResources } from "../lib/bridge/cdk8s-chart";
import { eksKubeconfig } from "../lib/cluster";
import { chartObjectsOf, workloadIdentitiesFromConfig } from "../lib/from-config";
import { GATEKEEPER_CHART, GatekeeperRelease } from "../lib/gatekeeper/release";

/** The in-cluster layer one stack deploys. */
export interface InClusterLayer {
  readonly provider: k8s.Provider;
  readonly gatekeeper: GatekeeperRelease;
  /** Absent when the stack knows no EKS cluster (target existing with a kubeconfig only). */
  readonly loadBalancerController?: LoadBalancerController;
  /** Absent on a cluster made elsewhere: its EBS key is not Bulwark's. */
  readonly storageClass?: EncryptedStorageClass;
  readonly workloadIdentities: readonly TenantWorkloadIdentity[];
  readonly baselines: readonly Cdk8sChartResources[];
  /**
   * The ALB IngressClasses and their IngressClassParams, after the controller's chart (which brings the
   * IngressClassParams CRD); absent where the controller is not deployed.
   */
  readonly ingressClasses?: Cdk8sChartResources;
  readonly templates: Cdk8sChartResources;
  readonly constraints: Cdk8sChartResources;
  /** The tenants' services (`services-<tenant>`), after the constraints and the IngressClasses. */
  readonly services: readonly Cdk8sChartResources[];
}

/** What the in-cluster layer needs from the cluster it goes on. */
export interface ClusterHandle {
  readonly provider: k8s.Provider;
  /** The EKS cluster (Pod Identity for the add-ons and tenant identities); none for a bare kubeconfig. */
  readonly eks?: { readonly clusterName: pulumi.Input<string>; readonly vpcId: pulumi.Input<string> };
  /** The KMS key of the default StorageClass; none on a cluster made elsewhere. */
  readonly ebsKmsKeyArn?: pulumi.Input<string>;
  /** Resources the AWS-side add-ons wait for (the cluster Bulwark made). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * With `bulwark:deploy.target: existing`: a provider for the cluster made elsewhere, from the configured
 * kubeconfig (and context), or from the EKS cluster's endpoint with a kubeconfig that runs `aws eks get-token`.
 */
export function existingClusterHandle(config: BulwarkConfig): ClusterHandle {
  const deploy = config.deploy ?? {};
  const eksName = deploy.eksClusterName;
  const eks = eksName === undefined ? undefined : aws.eks.getClusterOutput({ name: eksName });
  let kubeconfig: pulumi.Input<string>;
  if (deploy.kubeconfig) kubeconfig = deploy.kubeconfig.path;
  else if (eks) {
    kubeconfig = pulumi.secret(
      eks.apply((cluster) =>
        JSON.stringify(
          eksKubeconfig({
            clusterName: cluster.name,
            endpoint: cluster.endpoint,
            certificateAuthorityData: cluster.certificateAuthorities[0]?.data ?? "",
            region: config.region,
          }),
        ),
      ),
    );
  } else throw new Error("existingClusterHandle: target existing without kubeconfig or eksClusterName (the config schema rejects this)");
  const provider = new k8s.Provider(`${config.cluster.name}-k8s`, { kubeconfig, context: deploy.kubeconfig?.context, enableServerSideApply: true });
  return { provider, eks: eks && eksName !== undefined ? { clusterName: eksName, vpcId: eks.vpcConfig.vpcId } : undefined };
}

/**
 * The configured Gatekeeper chart source, held to the pinned chart version: an OCI version or a local chart's
 * Chart.yaml version other than GATEKEEPER_CHART.version is bad input (the values are written for that version).
 */
export function gatekeeperChartSource(config: BulwarkConfig, file: string): ChartSource | undefined {
  const source = config.deploy?.charts?.gatekeeper;
  const problem = (path: string, value: unknown, message: string) =>
    new ConfigError([{ path: `bulwark:deploy.charts.gatekeeper.${path}`, value, message }], file);
  if (source?.oci !== undefined && source.version !== GATEKEEPER_CHART.version) {
    throw problem(
      "version",
      source.version,
      `must be the pinned Gatekeeper chart version ${GATEKEEPER_CHART.version} (lib/gatekeeper/release.ts): the chart values are written for it`,
    );
  }
  if (source?.path !== undefined) {
    const chartFile = join(resolve(source.path), "Chart.yaml");
    if (!existsSync(chartFile)) throw problem("path", source.path, `must be an unpacked chart directory: ${chartFile} does not exist`);
    const chart = parse(readFileSync(chartFile, "utf8")) as { name?: unknown; version?: unknown };
    const version = String(chart.version ?? "").replace(/^v/, "");
    if (chart.name !== GATEKEEPER_CHART.name || version !== GATEKEEPER_CHART.version) {
      throw problem(
        "path",
        source.path,
        `must hold the ${GATEKEEPER_CHART.name} chart ${GATEKEEPER_CHART.version}; its Chart.yaml says ${String(chart.name)} ${String(chart.version)}`,
      );
    }
  }
  return source;
}

/**
 * Gatekeeper, the tenant baselines, the ConstraintTemplates and, last, the constraints, each layer applied
 * after the one before; the AWS Load Balancer Controller and tenant identities when the EKS cluster is
 * known; the encrypted default StorageClass when its KMS key is Bulwark's.
 */
export function deployInClusterLayer(config: BulwarkConfig, charts: readonly SynthesizedChart[], cluster: ClusterHandle, file: string): InClusterLayer {
  const name = config.cluster.name;
  const { provider } = cluster;
  const gatekeeper = new GatekeeperRelease(`${name}-gatekeeper`, {
    provider,
    exemptNamespaces: config.policy.exemptNamespaces,
    chartSource: gatekeeperChartSource(config, file),
    images: config.deploy?.images?.gatekeeper,
  });
  const eks = cluster.eks;
  const loadBalancerController =
    eks &&
    new LoadBalancerController(
      `${name}-load-balancer-controller`,
      { provider, clusterName: name, region: config.region, vpcId: eks.vpcId, eksClusterName: eks.clusterName },
      { dependsOn: [...(cluster.dependsOn ?? [])] },
    );
  const storageClass =
    cluster.ebsKmsKeyArn === undefined ? undefined : new EncryptedStorageClass(`${name}-storage`, { provider, kmsKeyArn: cluster.ebsKmsKeyArn });
  const workloadIdentities = eks
    ? workloadIdentitiesFromConfig(config, eks.clusterName).map((identity) => new TenantWorkloadIdentity(identity.name, identity.args))
    : [];
  const chart = (id: string) => {
    const found = charts.find((c) => c.name === id);
    if (!found) throw new Error(`deployBulwark: the app has no chart ${id}`);
    return found;
  };
  const baselines = charts
    .filter((c) => c.name !== TEMPLATES_CHART && c.name !== CONSTRAINTS_CHART && c.name !== INGRESS_CLASSES_CHART && !c.name.startsWith(SERVICES_CHART_PREFIX))
    .map((c) => new Cdk8sChartResources(c.name, { objects: chartObjectsOf(c), provider, dependsOn: [gatekeeper] }));
  // Synthesized exactly when the controller is deployed (config/deploy.ts deploysLoadBalancerController).
  const ingressClasses =
    loadBalancerController &&
    new Cdk8sChartResources(INGRESS_CLASSES_CHART, {
      objects: chartObjectsOf(chart(INGRESS_CLASSES_CHART)),
      provider,
      dependsOn: [loadBalancerController.release],
    });
  const templates = new Cdk8sChartResources(TEMPLATES_CHART, {
    objects: chartObjectsOf(chart(TEMPLATES_CHART)),
    provider,
    dependsOn: [gatekeeper, ...baselines],
  });
  const constraints = new Cdk8sChartResources(CONSTRAINTS_CHART, { objects: chartObjectsOf(chart(CONSTRAINTS_CHART)), provider, dependsOn: [templates] });
  // Tenant services last: Gatekeeper's constraints judge them, and their IngressClasses exist.
  const services = charts
    .filter((c) => c.name.startsWith(SERVICES_CHART_PREFIX))
    .map(
      (c) => new Cdk8sChartResources(c.name, { objects: chartObjectsOf(c), provider, dependsOn: [constraints, ...(ingressClasses ? [ingressClasses] : [])] }),
    );
  return { provider, gatekeeper, loadBalancerController, storageClass, workloadIdentities, baselines, ingressClasses, templates, constraints, services };
}
