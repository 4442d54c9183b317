import CONTROLLER_IAM_POLICY from "../../lib/addons/load-balancer-controller-iam-policy.json";
import { LOAD_BALANCER_CONTROLLER_CHART, controllerTrustPolicy, loadBalancerControllerValues } from "../../lib/addons/load-balancer-controller";
import type { PlannedResource } from "../../lib/plan/engine";
import { planProgram } from "../support/plan";

describe("LoadBalancerController", () => {
  let resources: readonly PlannedResource[];
  const one = (type: string) => {
    const found = resources.filter((r) => r.type === type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  beforeAll(async () => {
    const plan = await planProgram(async () => {
      const k8s = await import("@pulumi/kubernetes");
      const { LoadBalancerController } = await import("../../lib/addons/load-balancer-controller");
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      new LoadBalancerController("lbc", {
        provider,
        clusterName: "bulwark-dev",
        region: "eu-west-1",
        vpcId: "vpc-0123456789abcdef0",
        eksClusterName: "bulwark-dev",
      });
    });
    resources = plan.resources;
  });

  test("a pinned Helm release in kube-system, child of the component, on the cluster's provider, after its IAM is in place", () => {
    const component = one("bulwark:addons:LoadBalancerController");
    const release = one("kubernetes:helm.sh/v3:Release");
    expect(release.parent).toBe(component.urn);
    expect(release.provider).toMatch(/pulumi:providers:kubernetes::cluster$/);
    expect([release.inputs.chart, release.inputs.version, release.inputs.namespace]).toEqual(["aws-load-balancer-controller", "3.5.0", "kube-system"]);
    expect(release.inputs.repositoryOpts).toEqual({ repo: LOAD_BALANCER_CONTROLLER_CHART.repository });
    expect(release.dependsOn).toEqual(
      expect.arrayContaining([one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").urn, one("aws:eks/podIdentityAssociation:PodIdentityAssociation").urn]),
    );
  });

  test("internal by default for Services and Ingresses; every new LoadBalancer Service goes to it; IP targets", () => {
    const values = one("kubernetes:helm.sh/v3:Release").inputs.values as Record<string, unknown>;
    expect(values).toMatchObject({
      enableServiceMutatorWebhook: true,
      defaultLoadBalancerScheme: "internal",
      defaultTargetType: "ip",
      // The IngressClasses are synthesized (AlbIngressClasses), not the chart's; no legacy annotation bypasses them.
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      ingressClass: "alb",
      disableIngressClassAnnotation: true,
      clusterName: "bulwark-dev",
      region: "eu-west-1",
      vpcId: "vpc-0123456789abcdef0",
      replicaCount: 2,
    });
  });

  test("IAM through Pod Identity: only its own service account of this cluster can assume the role", () => {
    const role = one("aws:iam/role:Role");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual(controllerTrustPolicy("bulwark-dev"));
    const statement = controllerTrustPolicy("bulwark-dev").Statement as { Principal: unknown; Condition: { StringEquals: Record<string, string> } }[];
    expect(statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(statement[0].Condition.StringEquals).toEqual({
      "aws:RequestTag/eks-cluster-name": "bulwark-dev",
      "aws:RequestTag/kubernetes-namespace": "kube-system",
      "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
    });
    const association = one("aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(association.inputs).toMatchObject({ clusterName: "bulwark-dev", namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" });
  });

  test("the IAM policy is the controller's upstream least-privilege document, unchanged, and grants no wildcard action and no IAM write but the ELB service-linked role", () => {
    const policy = one("aws:iam/policy:Policy");
    expect(JSON.parse(String(policy.inputs.policy))).toEqual(CONTROLLER_IAM_POLICY);
    const actions = CONTROLLER_IAM_POLICY.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    // IAM: reads of server certificates, and the ELB service-linked role only (conditioned on the service name).
    expect(actions.filter((a) => a.startsWith("iam:") && !/^iam:(Get|List)ServerCertificates?$/.test(a))).toEqual(["iam:CreateServiceLinkedRole"]);
    const linked = CONTROLLER_IAM_POLICY.Statement.find((s) => ([] as string[]).concat(s.Action).includes("iam:CreateServiceLinkedRole")) as
      { Condition?: unknown } | undefined;
    expect(linked?.Condition).toEqual({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
  });

  test("refuses a single replica", () => {
    expect(() => loadBalancerControllerValues({ clusterName: "c", region: "eu-west-1", vpcId: "vpc-1", replicas: 1 })).toThrow(/must be a whole number >= 2/);
  });
});
