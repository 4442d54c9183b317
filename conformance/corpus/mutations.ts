/**
 * The security-relevant fields the corpus mutates, and how: each field is set to each value of its
 * catalogue, nulled, removed, and (for booleans and enum strings) flipped and mis-cased, including the
 * YAML 1.1 spellings (`yes`, `on`, `True`) that kubectl's parser reads as booleans.
 */
import type { CorpusValue, RawScalar } from "./base";

/** Where a mutation applies: the Pod spec, one of its containers, or the metadata of the object. */
export type MutationTarget = "pod" | "init" | "app" | "debug" | "metadata" | "object";

/** One field and the values it takes in the corpus. */
export interface FieldCatalogue {
  readonly target: MutationTarget;
  /** Dotted path below the target; `[n]` indexes a list. */
  readonly path: string;
  readonly values: readonly CorpusValue[];
  /** For target `object`: the kind of hardened object (base.ts hardenedOthers) it applies to. */
  readonly kind?: string;
  /**
   * Never nulled or removed: without it the document is no Kubernetes object, which both engines refuse
   * as bad input rather than judge (`kind`, `apiVersion`).
   * @default false
   */
  readonly required?: boolean;
}

/** One concrete change: set `path` (below `target`) to `value`, or delete it when `value` is REMOVE. */
export interface Mutation {
  readonly target: MutationTarget;
  readonly path: string;
  readonly value: CorpusValue | typeof REMOVE;
  /** For target `object`: the kind it applies to. */
  readonly kind?: string;
  /** Short label for ids and reports, e.g. `app.securityContext.privileged=yes`. */
  readonly label: string;
}

export const REMOVE: unique symbol = Symbol("remove");

const raw = (token: string): RawScalar => ({ raw: token });

/** Boolean spellings: real booleans, strings, and unquoted YAML 1.1 / mis-cased tokens. */
const BOOLEANS: readonly CorpusValue[] = [
  true,
  false,
  "true",
  "false",
  raw("True"),
  raw("TRUE"),
  raw("yes"),
  raw("Yes"),
  raw("on"),
  raw("no"),
  raw("off"),
  raw("y"),
  1,
  0,
];
const USER_IDS: readonly CorpusValue[] = [0, 1, 1000, 65532, -1, "0", "1000", raw("00"), raw("0x0"), raw("0o0"), 0.0, 1.5];
const SECCOMP: readonly CorpusValue[] = ["RuntimeDefault", "Localhost", "Unconfined", "runtimedefault", "unconfined", "UNCONFINED", "", { type: "Localhost" }];

const CONTAINER_FIELDS = (target: "init" | "app" | "debug"): FieldCatalogue[] => [
  { target, path: "securityContext.privileged", values: BOOLEANS },
  { target, path: "securityContext.allowPrivilegeEscalation", values: BOOLEANS },
  { target, path: "securityContext.runAsNonRoot", values: BOOLEANS },
  { target, path: "securityContext.runAsUser", values: USER_IDS },
  { target, path: "securityContext.readOnlyRootFilesystem", values: BOOLEANS.slice(0, 4) },
  { target, path: "securityContext.procMount", values: ["Default", "Unmasked", "unmasked", "UNMASKED", "default", ""] },
  { target, path: "securityContext.capabilities.drop", values: [["ALL"], ["all"], ["All"], [], ["NET_RAW"], "ALL", [null]] },
  {
    target,
    path: "securityContext.capabilities.add",
    values: [
      ["NET_BIND_SERVICE"],
      ["net_bind_service"],
      ["CAP_NET_BIND_SERVICE"],
      ["NET_ADMIN"],
      ["SYS_ADMIN"],
      ["sys_admin"],
      ["ALL"],
      ["CHOWN"],
      ["AUDIT_WRITE", "KILL"],
      [],
      "NET_ADMIN",
    ],
  },
  { target, path: "securityContext.capabilities", values: [{}, { drop: ["ALL"] }, { add: ["NET_ADMIN"] }] },
  { target, path: "securityContext.seccompProfile.type", values: SECCOMP },
  {
    target,
    path: "securityContext.seLinuxOptions",
    values: [{ type: "container_t" }, { type: "spc_t" }, { type: "CONTAINER_T" }, { user: "root" }, { role: "sysadm_r" }, { level: "s0:c1" }, { type: "" }],
  },
  { target, path: "securityContext.windowsOptions.hostProcess", values: BOOLEANS.slice(0, 8) },
  { target, path: "securityContext.appArmorProfile.type", values: ["RuntimeDefault", "Localhost", "Unconfined", "unconfined"] },
  { target, path: "securityContext", values: [{}, "privileged"] },
  { target, path: "ports[0].hostPort", values: [0, 80, 8080, "80", raw("0x50"), -1] },
  {
    target,
    path: "image",
    values: [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:latest",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:LATEST",
      "docker.io/library/nginx:1.27",
      "nginx:1.27",
      "123456789012.DKR.ECR.eu-west-1.amazonaws.com/payments/api:1.4.2",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example/api:1.4.2",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api@sha256:" + "a".repeat(64),
      "",
    ],
  },
  { target, path: "resources.limits", values: [{}, { cpu: "500m" }, { memory: "256Mi" }] },
  { target, path: "resources", values: [{}] },
  { target, path: "livenessProbe.httpGet.host", values: ["", "127.0.0.1", "10.0.0.1", "localhost", "example.com"] },
  { target, path: "readinessProbe.tcpSocket.host", values: ["", "169.254.169.254", "localhost"] },
  { target, path: "lifecycle", values: [{ postStart: { httpGet: { host: "10.0.0.1", port: 80 } } }, { preStop: { tcpSocket: { host: "", port: 80 } } }] },
];

