/**
 * lib/nodes: the node role, launch templates and managed node groups (under Pulumi mocks).
 */
import { valueOf } from "./harness";
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, named, policyOf, keyArn } = clusterFixture();

describe("nodes", () => {
  test("launch template: IMDSv2 required with hop limit 1, KMS-encrypted volumes, node SG, no SSH key", async () => {
    await build();
    const template = inputs(mocks.one(T.launchTemplate));
    expect(template.metadataOptions).toMatchObject({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(template.blockDeviceMappings.map((m: { deviceName: string }) => m.deviceName)).toEqual(["/dev/xvda", "/dev/xvdb"]);
    for (const m of template.blockDeviceMappings) expect(m.ebs).toMatchObject({ encrypted: "true", kmsKeyId: keyArn("ebs"), volumeType: "gp3" });
    expect(template.blockDeviceMappings[1].ebs.volumeSize).toBe(50);
    expect(template.vpcSecurityGroupIds).toEqual([named(T.sg, "test-nodes").id]);
    expect(template.keyName).toBeUndefined();
    expect(template.imageId).toBeUndefined();
  });

  test("managed node group: Bottlerocket, the launch template, no remote access, private subnets", async () => {
    await build();
    const group = inputs(mocks.one(T.nodeGroup));
    expect(group.amiType).toBe("BOTTLEROCKET_x86_64");
    expect(group.launchTemplate).toEqual({ id: mocks.one(T.launchTemplate).id, version: "1" });
    expect(group.remoteAccess).toBeUndefined();
    expect(group.scalingConfig).toEqual({ minSize: 3, desiredSize: 3, maxSize: 6 });
    expect(group.version).toBe("1.33");
  });

  test("the node role has only the node policies; the CNI policy is on an IRSA role for kube-system/aws-node", async () => {
    const component = await build();
    const nodeRole = named(T.role, "test-nodes");
    expect(await valueOf(component.nodeRoleArn)).toBe(nodeRole.state.arn);
    const nodePolicies = mocks
      .ofType(T.attachment)
      .filter((a) => a.inputs.role === nodeRole.state.name)
      .map((a) => a.inputs.policyArn);
    expect(nodePolicies.sort()).toEqual(["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]);
    expect(mocks.ofType("aws:iam/rolePolicy:RolePolicy").some((p) => p.inputs.role === nodeRole.id)).toBe(false);
    const cniRole = named(T.role, "test-vpc-cni");
    expect(
      mocks
        .ofType(T.attachment)
        .filter((a) => a.inputs.role === cniRole.state.name)
        .map((a) => a.inputs.policyArn),
    ).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
    const trust = policyOf(cniRole, "assumeRolePolicy");
    const issuerHost = (await valueOf(component.oidcIssuer)).replace("https://", "");
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Federated: mocks.one(T.oidc).state.arn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-node", [`${issuerHost}:aud`]: "sts.amazonaws.com" } },
      }),
    ]);
    expect(named(T.addon, "test-vpc-cni").inputs.serviceAccountRoleArn).toBe(cniRole.state.arn);
  });
});
