/**
 * lib/network: the created or existing VPC, its endpoints, and the security groups (under Pulumi mocks).
 */
import { INTERFACE_ENDPOINT_SERVICES } from "../../lib/network";
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, clusterInputs, named, keyArn } = clusterFixture();

describe("network", () => {
  test("a created VPC spans 3 AZs with private subnets; the cluster and nodes use only those", async () => {
    await build();
    const subnets = mocks.ofType(T.subnet);
    const privateSubnets = subnets.filter((s) => s.name.startsWith("test-private-"));
    expect(privateSubnets).toHaveLength(3);
    expect(new Set(privateSubnets.map((s) => s.inputs.availabilityZone))).toEqual(new Set(["eu-west-1a", "eu-west-1b", "eu-west-1c"]));
    expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    const privateIds = privateSubnets.map((s) => s.id).sort();
    expect([...clusterInputs().vpcConfig.subnetIds].sort()).toEqual(privateIds);
    for (const group of mocks.ofType(T.nodeGroup)) expect([...inputs(group).subnetIds].sort()).toEqual(privateIds);
  });

  test("egress nat: one NAT gateway per AZ, private route tables default to their NAT", async () => {
    await build();
    const nats = mocks.ofType(T.nat);
    expect(nats).toHaveLength(3);
    const publicIds = mocks
      .ofType(T.subnet)
      .filter((s) => s.name.startsWith("test-public-"))
      .map((s) => s.id);
    expect(nats.every((n) => publicIds.includes(String(n.inputs.subnetId)))).toBe(true);
    const privateDefaults = mocks.ofType(T.route).filter((r) => r.name.startsWith("test-private-default-"));
    expect(privateDefaults.map((r) => r.inputs.natGatewayId).sort()).toEqual(nats.map((n) => n.id).sort());
  });

  test("egress vpcEndpointsOnly: no internet gateway, no NAT, no default route; AWS APIs through VPC endpoints", async () => {
    await build({ network: { egress: "vpcEndpointsOnly" } });
    expect(mocks.ofType(T.igw)).toHaveLength(0);
    expect(mocks.ofType(T.nat)).toHaveLength(0);
    expect(mocks.ofType(T.route)).toHaveLength(0);
    const endpoints = mocks.ofType(T.endpoint);
    expect(endpoints.map((e) => e.inputs.serviceName).sort()).toEqual(["s3", ...INTERFACE_ENDPOINT_SERVICES].map((s) => `com.amazonaws.eu-west-1.${s}`).sort());
    for (const e of endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface")) expect(e.inputs.privateDnsEnabled).toBe(true);
    const s3 = endpoints.find((e) => e.inputs.vpcEndpointType === "Gateway");
    expect((s3?.inputs.routeTableIds as string[]).length).toBe(3);
    // The interface endpoints admit 443 from the nodes only.
    const vpceRules = mocks.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === named(T.sg, "test-vpce").id);
    expect(vpceRules.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([[named(T.sg, "test-nodes").id, 443, 443]]);
  });

  test("a created VPC has flow logs of all traffic to a KMS-encrypted log group; its default SG is emptied", async () => {
    await build();
    const flowLog = mocks.one(T.flowLog);
    const group = named(T.logGroup, "test-flow-logs");
    expect(flowLog.inputs).toMatchObject({
      vpcId: mocks.one(T.vpc).id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.state.arn,
    });
    expect(group.inputs.kmsKeyId).toBe(keyArn("logs"));
    expect(group.inputs.retentionInDays).toBe(365);
    const defaultSg = mocks.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(defaultSg.inputs.ingress ?? []).toEqual([]);
    expect(defaultSg.inputs.egress ?? []).toEqual([]);
  });

  test("an existing VPC is used as given: its private subnets, nothing created in it but security groups", async () => {
    const privateSubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
    await build({ network: { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds } });
    expect(mocks.ofType(T.vpc)).toHaveLength(0);
    expect(mocks.ofType(T.subnet)).toHaveLength(0);
    expect(clusterInputs().vpcConfig.subnetIds).toEqual(privateSubnetIds);
    expect(mocks.ofType(T.sg).every((sg) => sg.inputs.vpcId === "vpc-0a1b2c3d4e5f67890")).toBe(true);
    expect(inputs(mocks.one(T.nodeGroup)).subnetIds).toEqual(privateSubnetIds);
  });
});

describe("firewalled control plane", () => {
  const ADMIN_SG = "sg-0123456789abcdef0";
  test("the cluster security group admits 443 only from the node SG and the configured admin CIDRs and SGs", async () => {
    await build({ endpoint: { adminCidrs: ["10.100.0.0/16"], adminSecurityGroupIds: [ADMIN_SG] } });
    const clusterSg = named(T.sg, "test-cluster");
    expect(clusterInputs().vpcConfig.securityGroupIds).toEqual([clusterSg.id]);
    const rules = mocks.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === clusterSg.id);
    const seen = rules.map((r) => ({
      from: String(r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4),
      ports: [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort],
    }));
    expect(seen.sort((a, b) => a.from.localeCompare(b.from))).toEqual(
      [
        { from: named(T.sg, "test-nodes").id, ports: ["tcp", 443, 443] },
        { from: "10.100.0.0/16", ports: ["tcp", 443, 443] },
        { from: ADMIN_SG, ports: ["tcp", 443, 443] },
      ].sort((a, b) => a.from.localeCompare(b.from)),
    );
  });

  test("no security group anywhere admits ingress from the internet, and none has inline rules", async () => {
    await build({ endpoint: { adminCidrs: ["10.100.0.0/16"], publicAccessCidrs: ["198.51.100.0/24"] } });
    const ingress = mocks.ofType(T.ingress);
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) {
      expect([rule.name, rule.inputs.cidrIpv4]).not.toEqual([rule.name, "0.0.0.0/0"]);
      expect([rule.name, rule.inputs.cidrIpv6]).not.toEqual([rule.name, "::/0"]);
      expect(rule.inputs.cidrIpv4 ?? rule.inputs.referencedSecurityGroupId).toBeDefined();
    }
    for (const sg of mocks.ofType(T.sg)) expect(sg.inputs.ingress ?? []).toEqual([]);
  });
});
