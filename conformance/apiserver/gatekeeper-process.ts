/**
 * The Gatekeeper manager as a process beside the loopback API server: kubeconfig from the run, its webhook
 * served on 127.0.0.1 with the run's serving certificate (cert rotation off), health on loopback, no listening
 * metrics exporter, and the flags the blueprint's Helm values set (lib/gatekeeper/release.ts gatekeeperValues).
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { GATEKEEPER_CHART, gatekeeperValues } from "../../lib/gatekeeper/release";
import { loadStackFile } from "../../config/load";
import type { Cluster } from "./cluster";
import { freePort } from "./cluster";
import { httpGetStatus, waitFor } from "./client";
import { pinnedVersion, REPO_ROOT } from "./manifests";

/** The chart's namespace (lib/gatekeeper/release.ts GATEKEEPER_CHART.namespace). */
export const GATEKEEPER_NAMESPACE = GATEKEEPER_CHART.namespace;
/** The Pod the manager believes it runs in. */
const GATEKEEPER_POD = "gatekeeper-conformance";
/** The pinned Gatekeeper version (conformance/versions.env). */
export const GATEKEEPER_VERSION = pinnedVersion("GATEKEEPER_VERSION");

/** A running manager. */
export interface GatekeeperSession {
  /** `https://127.0.0.1:<port>/v1/admit`, for the ValidatingWebhookConfiguration. */
  readonly webhookUrl: string;
  /** The chart values the flags came from (failure policy, timeout, exempt namespaces). */
  readonly values: Record<string, unknown>;
  /** The chart's default `validatingWebhookSubResources` (pods/ephemeralcontainers, pods/exec, …). */
  readonly webhookSubResources: readonly string[];
}

/** The chart's default webhook subresources, read from its values.yaml in the module. */
export function chartWebhookSubResources(moduleDir: string): string[] {
  const values = parse(readFileSync(join(moduleDir, "charts", "gatekeeper", "values.yaml"), "utf8")) as { validatingWebhookSubResources?: unknown };
  const list = values.validatingWebhookSubResources;
  if (!Array.isArray(list) || !list.every((r) => typeof r === "string"))
    throw new Error(`${moduleDir}/charts/gatekeeper/values.yaml: validatingWebhookSubResources is not a list of strings`);
  return list;
}

/** The manager's flags for the blueprint's chart values (the chart's controller-manager Deployment args). */
export function managerFlags(
  values: Record<string, unknown>,
  ports: { readonly webhook: number; readonly health: number; readonly otlp: number },
  certDir: string,
): string[] {
  const manager = values.controllerManager as { exemptNamespaces: readonly string[] };
  const flag = (name: string, key: string): string => `--${name}=${String(values[key])}`;
  return [
    "--host=127.0.0.1",
    `--port=${ports.webhook}`,
    `--health-addr=127.0.0.1:${ports.health}`,
    "--metrics-addr=0",
    `--cert-dir=${certDir}`,
    "--disable-cert-rotation=true",
    // The Prometheus exporter would listen on every interface; OpenTelemetry only pushes (to nothing here).
    "--metrics-backend=opentelemetry",
    `--otlp-endpoint=127.0.0.1:${ports.otlp}`,
    // Webhook and VAP generation, as the controller-manager pods run; status reports template and constraint
    // readiness (the audit pods' job, without the audit itself).
    "--operation=webhook",
    "--operation=generate",
    "--operation=status",
    ...(values.disableMutation === true ? [] : ["--operation=mutation-webhook"]),
    flag("log-denies", "logDenies"),
    flag("enable-k8s-native-validation", "enableK8sNativeValidation"),
    flag("default-create-vap-for-templates", "defaultCreateVAPForTemplates"),
    flag("default-create-vap-binding-for-constraints", "defaultCreateVAPBindingForConstraints"),
    flag("enable-generator-resource-expansion", "enableGeneratorResourceExpansion"),
    // Set only when the values have it, as the chart's `hasKey` does.
    ...("defaultK8sNativeValidationFailurePolicy" in values
      ? [flag("default-k8s-native-validation-failure-policy", "defaultK8sNativeValidationFailurePolicy")]
      : []),
    `--exempt-namespace=${GATEKEEPER_NAMESPACE}`,
    ...manager.exemptNamespaces.map((ns) => `--exempt-namespace=${ns}`),
    "--log-level=INFO",
  ];
}

/** The chart values the dev stack installs. */
export function blueprintValues(): Record<string, unknown> {
  const config = loadStackFile("dev", REPO_ROOT);
  return gatekeeperValues({ exemptNamespaces: config.policy.exemptNamespaces });
}

/** Starts the manager and waits (bounded) for its readiness endpoint. */
export async function startGatekeeper(
  cluster: Cluster,
  binary: string,
  moduleDir: string,
  log: (line: string) => void,
  timeoutMs = 120_000,
): Promise<GatekeeperSession> {
  const client = cluster.client;
  await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: GATEKEEPER_NAMESPACE } }, { dryRun: false });
  await client.apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: GATEKEEPER_NAMESPACE } }, { dryRun: false });
  // Gatekeeper owns its status objects by its own Pod (POD_NAME): the object must exist, though no kubelet runs it.
  await client.apply(
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: GATEKEEPER_POD, namespace: GATEKEEPER_NAMESPACE },
      spec: { containers: [{ name: "manager", image: `openpolicyagent/gatekeeper:${GATEKEEPER_VERSION}` }] },
    },
    { dryRun: false },
  );
  const certDir = join(cluster.dir, "gatekeeper-certs");
  mkdirSync(certDir, { recursive: true });
  copyFileSync(cluster.pki.servingCert, join(certDir, "tls.crt"));
  copyFileSync(cluster.pki.servingKey, join(certDir, "tls.key"));
  copyFileSync(cluster.pki.caCert, join(certDir, "ca.crt"));
  const ports = { webhook: await freePort(), health: await freePort(), otlp: await freePort() };
  const values = blueprintValues();
  cluster.spawnLogged("gatekeeper", binary, managerFlags(values, ports, certDir), {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    POD_NAMESPACE: GATEKEEPER_NAMESPACE,
    POD_NAME: GATEKEEPER_POD,
  });
  const webhookUrl = `https://127.0.0.1:${ports.webhook}/v1/admit`;
  try {
    await waitFor(
      "Gatekeeper /readyz",
      timeoutMs,
      async () => {
        cluster.assertRunning("gatekeeper");
        return (await httpGetStatus(`http://127.0.0.1:${ports.health}/readyz`)) === 200;
      },
      500,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ngatekeeper log:\n${cluster.logTail("gatekeeper", 30)}`, { cause: error });
  }
  log(`conformance/apiserver: Gatekeeper manager ready, webhook ${webhookUrl}`);
  return { webhookUrl, values, webhookSubResources: chartWebhookSubResources(moduleDir) };
}
