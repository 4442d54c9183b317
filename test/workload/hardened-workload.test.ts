import { Chart, Size, Testing, Yaml } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import type { HardenedWorkloadProps } from "../../constructs/workload/hardened-workload";
import { HardenedWorkload } from "../../constructs/workload/hardened-workload";
import type { Manifest } from "../support/repo";
import { findObject } from "../support/repo";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2";
const RESOURCES: HardenedWorkloadProps["resources"] = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};

export function synthWorkload(props: Partial<HardenedWorkloadProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), "test", { disableResourceNameHashes: true });
  new HardenedWorkload(chart, "api", { name: "api", namespace: "payments", image: IMAGE, resources: RESOURCES, port: 8080, ...props });
  return chart.toJson() as Manifest[];
}

type Container = { securityContext: Record<string, unknown>; resources: Record<string, Record<string, string>> };
type PodSpec = {
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Record<string, unknown>[];
};
const podSpec = (objects: Manifest[]) => (findObject(objects, "Deployment", "payments", "api").spec as { template: { spec: PodSpec } }).template.spec;

describe("HardenedWorkload", () => {
  const objects = synthWorkload();
  const pod = podSpec(objects);
  const container = pod.containers[0];

  test("snapshot", () => {
    expect(Yaml.stringify(...objects)).toMatchSnapshot();
  });

  test("runs as a non-root user, pod and container level", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.runAsUser).toBe(65532);
    expect(pod.securityContext.runAsUser).not.toBe(0);
  });

  test("cannot escalate privileges and is not privileged", () => {
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.privileged).toBe(false);
  });

  test("drops ALL capabilities and adds none", () => {
    expect(container.securityContext.capabilities).toEqual({ drop: ["ALL"] });
  });

  test("uses the RuntimeDefault seccomp profile at container and pod level", () => {
    expect(container.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
  });

  test("has a read-only root filesystem with a writable /tmp", () => {
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.volumes).toEqual([{ name: "writable-0", emptyDir: {} }]);
  });

  test("mounts no service-account token", () => {
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test("sets CPU and memory requests and limits", () => {
    expect(container.resources).toEqual({ limits: { cpu: "500m", memory: "512Mi" }, requests: { cpu: "250m", memory: "256Mi" } });
  });

  test("shares no host namespace", () => {
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
    expect(pod.hostIPC ?? false).toBe(false);
  });

  test("carries app.kubernetes.io/name on the Deployment and its pods, and selects by it", () => {
    const deployment = findObject(objects, "Deployment", "payments", "api");
    const specOf = deployment.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    expect(deployment.metadata.labels!["app.kubernetes.io/name"]).toBe("api");
    expect(specOf.template.metadata.labels["app.kubernetes.io/name"]).toBe("api");
    expect(specOf.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "api" });
    const service = findObject(objects, "Service", "payments", "api");
    expect((service.spec as { type: string; selector: Record<string, string> }).type).toBe("ClusterIP");
    expect((service.spec as { selector: Record<string, string> }).selector).toEqual({ "app.kubernetes.io/name": "api" });
  });

  test("the named opt-out mounts a token for a workload that needs the API", () => {
    const optedOut = podSpec(synthWorkload({ serviceAccountName: "operator", mountServiceAccountTokenAcceptingApiAccess: true }));
    expect(optedOut.automountServiceAccountToken).toBe(true);
  });

  test.each<[Partial<HardenedWorkloadProps>, RegExp]>([
    [{ runAsUser: 0 }, /runAsUser 0 must be a non-zero user id/],
    [{ image: "registry.example.com/app" }, /image .* must be pinned by a tag other than latest/],
    [{ image: "registry.example.com/app:latest" }, /must be pinned by a tag other than latest/],
    [{ name: "API" }, /name "API" must be a DNS-1123 label/],
    [{ port: 70000 }, /port 70000 must be a port number/],
    [{ writablePaths: ["tmp"] }, /writablePaths "tmp" must be absolute/],
  ])("rejects %j at construction", (props, message) => {
    expect(() => synthWorkload(props)).toThrow(message);
  });

  test("accepts an image pinned by digest", () => {
    expect(() => synthWorkload({ image: `${IMAGE.split(":")[0]}@sha256:${"a".repeat(64)}` })).not.toThrow();
  });
});