const POD_FIELDS: FieldCatalogue[] = [
  { target: "pod", path: "hostNetwork", values: BOOLEANS },
  { target: "pod", path: "hostPID", values: BOOLEANS },
  { target: "pod", path: "hostIPC", values: BOOLEANS },
  { target: "pod", path: "hostUsers", values: BOOLEANS.slice(0, 8) },
  { target: "pod", path: "automountServiceAccountToken", values: BOOLEANS },
  { target: "pod", path: "serviceAccountName", values: ["default", "", "api"] },
  { target: "pod", path: "securityContext.runAsNonRoot", values: BOOLEANS },
  { target: "pod", path: "securityContext.runAsUser", values: USER_IDS },
  { target: "pod", path: "securityContext.seccompProfile.type", values: SECCOMP },
  {
    target: "pod",
    path: "securityContext.seLinuxOptions",
    values: [{ type: "spc_t" }, { type: "container_init_t" }, { type: "container_kvm_t" }, { user: "system_u" }, { type: "Container_T" }],
  },
  {
    target: "pod",
    path: "securityContext.sysctls",
    values: [
      [{ name: "kernel.shm_rmid_forced", value: "0" }],
      [{ name: "net.core.somaxconn", value: "1024" }],
      [{ name: "kernel.msgmax", value: "1" }],
      [{ name: "NET.IPV4.IP_LOCAL_PORT_RANGE", value: "1 2" }],
      [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }],
      [],
    ],
  },
  { target: "pod", path: "securityContext.windowsOptions.hostProcess", values: BOOLEANS.slice(0, 8) },
  { target: "pod", path: "securityContext.appArmorProfile.type", values: ["RuntimeDefault", "Localhost", "Unconfined", "unconfined"] },
  { target: "pod", path: "securityContext", values: [{}] },
  {
    target: "pod",
    path: "volumes[0]",
    values: [
      { name: "tmp", hostPath: { path: "/" } },
      { name: "tmp", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
      { name: "tmp", hostPath: null },
      { name: "tmp", nfs: { server: "10.0.0.1", path: "/" } },
      { name: "tmp", iscsi: { targetPortal: "10.0.0.1:3260", iqn: "iqn.x", lun: 0 } },
      { name: "tmp", ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } } },
      { name: "tmp", persistentVolumeClaim: { claimName: "data" } },
      { name: "tmp", secret: { secretName: "s" } },
      { name: "tmp", downwardAPI: { items: [] } },
      { name: "tmp", csi: { driver: "x" } },
      { name: "tmp", gitRepo: { repository: "https://example.com/x" } },
      { name: "tmp", HostPath: { path: "/" } },
    ],
  },
  { target: "pod", path: "volumes[2].projected.sources[0]", values: [{ serviceAccountToken: { path: "t" } }, { secret: { name: "s" } }] },
  { target: "pod", path: "containers", values: [[]] },
  { target: "pod", path: "initContainers", values: [[]] },
  { target: "pod", path: "ephemeralContainers", values: [[]] },
];

