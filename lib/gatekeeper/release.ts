import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource, GatekeeperImages } from "../../config/deploy";
import { ALWAYS_EXEMPT_NAMESPACES, GATEKEEPER_NAMESPACE, SYSTEM_NAMESPACES } from "../../config/namespaces";

/**
 * The Gatekeeper Helm chart Bulwark installs: pinned, >= 3.20 (VAP generation from CEL templates). Chart
 * version = app version. {@link gatekeeperValues} was reviewed against the chart's values.yaml and templates in
 * the gatekeeper/v3@v3.23.1 module (charts/gatekeeper): every key it sets is a value there or one the templates
 * read with `hasKey` (defaultCreateVAPForTemplates, defaultCreateVAPBindingForConstraints,
 * defaultK8sNativeValidationFailurePolicy). From 3.21.1 to 3.23.1 the values changed only in image tags and a
 * new `audit.disableAuditSidecar` (default false, for the disk export sidecar, which Bulwark does not enable).
 */
export const GATEKEEPER_CHART = {
  name: "gatekeeper",
  version: "3.23.1",
  repository: "https://open-policy-agent.github.io/gatekeeper/charts",
  namespace: GATEKEEPER_NAMESPACE,
} as const;

export interface GatekeeperReleaseArgs {
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /**
   * Namespaces the webhook and audit skip (from the stack's policy config). gatekeeper-system and
   * kube-system are always added.
   * @default SYSTEM_NAMESPACES: ["gatekeeper-system", "kube-node-lease", "kube-public", "kube-system"]
   */
  readonly exemptNamespaces?: readonly string[];
  /**
   * Controller-manager (webhook) replicas; the PodDisruptionBudget keeps all but one available.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Let requests through when the webhook cannot be reached (failurePolicy Ignore). Accepts that a
   * Gatekeeper outage, or an attacker who causes one, silently turns admission control off.
   * @default false (failurePolicy Fail; the exempt namespaces keep the cluster recoverable, and the
   * ValidatingAdmissionPolicies generated from the CEL templates enforce inside the API server anyway)
   */
  readonly webhookFailOpenAcceptingBypassDuringOutage?: boolean;
  /**
   * Where the chart comes from (air-gapped installs): a local chart directory or an OCI registry, at the
   * pinned version (see {@link gatekeeperChartArgs}).
   * @default the public chart repository, GATEKEEPER_CHART.repository, at GATEKEEPER_CHART.version
   */
  readonly chartSource?: ChartSource;
  /**
   * The chart's images from a mirror, each pinned by digest.
   * @default the chart's own public images, by tag
   */
  readonly images?: GatekeeperImages;
}

/** Secure defaults of {@link GatekeeperRelease}, in one place. */
export const GATEKEEPER_DEFAULTS = {
  exemptNamespaces: SYSTEM_NAMESPACES,
  replicas: 3,
  webhookFailOpen: false,
  webhookTimeoutSeconds: 3,
  auditIntervalSeconds: 60,
  resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } },
} as const;

/** The chart values for `args`: pure, so tests and the plan show exactly what is installed. */
export function gatekeeperValues(args: Omit<GatekeeperReleaseArgs, "provider">): Record<string, unknown> {
  const replicas = args.replicas ?? GATEKEEPER_DEFAULTS.replicas;
  if (!Number.isInteger(replicas) || replicas < 2) {
    throw new Error(
      `GatekeeperRelease: replicas ${JSON.stringify(replicas)} must be a whole number >= 2, so one pod can be lost without losing admission control`,
    );
  }
  const exempt = [...new Set([...(args.exemptNamespaces ?? GATEKEEPER_DEFAULTS.exemptNamespaces), ...ALWAYS_EXEMPT_NAMESPACES])].sort();
  for (const namespace of exempt) {
    if (namespace.includes("*")) {
      throw new Error(`GatekeeperRelease: exemptNamespaces entry "${namespace}" must be a namespace name; wildcards are not accepted`);
    }
  }
  const failOpen = args.webhookFailOpenAcceptingBypassDuringOutage ?? GATEKEEPER_DEFAULTS.webhookFailOpen;
  return {
    ...(args.images ? mirroredImageValues(args.images) : {}),
    replicas,
    pdb: { controllerManager: { minAvailable: replicas - 1 } },
    controllerManager: { exemptNamespaces: exempt, resources: GATEKEEPER_DEFAULTS.resources },
    audit: { resources: GATEKEEPER_DEFAULTS.resources },
    disableAudit: false,
    auditInterval: GATEKEEPER_DEFAULTS.auditIntervalSeconds,
    validatingWebhookFailurePolicy: failOpen ? "Ignore" : "Fail",
    validatingWebhookTimeoutSeconds: GATEKEEPER_DEFAULTS.webhookTimeoutSeconds,
    // CEL templates are evaluated in Gatekeeper and also compiled to ValidatingAdmissionPolicies, which fail
    // closed: a template that sets no failurePolicy gets Fail (Gatekeeper's default since the flag exists, set
    // here so a chart default cannot change it), whatever the webhook's own failure policy.
    enableK8sNativeValidation: true,
    defaultK8sNativeValidationFailurePolicy: "Fail",
    defaultCreateVAPForTemplates: true,
    defaultCreateVAPBindingForConstraints: true,
    // ExpansionTemplates apply pod rules to the pod templates of workload controllers.
    enableGeneratorResourceExpansion: true,
    // Bulwark mutates nothing: no mutation webhook to attack or misconfigure.
    disableMutation: true,
    logDenies: true,
    enableRuntimeDefaultSeccompProfile: true,
  };
}

