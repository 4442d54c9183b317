/**
 * The ALB IngressClasses: internal by default, internet-facing only for the namespaces the stack config
 * names public, their IngressClassParams validated against the upstream CRD (test/fixtures/crds/).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Chart, Testing } from "cdk8s";
import { parseStackYaml } from "../../config/load";
import { INGRESS_CLASSES_CHART, buildBulwarkApp } from "../../constructs/app";
import { ALB_INGRESS_CONTROLLER, ALB_SSL_POLICY, AlbIngressClasses, INGRESS_CLASS_NAMES } from "../../constructs/network/ingress-classes";
import { vendoredCrd } from "../support/crd-schema";
import type { Manifest } from "../support/repo";
import { REPO_ROOT, chartsOf, devConfig, findObject } from "../support/repo";

const PARAMS_CRD = vendoredCrd("elbv2.k8s.aws_ingressclassparams.yaml");
type Params = Manifest & { spec: { scheme?: string; namespaceSelector?: unknown } };
type IngressClass = Manifest & {
  metadata: { annotations?: Record<string, string> };
  spec: { controller: string; parameters: { apiGroup: string; kind: string; name: string } };
};

const ingressClassesOf = (yaml: string) =>
  chartsOf(buildBulwarkApp(parseStackYaml("dev", yaml, "Pulumi.dev.yaml"))).find((c) => c.id === INGRESS_CLASSES_CHART)?.objects ?? [];
const devYaml = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
const withPublic = (namespaces: string) => devYaml.replace("publicLoadBalancerNamespaces: []", `publicLoadBalancerNamespaces: [${namespaces}]`);

/** Every IngressClass refers to IngressClassParams of the same name in the same chart, of the CRD's group and kind. */
function paramsOf(objects: readonly Manifest[], className: string): Params {
  const ingressClass = findObject(objects, "IngressClass", undefined, className) as IngressClass;
  expect(ingressClass.spec.controller).toBe(ALB_INGRESS_CONTROLLER);
  expect(ingressClass.spec.parameters).toEqual({ apiGroup: PARAMS_CRD.group, kind: PARAMS_CRD.kind, name: className });
  return findObject(objects, PARAMS_CRD.kind, undefined, className) as Params;
}

describe("the ALB IngressClasses", () => {
  const dev = chartsOf(buildBulwarkApp(devConfig())).find((c) => c.id === INGRESS_CLASSES_CHART)?.objects ?? [];

  it("dev: one class, alb, the cluster's default, whose IngressClassParams force internal ALBs in every namespace", () => {
    expect(dev.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["IngressClassParams/alb", "IngressClass/alb"]);
    const ingressClass = findObject(dev, "IngressClass", undefined, INGRESS_CLASS_NAMES.internal) as IngressClass;
    expect(ingressClass.metadata.annotations).toEqual({ "ingressclass.kubernetes.io/is-default-class": "true" });
    expect(paramsOf(dev, INGRESS_CLASS_NAMES.internal).spec).toEqual({ scheme: "internal", sslPolicy: ALB_SSL_POLICY });
  });

  it("the internet-facing class exists only for public namespaces, and its params admit only Ingresses of those namespaces", () => {
    const objects = ingressClassesOf(withPublic("web"));
    const params = paramsOf(objects, INGRESS_CLASS_NAMES.internetFacing);
    expect(params.spec).toEqual({
      scheme: "internet-facing",
      sslPolicy: ALB_SSL_POLICY,
      namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["web"] }] },
    });
    // Not the default: an Ingress gets an internet-facing ALB only by naming the class.
    expect((findObject(objects, "IngressClass", undefined, INGRESS_CLASS_NAMES.internetFacing) as IngressClass).metadata.annotations).toBeUndefined();
    expect(paramsOf(objects, INGRESS_CLASS_NAMES.internal).spec).toEqual({ scheme: "internal", sslPolicy: ALB_SSL_POLICY });
  });

  it("sorts and deduplicates the public namespaces (deterministic output)", () => {
    const chart = new Chart(Testing.app(), "c", { disableResourceNameHashes: true });
    new AlbIngressClasses(chart, "alb", { publicNamespaces: ["web", "payments", "web"] });
    const params = findObject(Testing.synth(chart) as Manifest[], PARAMS_CRD.kind, undefined, INGRESS_CLASS_NAMES.internetFacing) as Params;
    expect(params.spec.namespaceSelector).toEqual({ matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["payments", "web"] }] });
  });

  it("IngressClassParams are valid against the controller's CRD (v3.5.0), strictly", () => {
    const objects = ingressClassesOf(withPublic("payments, web"));
    const params = objects.filter((o) => o.kind === PARAMS_CRD.kind);
    expect(params).toHaveLength(2);
    for (const object of params) {
      expect(object.apiVersion).toBe(`${PARAMS_CRD.group}/${PARAMS_CRD.version}`);
      expect([object.metadata.name, PARAMS_CRD.errorsOf(object)]).toEqual([object.metadata.name, []]);
    }
  });

  it("the schema check itself rejects a bad IngressClassParams", () => {
    const params = dev.find((o) => o.kind === PARAMS_CRD.kind) as Params;
    expect(JSON.stringify(PARAMS_CRD.errorsOf({ ...params, spec: { scheme: "public", sslPolicy: ALB_SSL_POLICY } }))).toMatch(/enum/);
    expect(PARAMS_CRD.errorsOf({ ...params, spec: { schema: "internal" } })).not.toEqual([]);
  });
});
