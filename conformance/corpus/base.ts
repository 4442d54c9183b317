/**
 * Hardened objects the differential corpus mutates: each passes every dev-stack constraint, so a mutation's
 * verdict is the mutation's alone. Values follow the dev stack (Pulumi.dev.yaml: registry
 * 123456789012.dkr.ecr.eu-west-1.amazonaws.com/, required label app.kubernetes.io/name, tenant payments).
 */

/** A plain JSON value, plus {@link RawScalar} for YAML scalars written unquoted. */
export type CorpusValue = string | number | boolean | null | RawScalar | CorpusValue[] | { [key: string]: CorpusValue };

/**
 * A scalar written into the YAML text exactly as given, unquoted (e.g. `yes`, `True`, `0o17`), so the
 * parser of each side decides what it means, as kubectl's would.
 */
export interface RawScalar {
  readonly raw: string;
}

export const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2";
export const TENANT_NAMESPACE = "payments";

/** A container that meets PSS restricted and the general policies (pinned image, resources). */
export function hardenedContainer(name: string): { [key: string]: CorpusValue } {
  return {
    name,
    image: IMAGE,
    ports: [{ containerPort: 8080, protocol: "TCP" }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      seccompProfile: { type: "RuntimeDefault" },
      procMount: "Default",
    },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
    readinessProbe: { tcpSocket: { port: 8080 } },
  };
}

/** A hardened Pod spec with one container of each kind (init, app, ephemeral). */
export function hardenedPodSpec(): { [key: string]: CorpusValue } {
  return {
    automountServiceAccountToken: false,
    serviceAccountName: "api",
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
      seLinuxOptions: { type: "container_t" },
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
    },
    initContainers: [hardenedContainer("init")],
    containers: [hardenedContainer("app")],
    ephemeralContainers: [hardenedContainer("debug")],
    volumes: [
      { name: "tmp", emptyDir: {} },
      { name: "config", configMap: { name: "api-config" } },
      { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] } },
    ],
  };
}

export const POD_LABELS = { "app.kubernetes.io/name": "api" };

/** Non-Pod objects of the policies on Services, Ingresses, RBAC and Namespaces, hardened. */
export function hardenedOthers(): { [key: string]: CorpusValue }[] {
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: TENANT_NAMESPACE } : {}),
    labels: { ...POD_LABELS },
  });
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { ...meta("api"), annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } },
      spec: { type: "ClusterIP", selector: { ...POD_LABELS }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta("api"),
      spec: {
        tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }],
        rules: [{ host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 80 } } } }] } }],
      },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta("reader"),
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta("reader"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "payments-auditors" }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta("reader", false),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "payments-auditors" }],
    },
  ];
}
