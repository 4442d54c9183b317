/**
 * `check` judges what admission sees: nulls dropped, and a Pod's API defaults that policies depend on
 * (limits into absent requests, host ports under hostNetwork) applied; pod templates are not defaulted.
 */
import type { Checker } from "../../constructs/gatekeeper/check";
import { admissionView, createChecker } from "../../constructs/gatekeeper/check";
import { dropNulls } from "../../constructs/gatekeeper/check/admission";
import { devConfig } from "../support/repo";
import { controllersWith, goodContainer, goodPodSpec, podWith } from "./fixtures";

let checker: Checker;
beforeAll(() => {
  checker = createChecker({ config: devConfig(), bundle: "all" });
});

const policiesOf = (object: Record<string, unknown>) =>
  checker
    .checkObject(object)
    .map((v) => v.policy.split("/")[1])
    .sort();
const limitsOnly = () => ({ ...goodContainer(), resources: { limits: { cpu: "500m", memory: "256Mi" } } });

describe("limits copied into absent requests (SetDefaults_Pod)", () => {
  it("admits a Pod that sets only limits, as the API server fills in the requests", () => {
    expect(policiesOf(podWith({ ...goodPodSpec(), containers: [limitsOnly()], initContainers: [{ ...limitsOnly(), name: "init" }] }))).toEqual([]);
    expect(admissionView(podWith({ ...goodPodSpec(), containers: [limitsOnly()] }))).toMatchObject({
      spec: { containers: [{ resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { cpu: "500m", memory: "256Mi" } } }] },
    });
  });

  it("keeps a request that is set and copies only the missing one", () => {
    const container = { ...goodContainer(), resources: { requests: { cpu: "100m" }, limits: { cpu: "500m", memory: "256Mi" } } };
    expect(admissionView(podWith({ ...goodPodSpec(), containers: [container] }))).toMatchObject({
      spec: { containers: [{ resources: { requests: { cpu: "100m", memory: "256Mi" } } }] },
    });
  });

  it("does not default pod templates: a Deployment whose containers set only limits is denied", () => {
    const [deployment] = controllersWith({ ...goodPodSpec(), containers: [limitsOnly()] });
    expect(policiesOf(deployment)).toContain("container-resources");
  });

  it("still denies a Pod with neither requests nor limits", () => {
    expect(policiesOf(podWith({ ...goodPodSpec(), containers: [{ ...goodContainer(), resources: {} }] }))).toContain("container-resources");
  });
});

describe("host ports under hostNetwork (defaultHostNetworkPorts)", () => {
  it("judges a hostNetwork Pod's container ports as host ports", () => {
    const spec = { ...goodPodSpec(), hostNetwork: true, containers: [{ ...goodContainer(), ports: [{ containerPort: 8080 }] }] };
    expect(policiesOf(podWith(spec))).toEqual(expect.arrayContaining(["pss-host-namespaces", "pss-host-ports"]));
    expect(admissionView(podWith(spec))).toMatchObject({ spec: { containers: [{ ports: [{ containerPort: 8080, hostPort: 8080 }] }] } });
  });

  it("leaves ports alone without hostNetwork", () => {
    const spec = { ...goodPodSpec(), containers: [{ ...goodContainer(), ports: [{ containerPort: 8080 }] }] };
    expect(policiesOf(podWith(spec))).toEqual([]);
  });
});

describe("null means absent", () => {
  const withNulls = () => {
    const container = {
      ...goodContainer(),
      ports: null,
      env: null,
      securityContext: { ...(goodContainer().securityContext as object), privileged: null, procMount: null },
    };
    return {
      ...podWith({ ...goodPodSpec(), hostNetwork: null, hostPID: null, volumes: null, initContainers: null, containers: [container] }),
      status: null,
    };
  };

  it("drops null fields at any depth before evaluation, so a compliant Pod written with nulls is admitted", () => {
    expect(policiesOf(withNulls())).toEqual([]);
    expect(JSON.stringify(admissionView(withNulls()))).not.toContain("null");
  });

  it("keeps key order and list items (a null list item is not a field), and never changes its input", () => {
    const input = { b: 1, a: null, c: { x: null, y: [null, { z: null, w: 2 }] }, d: "d" };
    const before = JSON.stringify(input);
    const pruned = dropNulls(input);
    expect(JSON.stringify(pruned)).toBe('{"b":1,"c":{"y":[null,{"w":2}]},"d":"d"}');
    expect(JSON.stringify(input)).toBe(before);
  });

  it("an object without nulls is passed as it is (no copy), one with a null deep inside is copied", () => {
    const clean = { a: { b: [1, { c: "x" }] } };
    expect(dropNulls(clean)).toBe(clean);
    const nested = { a: { b: [1, { c: null }] }, keep: { same: true } };
    const pruned = dropNulls(nested) as typeof nested;
    expect(pruned).not.toBe(nested);
    expect(pruned.keep).toBe(nested.keep);
    expect(pruned.a.b[1]).toEqual({});
  });

  it("a null request does not hide a missing one", () => {
    const container = { ...goodContainer(), resources: { requests: null, limits: null } };
    expect(policiesOf(podWith({ ...goodPodSpec(), containers: [container] }))).toContain("container-resources");
  });
});
