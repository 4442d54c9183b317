import { Chart, Testing } from "cdk8s";
import { parseStackYaml } from "../../config/load";
import { WorkloadIdentityAccess } from "../../constructs/baseline/workload-identity";
import type { PlannedResource } from "../../lib/plan/engine";
import { planProgram } from "../support/plan";
import { REPO_ROOT, configProblemsOf, findObject, synthObjects } from "../support/repo";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
const withIdentities = (identities: string) =>
  DEV_YAML.replace("  bulwark:tenants:\n    - name: payments\n", `  bulwark:tenants:\n    - name: payments\n      workloadIdentities: ${identities}\n`);

describe("TenantWorkloadIdentity: an IAM role only one service account of this cluster can assume", () => {
  let resources: readonly PlannedResource[];
  beforeAll(async () => {
    const plan = await planProgram(async () => {
      const { TenantWorkloadIdentity } = await import("../../lib/addons/tenant-workload-identity");
      new TenantWorkloadIdentity("payments-api", {
        clusterName: "bulwark-dev",
        eksClusterName: "bulwark-dev",
        namespace: "payments",
        serviceAccount: "api",
        managedPolicyArns: ["arn:aws:iam::123456789012:policy/payments-s3-read"],
      });
    });
    resources = plan.resources;
  });

  test("trust: EKS Pod Identity, for the namespace and service account of this cluster only", () => {
    const role = resources.find((r) => r.type === "aws:iam/role:Role") as PlannedResource;
    expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": "bulwark-dev",
            "aws:RequestTag/kubernetes-namespace": "payments",
            "aws:RequestTag/kubernetes-service-account": "api",
          },
        },
      },
    ]);
  });

  test("permissions: the listed managed policies, and the association after them", () => {
    const attachments = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::123456789012:policy/payments-s3-read"]);
    const association = resources.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation") as PlannedResource;
    expect(association.inputs).toMatchObject({ namespace: "payments", serviceAccount: "api" });
    expect(association.dependsOn).toEqual(attachments.map((a) => a.urn));
  });
});

describe("tenants[].workloadIdentities in the tenant baseline", () => {
  const objects = synthObjects(
    parseStackYaml("dev", withIdentities('[{ name: api, managedPolicyArns: ["arn:aws:iam::123456789012:policy/payments-s3-read"] }]'), "Pulumi.dev.yaml"),
  );

  test("a service account without a mounted API token, and agent egress only for the pods labelled with it", () => {
    expect(findObject(objects, "ServiceAccount", "payments", "api")).toMatchObject({ automountServiceAccountToken: false });
    const policy = findObject(objects, "NetworkPolicy", "payments", "allow-pod-identity-api");
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { "bulwark.dev/workload-identity": "api" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "169.254.170.23/32" } }, { ipBlock: { cidr: "fd00:ec2::23/128" } }], ports: [{ port: 80, protocol: "TCP" }] }],
    });
  });

  test.each([
    ["AdministratorAccess", '[{ name: api, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }]', /must not be AdministratorAccess/],
    ["no policy", "[{ name: api, managedPolicyArns: [] }]", /at least one managed policy/],
    ["the default service account", '[{ name: default, managedPolicyArns: ["arn:aws:iam::123456789012:policy/p"] }]', /default service account/],
    ["a role ARN instead of a policy", '[{ name: api, managedPolicyArns: ["arn:aws:iam::123456789012:role/p"] }]', /managed policy ARN/],
  ])("refuses %s", (_what, identities, message) => {
    expect(configProblemsOf(withIdentities(identities))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(message), line: expect.any(Number) }),
    ]);
  });

  test("the construct refuses the default service account too", () => {
    expect(() => new WorkloadIdentityAccess(new Chart(Testing.app(), "c"), "w", { namespace: "payments", serviceAccountName: "default" })).toThrow(/every pod/);
  });
});
