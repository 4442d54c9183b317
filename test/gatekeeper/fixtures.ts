/** Objects for the gatekeeper tests: a fully compliant pod spec and ways to wrap it in each controller. */

export const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/";

type Json = Record<string, unknown>;

/** A container that passes every policy of the dev stack (restricted PSS included). */
export function goodContainer(name = "app", image = `${ECR}payments/api:1.4.2`): Json {
  return {
    name,
    image,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/** A pod spec that passes every policy of the dev stack. */
export function goodPodSpec(): Json {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [goodContainer()],
  };
}

export const LABELS = { "app.kubernetes.io/name": "api" };

/** A Pod with the given spec. */
export function podWith(spec: Json, namespace = "payments", name = "api"): Json {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: LABELS }, spec };
}

/** The seven controller kinds whose pod templates Gatekeeper expands, each wrapping `spec`. */
export function controllersWith(spec: Json, namespace = "payments"): Json[] {
  const template = { metadata: { labels: LABELS }, spec };
  const meta = (name: string) => ({ name, namespace, labels: LABELS });
  const selector = { matchLabels: LABELS };
  return [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("deploy"), spec: { selector, template } },
    { apiVersion: "apps/v1", kind: "StatefulSet", metadata: meta("sts"), spec: { selector, serviceName: "sts", template } },
    { apiVersion: "apps/v1", kind: "DaemonSet", metadata: meta("ds"), spec: { selector, template } },
    { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta("rs"), spec: { selector, template } },
    { apiVersion: "v1", kind: "ReplicationController", metadata: meta("rc"), spec: { selector: LABELS, template } },
    { apiVersion: "batch/v1", kind: "Job", metadata: meta("job"), spec: { template: { ...template, spec: { ...spec, restartPolicy: "Never" } } } },
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta("cron"),
      spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { ...template, spec: { ...spec, restartPolicy: "Never" } } } } },
    },
  ];
}
