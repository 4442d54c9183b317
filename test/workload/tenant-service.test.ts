/**
 * TenantService: a HardenedWorkload with its Service and, when exposed, an Ingress on the ALB IngressClass of
 * its scheme; and the report's load balancer paths, which follow Ingress -> Service -> pods and show a path
 * as blocked when no NetworkPolicy admits the ALB's targets.
 */
import { Chart, Size, Testing } from "cdk8s";
import * as kplus from "cdk8s-plus-33";
import { INGRESS_CLASS_NAMES } from "../../constructs/network/ingress-classes";
import type { TenantServiceProps } from "../../constructs/workload/tenant-service";
import { TENANT_INGRESS_ANNOTATIONS, TenantService } from "../../constructs/workload/tenant-service";
import { loadBalancerPaths } from "../../report/load-balancer-paths";
import { validateKubernetesObject } from "../support/kubernetes-schema";
import type { Manifest } from "../support/repo";
import { findObject } from "../support/repo";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base: TenantServiceProps = {
  name: "api",
  namespace: "shop",
  image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.0.1",
  port: 8443,
  resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(64), limit: Size.gibibytes(1) } },
};
const synth = (props: TenantServiceProps) => {
  const chart = new Chart(Testing.app(), "c", { disableResourceNameHashes: true });
  new TenantService(chart, "svc", props);
  return Testing.synth(chart) as Manifest[];
};

describe("TenantService", () => {
  it("without ingress: the hardened Deployment and its ClusterIP Service, no Ingress", () => {
    const objects = synth(base);
    expect(objects.map((o) => o.kind).sort()).toEqual(["Deployment", "Service"]);
  });

  it("internal: an Ingress on the default class alb, TLS for its host, HTTPS listener only, IP targets, to the Service's port", () => {
    const objects = synth({ ...base, ingress: { host: "api.shop.example.com", path: "/v1" } });
    const ingress = findObject(objects, "Ingress", "shop", "api") as Obj;
    expect(ingress.metadata.annotations).toEqual(TENANT_INGRESS_ANNOTATIONS);
    expect(ingress.spec).toEqual({
      ingressClassName: INGRESS_CLASS_NAMES.internal,
      tls: [{ hosts: ["api.shop.example.com"] }],
      rules: [
        { host: "api.shop.example.com", http: { paths: [{ path: "/v1", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8443 } } } }] } },
      ],
    });
    for (const object of objects) expect([object.kind, validateKubernetesObject(object)]).toEqual([object.kind, []]);
  });

  it("internet-facing names the internet-facing class (whose params admit only the public namespaces)", () => {
    const ingress = findObject(synth({ ...base, ingress: { host: "shop.example.com", scheme: "internet-facing" } }), "Ingress", "shop", "api") as Obj;
    expect(ingress.spec.ingressClassName).toBe(INGRESS_CLASS_NAMES.internetFacing);
    expect(ingress.spec.rules[0].http.paths[0].path).toBe("/");
  });
});

describe("the report's load balancer paths", () => {
  const namespace: Manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };
  const classes: Obj[] = [
    { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name: "alb" }, spec: { scheme: "internal" } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "alb", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
      spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb" } },
    },
  ];
  const grant = (cidr: string, port: number): Manifest => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-alb", namespace: "shop" },
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ ipBlock: { cidr } }], ports: [{ port, protocol: "TCP" }] }],
    },
  });
  const service = synth({ ...base, ingress: { host: "api.shop.example.com" } });
  const paths = (extra: Manifest[]) => loadBalancerPaths([{ name: "c", objects: [namespace, ...classes, ...service, ...extra] }], "10.50.0.0/16");

  it("follows Ingress -> Service -> pods and names the NetworkPolicy admitting the VPC CIDR on the target port", () => {
    expect(paths([grant("10.50.0.0/16", 8443)])).toEqual([
      {
        namespace: "shop",
        ingress: "api",
        ingressClass: "alb",
        scheme: "internal",
        hosts: ["api.shop.example.com"],
        service: "api:8443",
        pods: "8443/TCP on app.kubernetes.io/name=api",
        admittedBy: ["allow-alb"],
      },
    ]);
  });

  it("shows the path blocked without that policy, with it on another port, or for a narrower CIDR", () => {
    for (const extra of [[], [grant("10.50.0.0/16", 9090)], [grant("10.50.1.0/24", 8443)]]) expect(paths(extra)[0].admittedBy).toEqual([]);
  });

  it("an Ingress without a class gets the default class; a class without params has an unknown scheme", () => {
    const unnamed = service.map((o) => (o.kind === "Ingress" ? { ...o, spec: { ...(o.spec as Obj), ingressClassName: undefined } } : o));
    expect(loadBalancerPaths([{ name: "c", objects: [namespace, ...classes, ...unnamed] }], "10.50.0.0/16")[0]).toMatchObject({
      ingressClass: "alb",
      scheme: "internal",
    });
    const bare = [classes[1]].map((c) => ({ ...c, spec: { controller: "ingress.k8s.aws/alb" } }));
    expect(loadBalancerPaths([{ name: "c", objects: [namespace, ...bare, ...service] }], "10.50.0.0/16")[0].scheme).toBe("unknown");
  });
});
