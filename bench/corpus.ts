/**
 * A generated corpus for differential testing of the CEL engines: hardened objects of every kind the
 * policies judge, each with a few deterministic mutations (a field removed, set to null, flipped,
 * mis-typed, mis-cased, emptied). The same seed number always gives the same object.
 */
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/";
const LABELS = { "app.kubernetes.io/name": "api", owner: "team" };

function hardenedContainer(name: string): Record<string, unknown> {
  return {
    name,
    image: `${ECR}payments/${name}:1.2.3@sha256:${"a".repeat(64)}`,
    ports: [{ containerPort: 8080, protocol: "TCP" }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
      seccompProfile: { type: "RuntimeDefault" },
      procMount: "Default",
      seLinuxOptions: { type: "container_t" },
      appArmorProfile: { type: "RuntimeDefault" },
    },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
  };
}

function hardenedPodSpec(): Record<string, unknown> {
  return {
    automountServiceAccountToken: false,
    hostNetwork: false,
    hostPID: false,
    hostIPC: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }] },
    initContainers: [hardenedContainer("init")],
    containers: [hardenedContainer("app"), hardenedContainer("sidecar")],
    volumes: [{ name: "data", emptyDir: {} }, { name: "config", configMap: { name: "app" } }],
  };
}

/** The hardened seeds the corpus mutates (one per kind family). */
export function seeds(): Record<string, unknown>[] {
  const meta = { name: "app", namespace: "payments", labels: LABELS, annotations: { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" } };
  const template = { metadata: { labels: LABELS }, spec: hardenedPodSpec() };
  return [
    { apiVersion: "v1", kind: "Pod", metadata: meta, spec: hardenedPodSpec() },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { replicas: 2, selector: { matchLabels: LABELS }, template } },
    { apiVersion: "batch/v1", kind: "CronJob", metadata: meta, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } },
    { apiVersion: "v1", kind: "Service", metadata: { ...meta, annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } }, spec: { type: "LoadBalancer", ports: [{ port: 443, targetPort: 8443 }], externalIPs: [] } },
    { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta, spec: { tls: [{ hosts: ["a.example.com"], secretName: "tls" }], rules: [{ host: "a.example.com" }] } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "view", labels: LABELS },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "Group", name: "oidc:team", apiGroup: "rbac.authorization.k8s.io" }],
    },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments", labels: { ...LABELS, "pod-security.kubernetes.io/enforce": "restricted" } } },
  ];
}

/** Deterministic PRNG (mulberry32), so a seed number always yields the same object. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path, out: Path[]): Path[] {
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  if (prefix.length > 0) out.push(prefix);
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown> | undefined;
  for (const part of path.slice(0, -1)) node = node?.[part] as Record<string | number, unknown> | undefined;
  return node !== null && typeof node === "object" ? node : undefined;
}

/** The mutations, each a new value for the field (undefined = remove it). */
const MUTATIONS: readonly ((value: unknown) => unknown)[] = [
  () => undefined,
  () => null,
  (v) => (typeof v === "boolean" ? !v : v === "true" ? "false" : true),
  (v) => (typeof v === "string" ? 0 : typeof v === "number" ? String(v) : typeof v === "boolean" ? String(v) : "x"),
  (v) => (typeof v === "string" ? (v === v.toUpperCase() ? v.toLowerCase() : v.toUpperCase()) : v),
  (v) => (Array.isArray(v) ? [] : v !== null && typeof v === "object" ? {} : v),
  (v) => (Array.isArray(v) ? {} : v !== null && typeof v === "object" ? [] : [v]),
  (v) => (typeof v === "number" ? v + 0.5 : typeof v === "string" ? `${v}:latest` : v),
  (v) => (typeof v === "number" ? -v : typeof v === "string" ? "*" : v),
  (v) => (typeof v === "string" ? "ALL" : typeof v === "number" ? 0 : v),
];

/** The i-th object of the corpus: a seed with one to three deterministic mutations. */
export function corpusObject(i: number): Record<string, unknown> {
  const all = seeds();
  const next = random(i + 1);
  const object = structuredClone(all[i % all.length]);
  const count = 1 + Math.floor(next() * 3);
  for (let m = 0; m < count; m++) {
    const candidates = paths(object, [], []).filter((p) => !(p.length === 1 && (p[0] === "apiVersion" || p[0] === "kind")));
    if (candidates.length === 0) break;
    const path = candidates[Math.floor(next() * candidates.length)];
    const parent = parentOf(object, path);
    if (!parent) continue;
    const key = path[path.length - 1];
    const mutated = MUTATIONS[Math.floor(next() * MUTATIONS.length)](parent[key]);
    if (mutated !== undefined) parent[key] = mutated;
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  }
  return object;
}