const METADATA_FIELDS: FieldCatalogue[] = [
  { target: "metadata", path: "namespace", values: ["payments", "web", "kube-system", "KUBE-SYSTEM", "gatekeeper-system", "default", ""] },
  { target: "metadata", path: "labels", values: [{}, { "app.kubernetes.io/name": "" }, { "App.Kubernetes.Io/Name": "api" }] },
  {
    target: "metadata",
    path: "annotations",
    values: [
      { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" },
      { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" },
      { "container.apparmor.security.beta.kubernetes.io/app": "localhost/x" },
      { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" },
    ],
  },
];

const subject = (kind: string, name: string): CorpusValue => ({ apiGroup: "rbac.authorization.k8s.io", kind, name });
const OBJECT_FIELDS: FieldCatalogue[] = [
  { target: "object", kind: "Service", path: "spec.type", values: ["NodePort", "LoadBalancer", "nodeport", "ExternalName", "ClusterIP"] },
  { target: "object", kind: "Service", path: "spec.externalIPs", values: [["203.0.113.10"], [], "203.0.113.10"] },
  { target: "object", kind: "Service", path: "spec.ports[0].nodePort", values: [30080, 0] },
  {
    target: "object",
    kind: "Service",
    path: "metadata.annotations",
    values: [
      { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
      { "service.beta.kubernetes.io/aws-load-balancer-scheme": "Internal" },
      {},
    ],
  },
  {
    target: "object",
    kind: "Ingress",
    path: "spec.tls",
    values: [[], [{ hosts: [] }], [{ secretName: "x" }], [{ hosts: ["other.example.com"], secretName: "x" }]],
  },
  { target: "object", kind: "Role", path: "rules[0].verbs", values: [["*"], ["escalate"], ["bind"], ["impersonate"], ["ESCALATE"], ["get", "*"], []] },
  { target: "object", kind: "Role", path: "rules[0].resources", values: [["*"], ["secrets"], ["serviceaccounts/token"], ["roles"]] },
  { target: "object", kind: "Role", path: "rules[0].apiGroups", values: [["*"], ["rbac.authorization.k8s.io"]] },
  ...(["RoleBinding", "ClusterRoleBinding"] as const).flatMap((kind): FieldCatalogue[] => [
    {
      target: "object",
      kind,
      path: "subjects[0]",
      values: [
        subject("Group", "system:anonymous"),
        subject("User", "system:anonymous"),
        subject("Group", "system:unauthenticated"),
        subject("Group", "system:authenticated"),
        subject("Group", "SYSTEM:ANONYMOUS"),
        subject("group", "system:anonymous"),
        { kind: "ServiceAccount", name: "default", namespace: "kube-system" },
      ],
    },
    { target: "object", kind, path: "roleRef.name", values: ["cluster-admin", "Cluster-Admin", "admin", "edit"] },
  ]),
  ...["Service", "Role", "Ingress"].map((kind): FieldCatalogue => ({
    target: "object",
    kind,
    path: "kind",
    required: true,
    values: [kind.toLowerCase(), kind.toUpperCase()],
  })),
  { target: "object", kind: "Service", path: "apiVersion", required: true, values: ["V1", "core/v1"] },
];

/** Every field the corpus mutates, Pod policies first. */
export const FIELD_CATALOGUE: readonly FieldCatalogue[] = [
  ...POD_FIELDS,
  ...CONTAINER_FIELDS("app"),
  ...CONTAINER_FIELDS("init"),
  ...CONTAINER_FIELDS("debug"),
  ...METADATA_FIELDS,
  ...OBJECT_FIELDS,
];

function tokenOf(value: CorpusValue): string {
  if (value !== null && typeof value === "object" && "raw" in value && typeof (value as RawScalar).raw === "string") return (value as RawScalar).raw;
  return JSON.stringify(value);
}

/** The single mutations of a catalogue entry: each value, null, removed (unless required). */
export function mutationsOf(field: FieldCatalogue): Mutation[] {
  const at = `${field.kind ?? field.target}.${field.path}`;
  const values: (CorpusValue | typeof REMOVE)[] = field.required ? [...field.values] : [...field.values, null, REMOVE];
  return values.map((value) => ({
    target: field.target,
    path: field.path,
    value,
    ...(field.kind ? { kind: field.kind } : {}),
    label: value === REMOVE ? `${at} removed` : `${at}=${tokenOf(value)}`,
  }));
}

/** Every single mutation of the catalogue, in catalogue order. */
export function allSingleMutations(): Mutation[] {
  return FIELD_CATALOGUE.flatMap(mutationsOf);
}
