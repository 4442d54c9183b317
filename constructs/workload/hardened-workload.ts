import type { Size } from "cdk8s";
import { ApiObject, JsonPatch } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { Construct } from "constructs";
import { dns1123Label } from "../../config/fields";
import { MANAGED_BY_LABEL } from "../baseline/defaults";
import type { NetworkPeer, PolicyPort } from "../network/peers";
import { assertCanonicalCidr, assertPorts, policyPeer, policyPorts } from "../network/peers";

/** CPU and memory, each with a request and a limit: all four are required, so none can be forgotten. */
export interface WorkloadResources {
  readonly cpu: { readonly request: kplus.Cpu; readonly limit: kplus.Cpu };
  readonly memory: { readonly request: Size; readonly limit: Size };
}

export interface HardenedWorkloadProps {
  /** Workload name: the Deployment's name and its `app.kubernetes.io/name` label. */
  readonly name: string;
  /** Namespace to run in (a tenant namespace). */
  readonly namespace: string;
  /** Container image, by tag or digest, from one of the cluster's allowed registries. */
  readonly image: string;
  /** CPU and memory requests and limits. Required: no safe default fits every workload. */
  readonly resources: WorkloadResources;
  /**
   * Number of replicas.
   * @default 2 (one pod can be lost without an outage)
   */
  readonly replicas?: number;
  /**
   * Container port to expose through a ClusterIP Service of the same name.
   * @default no port, no Service
   */
  readonly port?: number;
  /**
   * Who may connect to {@link HardenedWorkloadProps.port}: a NetworkPolicy (named after the workload) admits
   * these peers to this workload's pods on that port only. Requires `port`.
   * @default no ingress policy: under the namespace's default deny nothing reaches the pods
   */
  readonly allowIngressFrom?: readonly NetworkPeer[];
  /**
   * What this workload's pods may connect to, each on the ports given (in the same NetworkPolicy).
   * @default no egress policy: the namespace's grants (DNS, granted CIDRs) apply
   */
  readonly allowEgressTo?: readonly { readonly to: NetworkPeer; readonly ports: readonly PolicyPort[] }[];
  /**
   * Numeric user the container runs as; must not be 0.
   * @default 65532 (the conventional "nonroot" user of distroless images)
   */
  readonly runAsUser?: number;
  /**
   * Environment variables (plain values; use Secrets through volume mounts for secret material).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Extra labels on the Deployment and its pods.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Paths mounted as writable emptyDir volumes, since the root filesystem is read-only.
   * @default ["/tmp"]
   */
  readonly writablePaths?: readonly string[];
  /**
   * Service account to run as. Its token is still not mounted unless
   * {@link HardenedWorkloadProps.mountServiceAccountTokenAcceptingApiAccess} is set.
   * @default the namespace's `default` service account
   */
  readonly serviceAccountName?: string;
  /**
   * Mount a Kubernetes API token into the pods. Accepts the risk that a compromised container can call
   * the API server with the service account's permissions. Only for workloads that talk to the API.
   * @default false
   */
  readonly mountServiceAccountTokenAcceptingApiAccess?: boolean;
}

/** Secure defaults of {@link HardenedWorkload}, in one place. */
export const HARDENED_WORKLOAD_DEFAULTS = {
  replicas: 2,
  runAsUser: 65532,
  writablePaths: ["/tmp"],
  mountServiceAccountToken: false,
} as const;

/**
 * A Deployment whose pods pass Pod Security `restricted`: non-root, no privilege escalation, read-only
 * root filesystem, all capabilities dropped, RuntimeDefault seccomp, no API token, and CPU and memory
 * requests and limits. cdk8s-plus-33's own defaults set neither seccomp nor drop ALL, so they fail
 * `restricted`; this construct sets both.
 */