/**
 * Chart values that take every image the chart runs from `images.registry`, by digest. The chart writes
 * `repository:tag` for its hook images, so the digest's `sha256` goes with the repository and its hex is the
 * "tag"; for the manager it writes the repository alone when `release` is empty.
 */
export function mirroredImageValues(images: GatekeeperImages): Record<string, unknown> {
  const hex = (digest: string) => digest.slice("sha256:".length);
  const crds = `${images.registry}/openpolicyagent/gatekeeper-crds`;
  const crdsHook = { repository: `${crds}@sha256`, tag: hex(images.digests.gatekeeperCrds) };
  return {
    image: {
      repository: `${images.registry}/openpolicyagent/gatekeeper@${images.digests.gatekeeper}`,
      crdRepository: `${crds}@${images.digests.gatekeeperCrds}`,
      release: "",
    },
    preInstall: { crdRepository: { image: { repository: `${crds}@${images.digests.gatekeeperCrds}`, tag: "" } } },
    postInstall: {
      labelNamespace: { image: crdsHook },
      probeWebhook: { image: { repository: `${images.registry}/curlimages/curl@sha256`, tag: hex(images.digests.curl) } },
    },
    postUpgrade: { labelNamespace: { image: crdsHook } },
    preUninstall: { deleteWebhookConfigurations: { image: crdsHook } },
  };
}

/** The Release's chart arguments for a chart source; every source is held to the pinned chart version. */
export function gatekeeperChartArgs(source: ChartSource | undefined): Pick<k8s.helm.v3.ReleaseArgs, "chart" | "version" | "repositoryOpts"> {
  if (source?.path !== undefined) return { chart: source.path };
  if (source?.oci !== undefined) {
    if (source.version !== GATEKEEPER_CHART.version) {
      throw new Error(
        `GatekeeperRelease: chart version ${JSON.stringify(source.version)} from ${source.oci} is not the pinned ${GATEKEEPER_CHART.version} the values are written for`,
      );
    }
    return { chart: source.oci, version: source.version };
  }
  return { chart: GATEKEEPER_CHART.name, version: GATEKEEPER_CHART.version, repositoryOpts: { repo: GATEKEEPER_CHART.repository } };
}

/**
 * Gatekeeper from its Helm chart (a `helm.v3.Release`, not a remote component, so its inputs are
 * testable): several replicas with a PodDisruptionBudget, resource limits, audit on, the exempt
 * namespaces of the policy config, fail-closed webhook, VAP generation for CEL templates.
 */
export class GatekeeperRelease extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: GatekeeperReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const values = gatekeeperValues(args); // validates before anything is registered
    const chart = gatekeeperChartArgs(args.chartSource);
    super("bulwark:gatekeeper:Release", name, {}, opts);
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: GATEKEEPER_CHART.name,
        ...chart,
        namespace: GATEKEEPER_CHART.namespace,
        createNamespace: true,
        atomic: true,
        waitForJobs: true,
        values,
      },
      { parent: this, provider: args.provider },
    );
    this.namespace = this.release.status.namespace.apply((ns) => ns ?? GATEKEEPER_CHART.namespace);
    this.registerOutputs({ namespace: this.namespace });
  }
}
