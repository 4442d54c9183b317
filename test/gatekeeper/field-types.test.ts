/**
 * `check` decodes built-in objects as the API server does before any policy runs: a value of the wrong type
 * is bad input (exit 2, file and line, path, value, what is accepted), never a verdict on an object the cluster
 * would not even decode. Types from Kubernetes' OpenAPI documents (check/kubernetes-types/types.json).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { createChecker } from "../../constructs/gatekeeper/check";
import { CheckInputError } from "../../constructs/gatekeeper/check/manifests";
import { fieldTypeProblems, FIELD_TYPES_KUBERNETES_VERSION } from "../../constructs/gatekeeper/check/kubernetes-types";
import { devConfig, synthObjects } from "../support/repo";

const pod = (spec: string) => parse(`apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: payments}\nspec:\n${spec}`) as Record<string, unknown>;
const container = (extra: string) => pod(`  containers:\n    - name: app\n      image: r/app:1\n${extra}`);

describe("values the API server cannot decode", () => {
  it.each([
    ["a quoted boolean", container("      securityContext: {privileged: 'true'}"), "spec.containers[0].securityContext.privileged", "a boolean"],
    ["a boolean as a number", container("      securityContext: {runAsNonRoot: 1}"), "spec.containers[0].securityContext.runAsNonRoot", "a boolean"],
    [
      "a quoted integer",
      pod("  securityContext: {runAsUser: '0'}\n  containers: [{name: app, image: 'r/app:1'}]"),
      "spec.securityContext.runAsUser",
      "an integer",
    ],
    ["a fractional integer", container("      ports: [{containerPort: 80.5}]"), "spec.containers[0].ports[0].containerPort", "32-bit integer"],
    ["an int32 out of range", container("      ports: [{containerPort: 4294967296}]"), "spec.containers[0].ports[0].containerPort", "32-bit integer"],
    ["a number for a string", container("      command: [sh, 1]"), "spec.containers[0].command[1]", "a string"],
    [
      "an unquoted number as a label value",
      parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {version: 1.10}}"),
      "metadata.labels.version",
      "a string",
    ],
    [
      "a label key that is not a plain name",
      parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app.kubernetes.io/version: 2}}"),
      'metadata.labels["app.kubernetes.io/version"]',
      "a string",
    ],
    ["a malformed quantity", container("      resources: {limits: {memory: 1GB}}"), "spec.containers[0].resources.limits.memory", "a quantity"],
    ["a list for a mapping", container("      securityContext: [privileged]"), "spec.containers[0].securityContext", "a mapping"],
    ["a mapping for a list", pod("  containers: {name: app, image: 'r/app:1'}"), "spec.containers", "a list"],
    [
      "a boolean for an int-or-string",
      parse("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, targetPort: true}]}"),
      "spec.ports[0].targetPort",
      "an integer or a string",
    ],
    [
      "a yes/no word in a Deployment's pod template",
      parse(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostNetwork: 'yes'\n      containers: [{name: a, image: 'r/a:1'}]",
      ),
      "spec.template.spec.hostNetwork",
      "a boolean",
    ],
    [
      "a string for a RoleBinding's subjects",
      parse(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: n}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: system:anonymous",
      ),
      "subjects",
      "a list",
    ],
  ])("%s", (_what, object, path, expected) => {
    const problems = fieldTypeProblems(object);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0].expected).toContain(expected);
  });
});

describe("values the API server decodes", () => {
  it.each([
    [
      "quantities as strings and numbers",
      container("      resources: {requests: {cpu: 500m, memory: 128Mi}, limits: {cpu: 1, memory: 1.5Gi, ephemeral-storage: 1e9}}"),
    ],
    [
      "named and numbered target ports",
      parse("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, targetPort: http}, {port: 81, targetPort: 8081}]}"),
    ],
    ["nulls, which mean absent", container("      securityContext: {privileged: null}\n      ports: null")],
    [
      "unknown and mis-cased fields, which the API server drops (warn) or refuses (strict) but never decodes",
      container("      securityContext: {Privileged: 'true', made-up: [1]}"),
    ],
    [
      "free-form fields",
      parse(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\nspec:\n  group: example.com\n  names: {kind: X, plural: xs}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, default: 1, example: [true]}}}]",
      ),
    ],
    ["custom resources, whose schema check does not know", parse("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {privileged: 'true'}")],
  ])("%s", (_what, object) => {
    expect(fieldTypeProblems(object)).toEqual([]);
  });

  it("every object `npm run synth` writes for the dev stack decodes", () => {
    const problems = synthObjects().flatMap((o) =>
      fieldTypeProblems(o as Record<string, unknown>).map((p) => `${String((o as { kind: string }).kind)}: ${p.path}`),
    );
    expect(problems).toEqual([]);
  });

  it("the types come from a Kubernetes release", () => {
    expect(FIELD_TYPES_KUBERNETES_VERSION).toMatch(/^v1\.[0-9]+\.[0-9]+$/);
  });
});

describe("check refuses undecodable manifests as bad input", () => {
  it("names the file, the document's line, the object, the path, the bad value and what is accepted; checks nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-types-"));
    const file = join(dir, "pod.yaml");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: payments}\nspec:\n  containers: [{name: app, image: 'r/app:1', securityContext: {privileged: 'true'}}]\n",
    );
    const checker = createChecker({ config: devConfig() });
    let thrown: unknown;
    try {
      checker.checkPaths([file]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CheckInputError);
    expect((thrown as CheckInputError).problems).toEqual([
      {
        file,
        line: 5,
        message:
          'document 2 (Pod p): spec.containers[0].securityContext.privileged = "true": must be a boolean: true or false, unquoted; the API server cannot decode it, so kubectl apply fails',
      },
    ]);
  });
});