export class HardenedWorkload extends Construct {
  /** The underlying cdk8s-plus Deployment, for additions that keep the hardening intact. */
  readonly deployment: kplus.Deployment;
  /** The ClusterIP Service, when a port is given. */
  readonly service?: kplus.Service;
  /** The workload's own NetworkPolicy, when it declares ingress or egress peers. */
  readonly networkPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    const fail = (prop: string, value: unknown, fix: string): never => {
      throw new Error(`HardenedWorkload ${props.name}: ${prop} ${JSON.stringify(value)} ${fix}`);
    };
    if (!dns1123Label.safeParse(props.name).success) fail("name", props.name, "must be a DNS-1123 label");
    if (!dns1123Label.safeParse(props.namespace).success) fail("namespace", props.namespace, "must be a DNS-1123 label");
    if (!props.image || /\s/.test(props.image)) fail("image", props.image, "must be an image reference");
    if (!props.image.includes("@") && (!/:[^/]+$/.test(props.image) || props.image.endsWith(":latest"))) {
      fail("image", props.image, "must be pinned by a tag other than latest, or by digest (image@sha256:...)");
    }
    const runAsUser = props.runAsUser ?? HARDENED_WORKLOAD_DEFAULTS.runAsUser;
    if (!Number.isInteger(runAsUser) || runAsUser < 1) fail("runAsUser", runAsUser, "must be a non-zero user id (root is not allowed)");
    const replicas = props.replicas ?? HARDENED_WORKLOAD_DEFAULTS.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) fail("replicas", replicas, "must be a whole number >= 0");
    if (props.port !== undefined && (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535)) {
      fail("port", props.port, "must be a port number from 1 to 65535");
    }
    const writablePaths = props.writablePaths ?? HARDENED_WORKLOAD_DEFAULTS.writablePaths;
    writablePaths.forEach((path) => {
      if (!path.startsWith("/")) fail("writablePaths", path, "must be absolute paths");
    });
    const mountToken = props.mountServiceAccountTokenAcceptingApiAccess ?? HARDENED_WORKLOAD_DEFAULTS.mountServiceAccountToken;

    const labels = { ...props.labels, "app.kubernetes.io/name": props.name };
    this.deployment = new kplus.Deployment(this, "deployment", {
      metadata: { name: props.name, namespace: props.namespace, labels },
      podMetadata: { labels },
      replicas,
      select: false,
      automountServiceAccountToken: mountToken,
      serviceAccount: props.serviceAccountName ? kplus.ServiceAccount.fromServiceAccountName(this, "service-account", props.serviceAccountName) : undefined,
      securityContext: { ensureNonRoot: true, user: runAsUser, group: runAsUser, fsGroup: runAsUser },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: { "app.kubernetes.io/name": props.name } }));

    const container = this.deployment.addContainer({
      name: props.name,
      image: props.image,
      portNumber: props.port,
      envVariables: Object.fromEntries(
        Object.entries(props.env ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]),
      ),
      resources: {
        cpu: { request: props.resources.cpu.request, limit: props.resources.cpu.limit },
        memory: { request: props.resources.memory.request, limit: props.resources.memory.limit },
      },
      securityContext: {
        ensureNonRoot: true,
        user: runAsUser,
        group: runAsUser,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    });
    writablePaths.forEach((path, index) => {
      const volume = kplus.Volume.fromEmptyDir(this, `writable-${index}`, `writable-${index}`);
      container.mount(path, volume);
    });
    // Pod-level RuntimeDefault too, so containers added later (init, sidecars) inherit it.
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.add("/spec/template/spec/securityContext/seccompProfile", { type: "RuntimeDefault" }));

    if (props.port !== undefined) {
      this.service = new kplus.Service(this, "service", {
        metadata: { name: props.name, namespace: props.namespace, labels },
        type: kplus.ServiceType.CLUSTER_IP,
        // Select by the workload label: the Deployment's own selector label is not on its pods (select: false).
        selector: kplus.Pods.select(this, "pods", { labels: { "app.kubernetes.io/name": props.name } }),
        ports: [{ port: props.port, targetPort: props.port }],
      });
    }
    this.networkPolicy = this.addNetworkPolicy(props, labels);
  }

  /** Default deny, then least privilege for this service: ingress on its port from its peers, egress to its peers. */
  private addNetworkPolicy(props: HardenedWorkloadProps, labels: Readonly<Record<string, string>>): ApiObject | undefined {
    const where = `HardenedWorkload ${props.name}`;
    const ingressFrom = props.allowIngressFrom;
    const egressTo = props.allowEgressTo ?? [];
    if (ingressFrom === undefined && egressTo.length === 0) return undefined;
    if (ingressFrom !== undefined) {
      if (props.port === undefined) throw new Error(`${where}: allowIngressFrom needs a port; set port to the container port peers connect to`);
      if (ingressFrom.length === 0) throw new Error(`${where}: allowIngressFrom is empty; list the peers, or omit it to admit nobody`);
    }
    const peers = [...(ingressFrom ?? []), ...egressTo.map((e) => e.to)];
    for (const peer of peers) if (peer.kind === "cidr") assertCanonicalCidr(`${where}: peer cidr`, peer.cidr);
    egressTo.forEach((e, i) => assertPorts(`${where}: allowEgressTo[${i}]`, e.ports));
    const policyTypes = [...(ingressFrom ? ["Ingress"] : []), ...(egressTo.length > 0 ? ["Egress"] : [])];
    return new kplus.k8s.KubeNetworkPolicy(this, "network-policy", {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...labels, ...MANAGED_BY_LABEL } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": props.name } },
        policyTypes,
        ...(ingressFrom ? { ingress: [{ from: ingressFrom.map(policyPeer), ports: policyPorts([{ port: props.port as number }]) }] } : {}),
        ...(egressTo.length > 0 ? { egress: egressTo.map((e) => ({ to: [policyPeer(e.to)], ports: policyPorts(e.ports) })) } : {}),
      },
    });
  }
}
