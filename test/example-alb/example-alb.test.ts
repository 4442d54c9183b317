/**
 * The acceptance stack of issue 14 (`Pulumi.example-alb.yaml`): a tenant service exposed through an internal
 * ALB. The whole path is synthesized (IngressClass and its params, Ingress, Service, pods, the NetworkPolicy
 * letting the ALB's IP targets in), `check` passes on it, the mock plan applies it in order, and the report
 * shows the path as a way in.
 */
import { loadStackFile } from "../../config/load";
import { INGRESS_CLASSES_CHART, SERVICES_CHART_PREFIX, buildBulwarkApp } from "../../constructs/app";
import { createChecker } from "../../constructs/gatekeeper/check";
import { synthesizeApp } from "../../constructs/synthesize";
import type { Plan } from "../../lib/plan/engine";
import { buildReport } from "../../report";
import { toMarkdown } from "../../report/render";
import { evidenceFromPlan } from "../../stacks/report";
import { planStack } from "../../stacks/plan";
import type { Manifest } from "../support/repo";
import { REPO_ROOT, findObject } from "../support/repo";

const config = loadStackFile("example-alb", REPO_ROOT);
const charts = synthesizeApp(buildBulwarkApp(config));
const objects = charts.flatMap((c) => c.objects) as Manifest[];
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the example-alb stack: a tenant service behind an internal ALB", () => {
  it("synthesizes the whole path: Ingress on the internal class -> Service -> pods, and the NetworkPolicy letting the ALB's targets in", () => {
    const ingress = findObject(objects, "Ingress", "orders", "orders-api") as Obj;
    expect(ingress.spec.ingressClassName).toBe("alb");
    expect(ingress.spec.tls).toEqual([{ hosts: ["orders.internal.example.com"] }]);
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTPS":443}]');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: "orders-api", port: { number: 8080 } });

    const ingressClass = findObject(objects, "IngressClass", undefined, "alb") as Obj;
    expect(findObject(objects, "IngressClassParams", undefined, ingressClass.spec.parameters.name).spec).toMatchObject({ scheme: "internal" });

    const service = findObject(objects, "Service", "orders", backend.name) as Obj;
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
    const deployment = findObject(objects, "Deployment", "orders", "orders-api") as Obj;
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080 }]);

    const admit = findObject(objects, "NetworkPolicy", "orders", "allow-ingress-orders-api-alb") as Obj;
    expect(admit.spec.podSelector.matchLabels).toEqual(service.spec.selector);
    expect(admit.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: config.cluster.network?.vpcCidr } }], ports: [{ port: 8080, protocol: "TCP" }] }]);
    // The namespace's default deny is still there: the grant is the only way in.
    expect(findObject(objects, "NetworkPolicy", "orders", "default-deny-all")).toBeDefined();
    // No internet-facing class: no namespace is public.
    expect(objects.filter((o) => o.kind === "IngressClass").map((o) => o.metadata.name)).toEqual(["alb"]);
  });

  it("passes check: every synthesized object, through the stack's own constraints", () => {
    const checker = createChecker({ config });
    const report = checker.checkObjects(objects.map((object, i) => ({ object, file: "example-alb", document: i + 1, line: 1 })));
    expect(report.results.flatMap((r) => r.violations.map((v) => `${r.kind} ${r.name}: ${v.policy}: ${v.message}`))).toEqual([]);
    expect(report.summary).toMatchObject({ objects: objects.length, deny: 0, warn: 0, dryrun: 0, unchecked: 0 });
  });

  describe("plan (mock) and report", () => {
    let plan: Plan;
    beforeAll(async () => {
      plan = await planStack("example-alb", REPO_ROOT);
    }, 240_000);

    it("applies the service after the constraints and the IngressClasses, on the cluster's provider", () => {
      const one = (type: string, name: string) => {
        const found = plan.resources.filter((r) => r.type === type && r.name.endsWith(name));
        if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
        return found[0];
      };
      const ingress = one("kubernetes:networking.k8s.io/v1:Ingress", "orders/orders-api");
      expect(ingress.name).toBe(`${SERVICES_CHART_PREFIX}orders-orders/orders-api`);
      const ingressClass = one("kubernetes:networking.k8s.io/v1:IngressClass", "alb");
      expect(ingressClass.name.startsWith(INGRESS_CLASSES_CHART)).toBe(true);
      const constraints = plan.resources.filter((r) => r.type.startsWith("kubernetes:constraints.gatekeeper.sh/"));
      expect(constraints.length).toBeGreaterThan(30);
      expect(ingress.dependsOn).toEqual(expect.arrayContaining([ingressClass.urn, ...constraints.map((c) => c.urn)]));
      const release = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "aws-load-balancer-controller");
      expect(ingressClass.dependsOn).toContain(release?.urn);
      expect(ingress.provider).toBe(ingressClass.provider);
    });

    it("the report shows the path: internal ALB -> Ingress -> Service -> pods, admitted by the grant's NetworkPolicy", () => {
      const data = buildReport(evidenceFromPlan(config, plan, charts));
      expect(data.network.loadBalancers).toEqual([
        {
          namespace: "orders",
          ingress: "orders-api",
          ingressClass: "alb",
          scheme: "internal",
          hosts: ["orders.internal.example.com"],
          service: "orders-api:8080",
          pods: "8080/TCP on app.kubernetes.io/name=orders-api",
          admittedBy: ["allow-ingress-orders-api-alb"],
        },
      ]);
      const markdown = toMarkdown(data);
      expect(markdown).toContain(
        "| internal (IngressClass alb) | orders.internal.example.com | orders/orders-api | orders-api:8080 | 8080/TCP on app.kubernetes.io/name=orders-api | NetworkPolicy/allow-ingress-orders-api-alb |",
      );
      expect(markdown).toContain('alb_alb["internal ALB (IngressClass alb)"]');
      expect(data.results.filter((r) => r.status === "missing").map((r) => `${r.control.id}: ${r.detail ?? ""}`)).toEqual([]);
    });
  });
});
