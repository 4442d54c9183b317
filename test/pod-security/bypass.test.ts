/**
 * Bypass-minded tests of the PSS templates through the framework's checker: the violation hidden in an
 * init or ephemeral container, container-level settings overriding pod-level ones (both directions),
 * Windows pods, and every fixture nested in the pod template of every workload controller kind.
 */
import { join } from "node:path";
import type { Level } from "./support";
import { checkOfFixture, denials, FIXTURES_DIR, fixtureFiles, POLICY_OF_CHECK, policiesOf, pssChecker, readFixture } from "./support";

type Obj = Record<string, unknown>;
type Pod = { metadata: Obj; spec: Obj & { containers: Obj[]; initContainers?: Obj[]; ephemeralContainers?: Obj[]; securityContext?: Obj } };

const VERSION = "v1.37";
const basePod = (): Pod => readFixture(join(FIXTURES_DIR, "restricted", VERSION, "pass", "base.yaml")) as unknown as Pod;
const windowsPod = (): Pod => readFixture(join(FIXTURES_DIR, "restricted", VERSION, "pass", "base_windows.yaml")) as unknown as Pod;

/** Container-level mutations, each breaking exactly one check (and its restricted counterpart). */
const CONTAINER_MUTATIONS: readonly {
  readonly name: string;
  readonly level: Level;
  readonly policy: string;
  readonly apply: (c: Obj & { securityContext: Obj }) => void;
}[] = [
  { name: "privileged", level: "baseline", policy: "pss-privileged", apply: (c) => void (c.securityContext.privileged = true) },
  {
    name: "capability SYS_ADMIN",
    level: "baseline",
    policy: "pss-capabilities-baseline",
    apply: (c) => void (c.securityContext.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }),
  },
  { name: "SELinux type spc_t", level: "baseline", policy: "pss-selinux", apply: (c) => void (c.securityContext.seLinuxOptions = { type: "spc_t" }) },
  { name: "procMount Unmasked", level: "baseline", policy: "pss-proc-mount", apply: (c) => void (c.securityContext.procMount = "Unmasked") },
  {
    name: "seccomp Unconfined",
    level: "baseline",
    policy: "pss-seccomp-baseline",
    apply: (c) => void (c.securityContext.seccompProfile = { type: "Unconfined" }),
  },
  { name: "AppArmor Unconfined", level: "baseline", policy: "pss-apparmor", apply: (c) => void (c.securityContext.appArmorProfile = { type: "Unconfined" }) },
  {
    name: "Windows hostProcess",
    level: "baseline",
    policy: "pss-windows-host-process",
    apply: (c) => void (c.securityContext.windowsOptions = { hostProcess: true }),
  },
  {
    name: "hostPort",
    level: "baseline",
    policy: "pss-host-ports",
    apply: (c) => void (c.ports = [{ containerPort: 80 }, { containerPort: 8080, hostPort: 8080 }]),
  },
  {
    name: "probe host",
    level: "baseline",
    policy: "pss-host-probes",
    apply: (c) => void (c.readinessProbe = { httpGet: { host: "169.254.169.254", port: 80 } }),
  },
  {
    name: "allowPrivilegeEscalation true",
    level: "restricted",
    policy: "pss-allow-privilege-escalation",
    apply: (c) => void (c.securityContext.allowPrivilegeEscalation = true),
  },
  { name: "runAsNonRoot false", level: "restricted", policy: "pss-run-as-non-root", apply: (c) => void (c.securityContext.runAsNonRoot = false) },
  { name: "runAsUser 0", level: "restricted", policy: "pss-run-as-user", apply: (c) => void (c.securityContext.runAsUser = 0) },
  {
    name: "no drop ALL",
    level: "restricted",
    policy: "pss-capabilities-restricted",
    apply: (c) => void (c.securityContext.capabilities = { drop: ["NET_RAW"] }),
  },
  {
    name: "add CHOWN",
    level: "restricted",
    policy: "pss-capabilities-restricted",
    apply: (c) => void (c.securityContext.capabilities = { drop: ["ALL"], add: ["CHOWN"] }),
  },
];

const POSITIONS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** The restricted base pod with one mutated container at `position` (an added debug container for ephemeral). */
function podWith(position: (typeof POSITIONS)[number], apply: (c: Obj & { securityContext: Obj }) => void): Pod {
  const pod = basePod();
  const target = { ...(pod.spec.containers[0] as Obj), name: "target", securityContext: structuredClone(pod.spec.containers[0].securityContext as Obj) };
  apply(target);
  if (position === "ephemeralContainers") pod.spec.ephemeralContainers = [{ ...target, targetContainerName: "container1" }];
  else pod.spec[position] = [...(pod.spec[position] ?? []), target];
  return pod;
}

describe("the restricted base pod is admitted, so every denial below is the mutation's", () => {
  it.each(["baseline", "restricted"] as const)("%s admits it", (level) => {
    expect(denials(pssChecker(level, VERSION), basePod())).toEqual([]);
  });
});

describe.each(POSITIONS)("a violating container in %s", (position) => {
  it.each(CONTAINER_MUTATIONS.map((m) => [m.name, m] as const))("%s is denied by its check", (_name, mutation) => {
    const pod = podWith(position, mutation.apply);
    const restricted = policiesOf(denials(pssChecker("restricted", VERSION), pod));
    expect(restricted).toContain(mutation.policy);
    const baseline = policiesOf(denials(pssChecker("baseline", VERSION), pod));
    if (mutation.level === "baseline") expect(baseline).toContain(mutation.policy);
    else expect(baseline).toEqual([]);
  });
});

