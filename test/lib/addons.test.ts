/**
 * lib/addons: the pinned managed add-ons and their IRSA roles (under Pulumi mocks).
 */
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, clusterInputs, named, policyOf, keyArn } = clusterFixture();

describe("add-ons", () => {
  test("five managed add-ons, versions pinned; vpc-cni enforces NetworkPolicies", async () => {
    await build();
    const addons = Object.fromEntries(mocks.ofType(T.addon).map((a) => [String(a.inputs.addonName), inputs(a)]));
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const addon of Object.values(addons)) expect(addon.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    expect(addons["kube-proxy"].addonVersion).toMatch(/^v1\.33\./);
    expect(JSON.parse(String(addons["vpc-cni"].configurationValues))).toEqual({ enableNetworkPolicy: "true" });
    expect(clusterInputs().bootstrapSelfManagedAddons).toBe(false);
  });

  test("networking add-ons come before the nodes, coredns and the EBS CSI driver after", async () => {
    await build();
    const group = mocks.one(T.nodeGroup);
    expect(group.options.dependsOn).toContain(named(T.addon, "test-vpc-cni").urn);
    expect(named(T.addon, "test-coredns").options.dependsOn).toContain(group.urn);
  });

  test("the EBS CSI driver runs with its own IRSA role that may use the node-volume key", async () => {
    await build();
    const role = named(T.role, "test-aws-ebs-csi-driver");
    expect(named(T.addon, "test-aws-ebs-csi-driver").inputs.serviceAccountRoleArn).toBe(role.state.arn);
    const keyPolicy = policyOf(named("aws:iam/rolePolicy:RolePolicy", "test-aws-ebs-csi-driver-key"));
    expect(keyPolicy.Statement.every((s) => s.Resource === keyArn("ebs"))).toBe(true);
  });

});
