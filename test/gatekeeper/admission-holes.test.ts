/**
 * The admission holes of issue 13 §1–§4, through the dev stack's synthesized constraints (the parameters and
 * match the stack gives them), not only the policy folders' sample constraints.
 */
import type { BulwarkConfig } from "../../config/model";
import { createChecker, synthesizeGatekeeperObjects } from "../../constructs/gatekeeper/check";
import { PolicySet } from "../../constructs/gatekeeper/engine/evaluator";
import type { RequestUserInfo } from "../../constructs/gatekeeper/engine/cel";
import { devConfig } from "../support/repo";

type Json = Record<string, unknown>;
const config = devConfig();
const checker = createChecker({ config });

function policiesOf(object: Json, set?: PolicySet, userInfo?: RequestUserInfo): string[] {
  const violations = set ? set.evaluate(object, { userInfo }) : checker.checkObject(object);
  return [...new Set(violations.map((v) => v.policy.split("/")[1]))].sort();
}

const service = (annotations: Record<string, string>, spec: Json = {}): Json => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "api", namespace: "payments", annotations },
  spec: { type: "LoadBalancer", selector: { app: "api" }, ports: [{ port: 443 }], ...spec },
});

describe("LoadBalancer Services are judged by the controller that handles them", () => {
  it("scheme internal without the Load Balancer Controller is denied, naming the in-tree provider", () => {
    const violations = checker.checkObject(service({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }));
    expect(violations.map((v) => v.message)).toEqual([expect.stringMatching(/in-tree AWS cloud provider, which ignores aws-load-balancer-scheme/)]);
  });

  it("the same annotation with loadBalancerClass service.k8s.aws/nlb is admitted", () => {
    expect(
      checker.checkObject(service({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }, { loadBalancerClass: "service.k8s.aws/nlb" })),
    ).toEqual([]);
  });
});

describe("service account tokens: the credential, not the boolean", () => {
  it("a tenant ServiceAccount that leaves automount on is denied", () => {
    expect(policiesOf({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "payments" } })).toEqual(["service-account-token"]);
    expect(
      policiesOf({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "payments" }, automountServiceAccountToken: false }),
    ).toEqual([]);
  });
});

describe("Ingress TLS covers every host served", () => {
  const ingress = (spec: Json): Json => ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "web" }, spec });
  const backend = { service: { name: "web", port: { number: 443 } } };
  it("a defaultBackend beside TLS named hosts is denied", () => {
    expect(policiesOf(ingress({ tls: [{ hosts: ["a.example.com"] }], defaultBackend: backend }))).toEqual(["ingress-tls"]);
  });
});

describe("RBAC exemptions follow the requester, never the object", () => {
  const cfg: BulwarkConfig = { ...config, policy: { ...config.policy, rbacExemptRequesters: ["platform-deployer"] } };
  const set = PolicySet.fromObjects(synthesizeGatekeeperObjects({ config: cfg }) as Json[]);
  const bootstrapLike: Json = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "system:controller:helper", labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
    rules: [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] },
    ],
  };

  it("a tenant posing as a Kubernetes default role is denied by every RBAC role policy", () => {
    const tenant = { username: "alice", groups: ["system:authenticated", "payments-admins"] };
    expect(policiesOf(bootstrapLike, set, tenant)).toEqual(["rbac-no-sensitive-grants", "rbac-no-wildcards", "rbac-reserved-identities"]);
  });

  it("the API server (system:masters) and the configured deployer are exempt", () => {
    expect(policiesOf(bootstrapLike, set, { username: "system:apiserver", groups: ["system:masters"] })).toEqual([]);
    expect(policiesOf(bootstrapLike, set, { username: "platform-deployer", groups: [] })).toEqual([]);
  });

  it("a binding to system:anonymous in kube-system is denied", () => {
    const binding: Json = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "open", namespace: "kube-system" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "system:anonymous" }],
    };
    expect(policiesOf(binding, set)).toEqual(["rbac-no-public-subjects"]);
  });
});

describe("Pod Security version labels follow the cluster", () => {
  const namespace = (labels: Record<string, string>): Json => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "payments", labels: { owner: "team-payments", "pod-security.kubernetes.io/enforce": "restricted", ...labels } },
  });
  it("the stack's cluster minor and latest are accepted, an older pin is denied", () => {
    expect(policiesOf(namespace({ "pod-security.kubernetes.io/enforce-version": `v${config.cluster.kubernetesVersion}` }))).toEqual([]);
    expect(policiesOf(namespace({ "pod-security.kubernetes.io/warn-version": "latest" }))).toEqual([]);
    expect(policiesOf(namespace({ "pod-security.kubernetes.io/enforce-version": "v1.22" }))).toEqual(["namespace-pod-security"]);
  });
});

describe("PodTemplate objects and hostPath PersistentVolumes (threat-model decisions)", () => {
  it("a PodTemplate is judged as the Pods it stands for", () => {
    const podTemplate: Json = {
      apiVersion: "v1",
      kind: "PodTemplate",
      metadata: { name: "node-reader", namespace: "payments" },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "api" } },
        spec: { hostNetwork: true, containers: [{ name: "app", image: "nginx:latest" }] },
      },
    };
    const messages = checker.checkObject(podTemplate).map((v) => v.message);
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) expect(message).toMatch(/^\[Implied by expand-pod-templates\] /);
    expect(policiesOf(podTemplate)).toContain("pss-host-namespaces");
  });

  it("a hostPath PersistentVolume is denied, a CSI one admitted", () => {
    const pv = (source: Json): Json => ({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "data" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], ...source },
    });
    expect(policiesOf(pv({ hostPath: { path: "/var/lib/kubelet" } }))).toEqual(["persistent-volume-no-host-path"]);
    expect(policiesOf(pv({ csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-1" } }))).toEqual([]);
  });
});