describe("container-level settings override pod-level ones exactly as PSA does", () => {
  const restricted = () => pssChecker("restricted", VERSION);

  it("containers that all set runAsNonRoot / seccomp satisfy an unset pod level", () => {
    const pod = basePod();
    delete pod.spec.securityContext;
    for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      Object.assign(c.securityContext as Obj, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    }
    expect(denials(restricted(), pod)).toEqual([]);
  });

  it("an ephemeral container without them breaks an unset pod level", () => {
    const pod = basePod();
    delete pod.spec.securityContext;
    for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      Object.assign(c.securityContext as Obj, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    }
    pod.spec.ephemeralContainers = [
      {
        name: "debug",
        image: "busybox:1.36",
        targetContainerName: "container1",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ];
    expect(policiesOf(denials(restricted(), pod))).toEqual(["pss-run-as-non-root", "pss-seccomp-restricted"]);
  });

  it.each([
    ["runAsNonRoot: false", { runAsNonRoot: false }, { runAsNonRoot: true }, "pss-run-as-non-root"],
    ["runAsUser: 0", { runAsNonRoot: true, runAsUser: 0 }, { runAsUser: 1000 }, "pss-run-as-user"],
    [
      "seccomp Unconfined",
      { runAsNonRoot: true, seccompProfile: { type: "Unconfined" } },
      { seccompProfile: { type: "RuntimeDefault" } },
      "pss-seccomp-restricted",
    ],
  ] as const)("a bad pod-level %s is denied even when every container overrides it", (_name, podLevel, containerLevel, policy) => {
    const pod = basePod();
    pod.spec.securityContext = { ...podLevel };
    for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) Object.assign(c.securityContext as Obj, containerLevel);
    expect(policiesOf(denials(restricted(), pod))).toContain(policy);
  });
});

describe("Windows pods", () => {
  it("are exempt from the Linux-only restricted checks, as in PSA", () => {
    expect(denials(pssChecker("restricted", VERSION), windowsPod())).toEqual([]);
  });

  it("still need runAsNonRoot at the restricted level", () => {
    const pod = windowsPod();
    delete pod.spec.securityContext;
    expect(policiesOf(denials(pssChecker("restricted", VERSION), pod))).toEqual(["pss-run-as-non-root"]);
  });

  it.each([
    [
      "pod-level hostProcess",
      (pod: Pod): void => void (pod.spec.securityContext = { runAsNonRoot: true, windowsOptions: { hostProcess: true } }),
      "pss-windows-host-process",
    ],
    [
      "init container hostProcess",
      (pod: Pod): void => void (pod.spec.initContainers = [{ name: "init", image: "pause", securityContext: { windowsOptions: { hostProcess: true } } }]),
      "pss-windows-host-process",
    ],
    ["privileged container", (pod: Pod): void => void (pod.spec.containers[0].securityContext = { privileged: true }), "pss-privileged"],
    ["hostNetwork", (pod: Pod): void => void (pod.spec.hostNetwork = true), "pss-host-namespaces"],
  ] as const)("are denied by the baseline checks: %s", (_name, mutate, policy) => {
    const pod = windowsPod();
    mutate(pod);
    expect(policiesOf(denials(pssChecker("baseline", VERSION), pod))).toContain(policy);
    expect(policiesOf(denials(pssChecker("restricted", VERSION), pod))).toContain(policy);
  });
});

/** Wraps a Pod's metadata (labels, annotations) and spec into the pod template of a workload kind. */
const CONTROLLERS: Readonly<Record<string, (pod: Pod) => Obj>> = {
  Deployment: (pod) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "w" }, spec: { selector: {}, template: template(pod) } }),
  StatefulSet: (pod) => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "w" },
    spec: { selector: {}, serviceName: "w", template: template(pod) },
  }),
  DaemonSet: (pod) => ({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "w" }, spec: { selector: {}, template: template(pod) } }),
  ReplicaSet: (pod) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "w" }, spec: { selector: {}, template: template(pod) } }),
  ReplicationController: (pod) => ({ apiVersion: "v1", kind: "ReplicationController", metadata: { name: "w" }, spec: { template: template(pod) } }),
  Job: (pod) => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "w" }, spec: { template: template(pod) } }),
  CronJob: (pod) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "w" },
    spec: { schedule: "@hourly", jobTemplate: { spec: { template: template(pod) } } },
  }),
};

function template(pod: Pod): Obj {
  const { labels, annotations } = pod.metadata as { labels?: Obj; annotations?: Obj };
  return { metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, spec: pod.spec };
}

describe.each(Object.keys(CONTROLLERS))("every restricted %s fixture verdict holds in a pod template", (kind) => {
  it(`restricted ${VERSION}: pass fixtures admitted, fail fixtures denied by their named check`, () => {
    const checker = pssChecker("restricted", VERSION);
    const wrong: string[] = [];
    for (const file of fixtureFiles("restricted", VERSION, "pass")) {
      const violations = denials(checker, CONTROLLERS[kind](readFixture(file) as unknown as Pod));
      if (violations.length > 0) wrong.push(`${file}: ${violations.map((v) => v.message).join(" | ")}`);
    }
    const failFiles = fixtureFiles("restricted", VERSION, "fail");
    for (const file of failFiles) {
      const expected = POLICY_OF_CHECK[checkOfFixture(file.slice(file.lastIndexOf("/") + 1))];
      const policies = policiesOf(denials(checker, CONTROLLERS[kind](readFixture(file) as unknown as Pod)));
      if (!policies.includes(expected)) wrong.push(`${file}: expected ${expected}, got [${policies.join(", ")}]`);
    }
    expect(failFiles.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});
