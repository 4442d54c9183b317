/**
 * lib/addons: the pinned managed add-ons and their IRSA roles (under Pulumi mocks).
 */
import { networkPolicyLogsPolicy, policyEventLogGroupName } from "../../lib/addons";
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, clusterInputs, named, policyOf, keyArn } = clusterFixture();

describe("add-ons", () => {
  test("five managed add-ons, versions pinned; vpc-cni enforces NetworkPolicies", async () => {
    await build();
    const addons = Object.fromEntries(mocks.ofType(T.addon).map((a) => [String(a.inputs.addonName), inputs(a)]));
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const addon of Object.values(addons)) expect(addon.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    expect(addons["kube-proxy"].addonVersion).toMatch(/^v1\.33\./);
    expect(JSON.parse(String(addons["vpc-cni"].configurationValues))).toEqual({
      enableNetworkPolicy: "true",
      nodeAgent: { enablePolicyEventLogs: "true", enableCloudWatchLogs: "true" },
    });
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

  test("network policy event logs (denied flows) go to the encrypted, retained, protected control-plane log group, and the CNI role may write only there", async () => {
    await build();
    const group = mocks.one(T.logGroup, "test-cluster-logs");
    // The node agent derives its group from the cluster name; it must be the group Bulwark manages.
    expect(group.inputs.name).toBe(policyEventLogGroupName(String(clusterInputs().name)));
    expect(group.inputs.kmsKeyId).toBe(keyArn("logs"));
    expect(group.inputs.retentionInDays).toBe(365);
    expect(group.options.protect).toBe(true);
    const policy = named("aws:iam/rolePolicy:RolePolicy", "test-vpc-cni-policy-event-logs");
    expect(policy.inputs.role).toBe(named(T.role, "test-vpc-cni").id);
    const groupArn = String(group.state.arn);
    expect(policyOf(policy).Statement).toEqual([
      { Sid: "FindTheLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: groupArn.replace(/log-group:.*$/, "log-group:*") },
      { Sid: "EnsureTheLogGroup", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: groupArn },
      { Sid: "WritePolicyEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [groupArn, `${groupArn}:*`] },
    ]);
    // Nothing else: no wildcard action, no other group, no KMS use (CloudWatch Logs uses the key itself).
    for (const s of policyOf(policy).Statement) {
      for (const action of [s.Action].flat()) expect(action).toMatch(/^logs:[A-Za-z]+$/);
    }
  });

  test("the log policy refuses anything but a log group ARN", () => {
    expect(() => networkPolicyLogsPolicy("arn:aws:s3:::bucket")).toThrow(/is not a CloudWatch Logs log group ARN/);
    expect(networkPolicyLogsPolicy("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/x/cluster").Statement[0].Resource).toBe(
      "arn:aws:logs:eu-west-1:123456789012:log-group:*",
    );
  });
});
