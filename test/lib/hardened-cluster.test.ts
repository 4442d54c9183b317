/**
 * One test per control of HardenedEksCluster, asserting on the inputs and options of the resources it registers
 * under Pulumi's mocks (test/lib/harness.ts).
 */
import type { RecordedResource } from "./harness";
import { installMocks, isSecretOutput, valueOf, withoutSourcePositions } from "./harness";
import { ConfigError } from "../../config/errors";
import { loadStackFile } from "../../config/load";
import { parseStackConfig } from "../../config/model";
import { tenantTierGroup } from "../../config/tenants";
import type { HardenedEksClusterArgs } from "../../lib/cluster";
import {
  CONTROL_PLANE_LOG_TYPES,
  HardenedClusterArgumentError,
  HardenedEksCluster,
  INTERFACE_ENDPOINT_SERVICES,
  hardenedClusterArgsFromConfig,
  resolveHardenedClusterSettings,
} from "../../lib/cluster";
import type { PolicyDocument } from "../../lib/cluster";
import { REPO_ROOT } from "../support/repo";

const mocks = installMocks();

const T = {
  cluster: "aws:eks/cluster:Cluster",
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  subnet: "aws:ec2/subnet:Subnet",
  route: "aws:ec2/route:Route",
  nat: "aws:ec2/natGateway:NatGateway",
  igw: "aws:ec2/internetGateway:InternetGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  vpc: "aws:ec2/vpc:Vpc",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  idp: "aws:eks/identityProviderConfig:IdentityProviderConfig",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  addon: "aws:eks/addon:Addon",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  detector: "aws:guardduty/detector:Detector",
  feature: "aws:guardduty/detectorFeature:DetectorFeature",
  ecr: "aws:ecr/repository:Repository",
} as const;

const BASE: HardenedEksClusterArgs = { clusterName: "bulwark-test", kubernetesVersion: "1.33", region: "eu-west-1" };
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

async function build(args: HardenedEksClusterArgs = BASE, name = "test"): Promise<HardenedEksCluster> {
  mocks.reset();
  const component = withoutSourcePositions(() => new HardenedEksCluster(name, args));
  await mocks.settle();
  return component;
}

const inputs = (r: RecordedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clusterInputs = () => inputs(mocks.one(T.cluster));
const named = (type: string, name: string) => mocks.one(type, name);
const policyOf = (r: RecordedResource, key = "policy") => JSON.parse(String(r.inputs[key])) as PolicyDocument;
const keyArn = (purpose: string) => String(named(T.key, `test-${purpose}`).state.arn);

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
    const publicIds = mocks.ofType(T.subnet).filter((s) => s.name.startsWith("test-public-")).map((s) => s.id);
    expect(nats.every((n) => publicIds.includes(String(n.inputs.subnetId)))).toBe(true);
    const privateDefaults = mocks.ofType(T.route).filter((r) => r.name.startsWith("test-private-default-"));
    expect(privateDefaults.map((r) => r.inputs.natGatewayId).sort()).toEqual(nats.map((n) => n.id).sort());
  });

  test("egress vpcEndpointsOnly: no internet gateway, no NAT, no default route; AWS APIs through VPC endpoints", async () => {
    await build({ ...BASE, network: { egress: "vpcEndpointsOnly" } });
    expect(mocks.ofType(T.igw)).toHaveLength(0);
    expect(mocks.ofType(T.nat)).toHaveLength(0);
    expect(mocks.ofType(T.route)).toHaveLength(0);
    const endpoints = mocks.ofType(T.endpoint);
    expect(endpoints.map((e) => e.inputs.serviceName).sort()).toEqual(
      ["s3", ...INTERFACE_ENDPOINT_SERVICES].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
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
    expect(flowLog.inputs).toMatchObject({ vpcId: mocks.one(T.vpc).id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: group.state.arn });
    expect(group.inputs.kmsKeyId).toBe(keyArn("logs"));
    expect(group.inputs.retentionInDays).toBe(365);
    const defaultSg = mocks.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(defaultSg.inputs.ingress ?? []).toEqual([]);
    expect(defaultSg.inputs.egress ?? []).toEqual([]);
  });

  test("an existing VPC is used as given: its private subnets, nothing created in it but security groups", async () => {
    const privateSubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
    await build({ ...BASE, network: { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds } });
    expect(mocks.ofType(T.vpc)).toHaveLength(0);
    expect(mocks.ofType(T.subnet)).toHaveLength(0);
    expect(clusterInputs().vpcConfig.subnetIds).toEqual(privateSubnetIds);
    expect(mocks.ofType(T.sg).every((sg) => sg.inputs.vpcId === "vpc-0a1b2c3d4e5f67890")).toBe(true);
    expect(inputs(mocks.one(T.nodeGroup)).subnetIds).toEqual(privateSubnetIds);
  });
});

describe("control plane endpoint", () => {
  test("private access on, public access off by default", async () => {
    await build();
    const vpc = clusterInputs().vpcConfig;
    expect(vpc.endpointPrivateAccess).toBe(true);
    expect(vpc.endpointPublicAccess).toBe(false);
    expect(vpc.publicAccessCidrs).toBeUndefined();
  });

  test("public access only for a non-empty CIDR list, and exactly that list", async () => {
    await build({ ...BASE, endpoint: { publicAccessCidrs: ["198.51.100.0/24", "203.0.113.7/32"] } });
    const vpc = clusterInputs().vpcConfig;
    expect(vpc).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24", "203.0.113.7/32"] });
    await build({ ...BASE, endpoint: { publicAccessCidrs: [] } });
    expect(clusterInputs().vpcConfig.endpointPublicAccess).toBe(false);
  });

  test.each([
    ["0.0.0.0/0", "whole internet"],
    ["::/0", "whole internet"],
    ["0.0.0.0/1", "broader than /8"],
    ["128.0.0.0/4", "broader than /8"],
    ["2000::/3", "broader than /32"],
  ])("the public endpoint is never opened to %s, and nothing is registered", (cidr, message) => {
    mocks.reset();
    expect(() => new HardenedEksCluster("test", { ...BASE, endpoint: { publicAccessCidrs: ["198.51.100.0/24", cidr] } })).toThrow(
      expect.objectContaining({ argument: "endpoint.publicAccessCidrs[1]", value: cidr, message: expect.stringContaining(message) }),
    );
    expect(mocks.resources).toHaveLength(0);
  });

  test("no argument list can open the public endpoint to the world: random CIDR lists either fail or stay narrow", () => {
    let accepted = 0;
    for (const cidrs of randomCidrLists(400)) {
      let settings;
      try {
        settings = resolveHardenedClusterSettings("fuzz", { ...BASE, endpoint: { publicAccessCidrs: cidrs } });
      } catch (error) {
        expect(error).toBeInstanceOf(HardenedClusterArgumentError);
        continue;
      }
      accepted++;
      expect(coveredIpv4(settings.publicAccessCidrs)).toBeLessThanOrEqual(2 ** 24);
      expect(settings.publicAccessCidrs.every((c) => Number(c.split("/")[1]) >= 8)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(10);
    // 256 /8 networks would cover the whole IPv4 space: refused as a whole.
    const allSlash8 = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);
    expect(() => resolveHardenedClusterSettings("all", { ...BASE, endpoint: { publicAccessCidrs: allSlash8 } })).toThrow(/more than one \/8/);
  });

  test("no stack config can open the public endpoint to the world: the loader refuses the same lists", () => {
    const config = loadStackFile("dev", REPO_ROOT);
    const entries = (cidrs: string[]) => ({
      "aws:region": config.region,
      "bulwark:cluster": { name: "bulwark-dev", kubernetesVersion: "1.33", endpoint: { publicAccessCidrs: cidrs } },
      "bulwark:tenants": [{ name: "web", owner: "team-web", groups: {} }],
      "bulwark:policy": { allowedRegistries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"] },
    });
    let accepted = 0;
    for (const cidrs of [...randomCidrLists(400), ["0.0.0.0/0"], ["::/0"], Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)]) {
      let parsed;
      try {
        parsed = parseStackConfig("fuzz", entries(cidrs));
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        continue;
      }
      accepted++;
      const published = resolveHardenedClusterSettings("fuzz", hardenedClusterArgsFromConfig(parsed)).publicAccessCidrs;
      expect(coveredIpv4(published)).toBeLessThanOrEqual(2 ** 24);
    }
    expect(accepted).toBeGreaterThan(10);
  });
});

/** Seeded random lists of canonical IPv4 CIDRs of any prefix length (the same lists every run). */
function randomCidrLists(count: number): string[][] {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const randomCidr = () => {
    const prefix = Math.floor(next() * 33);
    const value = Math.floor(next() * 2 ** 32);
    const network = prefix === 0 ? 0 : value - (value % 2 ** (32 - prefix));
    return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${prefix}`;
  };
  return Array.from({ length: count }, () => [...new Set(Array.from({ length: 1 + Math.floor(next() * (next() < 0.5 ? 4 : 300)) }, randomCidr))]);
}

function coveredIpv4(cidrs: readonly string[]): number {
  return cidrs.reduce((sum, c) => sum + 2 ** (32 - Number(c.split("/")[1])), 0);
}

describe("firewalled control plane", () => {
  const ADMIN_SG = "sg-0123456789abcdef0";
  test("the cluster security group admits 443 only from the node SG and the configured admin CIDRs and SGs", async () => {
    await build({ ...BASE, endpoint: { adminCidrs: ["10.100.0.0/16"], adminSecurityGroupIds: [ADMIN_SG] } });
    const clusterSg = named(T.sg, "test-cluster");
    expect(clusterInputs().vpcConfig.securityGroupIds).toEqual([clusterSg.id]);
    const rules = mocks.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === clusterSg.id);
    const seen = rules.map((r) => ({ from: String(r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4), ports: [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort] }));
    expect(seen.sort((a, b) => a.from.localeCompare(b.from))).toEqual(
      [
        { from: named(T.sg, "test-nodes").id, ports: ["tcp", 443, 443] },
        { from: "10.100.0.0/16", ports: ["tcp", 443, 443] },
        { from: ADMIN_SG, ports: ["tcp", 443, 443] },
      ].sort((a, b) => a.from.localeCompare(b.from)),
    );
  });

  test("no security group anywhere admits ingress from the internet, and none has inline rules", async () => {
    await build({ ...BASE, endpoint: { adminCidrs: ["10.100.0.0/16"], publicAccessCidrs: ["198.51.100.0/24"] } });
    const ingress = mocks.ofType(T.ingress);
    expect(ingress.length).toBeGreaterThan(0);
    for (const rule of ingress) {
      expect([rule.name, rule.inputs.cidrIpv4]).not.toEqual([rule.name, "0.0.0.0/0"]);
      expect([rule.name, rule.inputs.cidrIpv6]).not.toEqual([rule.name, "::/0"]);
      expect(rule.inputs.cidrIpv4 ?? rule.inputs.referencedSecurityGroupId).toBeDefined();
    }
    for (const sg of mocks.ofType(T.sg)) expect(sg.inputs.ingress ?? []).toEqual([]);
  });

  test("admin CIDRs open to the world are rejected", () => {
    expect(() => new HardenedEksCluster("test", { ...BASE, endpoint: { adminCidrs: ["0.0.0.0/0"] } })).toThrow(
      expect.objectContaining({ argument: "endpoint.adminCidrs[0]" }),
    );
  });
});

describe("KMS", () => {
  test("one customer-managed key per purpose, rotated, 30-day deletion window, each used for its purpose", async () => {
    await build();
    const keys = mocks.ofType(T.key);
    expect(keys.map((k) => k.name).sort()).toEqual(["test-ebs", "test-logs", "test-secrets"]);
    for (const k of keys) expect(k.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, bypassPolicyLockoutSafetyCheck: false });
    expect(clusterInputs().encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: keyArn("secrets") } });
    expect(named(T.logGroup, "test-cluster-logs").inputs.kmsKeyId).toBe(keyArn("logs"));
    for (const mapping of inputs(mocks.one(T.launchTemplate)).blockDeviceMappings) expect(mapping.ebs.kmsKeyId).toBe(keyArn("ebs"));
  });

  test("key policies keep the account root in control, never name Principal * and give admins no data access", async () => {
    await build({ ...BASE, kmsKeyAdministrators: ["arn:aws:iam::123456789012:role/key-admin"] });
    for (const k of mocks.ofType(T.key)) {
      const policy = policyOf(k);
      expect(policy.Statement[0]).toMatchObject({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*" });
      for (const statement of policy.Statement) {
        expect(JSON.stringify(statement.Principal)).not.toMatch(/"\*"/);
        if (statement.Principal?.Service) expect(statement.Condition).toBeDefined();
      }
      const admins = policy.Statement.find((s) => s.Sid === "KeyAdministratorsManageButDoNotUse");
      expect(admins?.Principal?.AWS).toEqual(["arn:aws:iam::123456789012:role/key-admin"]);
      expect((admins?.Action as string[]).some((a) => /Encrypt|Decrypt|GenerateDataKey/.test(a))).toBe(false);
    }
    const logsPolicy = policyOf(named(T.key, "test-logs"));
    expect(logsPolicy.Statement.find((s) => s.Principal?.Service)?.Condition).toEqual({
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" },
    });
  });

  test("the cluster role may use the Secrets key and only that key", async () => {
    await build();
    const policy = policyOf(named("aws:iam/rolePolicy:RolePolicy", "test-cluster-secrets-key"));
    expect(policy.Statement).toEqual([expect.objectContaining({ Resource: keyArn("secrets"), Action: expect.arrayContaining(["kms:Encrypt", "kms:Decrypt"]) })]);
  });

  test.each([[6], [31], [7.5]])("a deletion window of %p days is rejected", (days) => {
    expect(() => new HardenedEksCluster("test", { ...BASE, kmsDeletionWindowInDays: days })).toThrow(expect.objectContaining({ argument: "kmsDeletionWindowInDays", value: days }));
  });
});

describe("audit logging", () => {
  test("all five control-plane log types go to /aws/eks/<cluster>/cluster, created first, KMS-encrypted, 365 days", async () => {
    await build();
    expect(clusterInputs().enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    const group = named(T.logGroup, "test-cluster-logs");
    expect(group.inputs).toMatchObject({ name: "/aws/eks/bulwark-test/cluster", kmsKeyId: keyArn("logs"), retentionInDays: 365 });
    expect(mocks.one(T.cluster).options.dependsOn).toContain(group.urn);
  });

  test("retention is configurable; below 90 days or not a CloudWatch value is rejected", async () => {
    await build({ ...BASE, logRetentionInDays: 731 });
    expect(named(T.logGroup, "test-cluster-logs").inputs.retentionInDays).toBe(731);
    for (const days of [30, 89, 100]) {
      expect(() => new HardenedEksCluster("test", { ...BASE, logRetentionInDays: days })).toThrow(expect.objectContaining({ argument: "logRetentionInDays", value: days }));
    }
  });
});

describe("access", () => {
  const tenantArgs: HardenedEksClusterArgs = {
    ...BASE,
    adminPrincipals: [ADMIN],
    tenantAccess: [
      { namespace: "payments", tier: "edit", principalArns: ["arn:aws:iam::123456789012:role/payments-ci"], kubernetesGroup: tenantTierGroup("payments", "edit") },
      { namespace: "web", tier: "edit", principalArns: ["arn:aws:iam::123456789012:role/payments-ci"], kubernetesGroup: tenantTierGroup("web", "edit") },
      { namespace: "web", tier: "view", principalArns: ["arn:aws:iam::123456789012:user/auditor"], kubernetesGroup: tenantTierGroup("web", "view") },
    ],
  };

  test("API authentication only, no implicit admin for the cluster creator", async () => {
    await build();
    expect(clusterInputs().accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
    expect(mocks.ofType(T.accessEntry)).toHaveLength(0);
  });

  test("admin principals get a cluster-scoped AmazonEKSClusterAdminPolicy association", async () => {
    await build(tenantArgs);
    const entry = mocks.ofType(T.accessEntry).find((e) => e.inputs.principalArn === ADMIN);
    expect(entry?.inputs).toMatchObject({ clusterName: "bulwark-test", type: "STANDARD" });
    expect(entry?.inputs.kubernetesGroups).toBeUndefined();
    const associations = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === ADMIN);
    expect(associations.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
    ]);
  });

  test("tenant principals get namespace-scoped access in their tier's Kubernetes group, one entry per principal", async () => {
    await build(tenantArgs);
    const ci = mocks.ofType(T.accessEntry).filter((e) => e.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-ci");
    expect(ci).toHaveLength(1);
    expect(ci[0].inputs.kubernetesGroups).toEqual(["bulwark:payments:edit", "bulwark:web:edit"]);
    const ciAssociations = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-ci");
    expect(ciAssociations.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      // Read-only association; edit rights come from the tenant Role bound to bulwark:<tenant>:edit.
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "namespace", namespaces: ["payments", "web"] }],
    ]);
    const auditor = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === "arn:aws:iam::123456789012:user/auditor");
    expect(auditor.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "namespace", namespaces: ["web"] }],
    ]);
    expect(mocks.ofType(T.association).every((a) => inputs(a).accessScope.type === "namespace" || a.inputs.principalArn === ADMIN)).toBe(true);
    // No tenant principal gets an EKS policy that writes, execs or reads Secrets beyond its RBAC.
    const tenantPolicies = mocks.ofType(T.association).filter((a) => a.inputs.principalArn !== ADMIN).map((a) => a.inputs.policyArn);
    expect(new Set(tenantPolicies)).toEqual(new Set(["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"]));
  });

  test("the company IdP is configured from identityProvider with the default claims and prefixes", async () => {
    await build({ ...BASE, identityProvider: { issuerUrl: "https://idp.example.com", clientId: "bulwark" } });
    expect(inputs(mocks.one(T.idp)).oidc).toEqual({
      identityProviderConfigName: "company-idp",
      issuerUrl: "https://idp.example.com",
      clientId: "bulwark",
      usernameClaim: "email",
      groupsClaim: "groups",
      usernamePrefix: "oidc:",
      groupsPrefix: "oidc:",
    });
    await build();
    expect(mocks.ofType(T.idp)).toHaveLength(0);
  });

  test("an IAM OIDC provider trusts the cluster's issuer for STS (IRSA), and the Pod Identity agent runs", async () => {
    const component = await build();
    const issuer = await valueOf(component.oidcIssuer);
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(mocks.one(T.oidc).inputs).toMatchObject({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    expect(named(T.addon, "test-eks-pod-identity-agent").inputs.addonName).toBe("eks-pod-identity-agent");
  });
});

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
    const nodePolicies = mocks.ofType(T.attachment).filter((a) => a.inputs.role === nodeRole.state.name).map((a) => a.inputs.policyArn);
    expect(nodePolicies.sort()).toEqual(["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]);
    expect(mocks.ofType("aws:iam/rolePolicy:RolePolicy").some((p) => p.inputs.role === nodeRole.id)).toBe(false);
    const cniRole = named(T.role, "test-vpc-cni");
    expect(mocks.ofType(T.attachment).filter((a) => a.inputs.role === cniRole.state.name).map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
    const trust = policyOf(cniRole, "assumeRolePolicy");
    const issuerHost = (await valueOf(component.oidcIssuer)).replace("https://", "");
    expect(trust.Statement).toEqual([expect.objectContaining({
      Principal: { Federated: mocks.one(T.oidc).state.arn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-node", [`${issuerHost}:aud`]: "sts.amazonaws.com" } },
    })]);
    expect(named(T.addon, "test-vpc-cni").inputs.serviceAccountRoleArn).toBe(cniRole.state.arn);
  });

  test("only Bottlerocket AMI types are accepted", () => {
    expect(() => new HardenedEksCluster("test", { ...BASE, nodeGroups: [{ name: "al2", amiType: "AL2023_x86_64_STANDARD" as never }] })).toThrow(
      expect.objectContaining({ argument: "nodeGroups[0].amiType", value: "AL2023_x86_64_STANDARD" }),
    );
  });
});

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

  test("a pin whose kube-proxy does not match the Kubernetes version is rejected", () => {
    expect(() => new HardenedEksCluster("test", { ...BASE, addonVersions: { kubeProxy: "v1.32.0-eksbuild.1" } })).toThrow(
      expect.objectContaining({ argument: "addonVersions.kubeProxy", value: "v1.32.0-eksbuild.1" }),
    );
  });
});

describe("version and safety", () => {
  test("upgrade policy STANDARD and EKS deletion protection by default", async () => {
    await build();
    expect(clusterInputs()).toMatchObject({ version: "1.33", upgradePolicy: { supportType: "STANDARD" }, deletionProtection: true });
  });

  test("the cluster, the KMS keys and the audit log group are protected and retained on delete", async () => {
    await build();
    const guarded = [mocks.one(T.cluster), ...mocks.ofType(T.key), named(T.logGroup, "test-cluster-logs")];
    expect(guarded).toHaveLength(5);
    for (const r of guarded) expect([r.name, r.options.protect, r.options.retainOnDelete]).toEqual([r.name, true, true]);
  });

  test("acceptDataLossOnDestroy is the one, explicit opt-out", async () => {
    await build({ ...BASE, acceptDataLossOnDestroy: true });
    expect(clusterInputs().deletionProtection).toBe(false);
    for (const r of [mocks.one(T.cluster), ...mocks.ofType(T.key)]) expect([r.options.protect, r.options.retainOnDelete]).toEqual([false, false]);
  });

  test.each([["1.32"], ["1.27"], ["1.33.1"]])("Kubernetes %s is rejected", (version) => {
    expect(() => new HardenedEksCluster("test", { ...BASE, kubernetesVersion: version })).toThrow(
      expect.objectContaining({ argument: "kubernetesVersion", value: version, message: expect.stringContaining("1.33, 1.34") }),
    );
  });
});

describe("optional controls", () => {
  test("GuardDuty: EKS audit-log and runtime monitoring with the managed agent", async () => {
    await build({ ...BASE, guardDuty: { enabled: true } });
    const detector = mocks.one(T.detector);
    const features = Object.fromEntries(mocks.ofType(T.feature).map((f) => [f.inputs.name, f.inputs]));
    expect(features.EKS_AUDIT_LOGS).toMatchObject({ detectorId: detector.id, status: "ENABLED" });
    expect(features.RUNTIME_MONITORING).toMatchObject({ detectorId: detector.id, status: "ENABLED", additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }] });
    await build({ ...BASE, guardDuty: { enabled: true, detectorId: "0123456789abcdef0123456789abcdef" } });
    expect(mocks.ofType(T.detector)).toHaveLength(0);
    expect(mocks.ofType(T.feature).every((f) => f.inputs.detectorId === "0123456789abcdef0123456789abcdef")).toBe(true);
    await build();
    expect(mocks.ofType(T.feature)).toHaveLength(0);
  });

  test("ECR repositories: scan on push, immutable tags, encrypted with their own KMS key", async () => {
    await build({ ...BASE, ecrRepositories: ["payments/api"] });
    const repo = mocks.one(T.ecr);
    expect(repo.inputs).toMatchObject({
      name: "payments/api",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keyArn("ecr") }],
    });
    expect(named(T.key, "test-ecr").inputs.enableKeyRotation).toBe(true);
  });
});

describe("interface", () => {
  test("every child is parented to the component and named after it", async () => {
    await build();
    const component = mocks.one("bulwark:eks:HardenedCluster", "test");
    const children = mocks.resources.filter((r) => r !== component);
    expect(children.length).toBeGreaterThan(50);
    for (const child of children) {
      expect([child.name, child.parent]).toEqual([child.name, component.urn]);
      expect(child.name.startsWith("test-")).toBe(true);
    }
  });

  test("outputs: name, endpoint, CA, OIDC issuer, security groups, node role, and a secret kubeconfig using aws eks get-token", async () => {
    const component = await build();
    const cluster = mocks.one(T.cluster);
    expect(await valueOf(component.clusterName)).toBe("bulwark-test");
    expect(await valueOf(component.endpoint)).toBe(cluster.state.endpoint);
    expect(await valueOf(component.certificateAuthority)).toBe((cluster.state.certificateAuthority as { data: string }).data);
    expect(await valueOf(component.clusterSecurityGroupId)).toBe(named(T.sg, "test-cluster").id);
    expect(await valueOf(component.nodeSecurityGroupId)).toBe(named(T.sg, "test-nodes").id);
    expect(await valueOf(component.eksManagedSecurityGroupId)).toMatch(/^sg-/);
    expect(await isSecretOutput(component.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await valueOf(component.kubeconfig));
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: cluster.state.endpoint, "certificate-authority-data": (cluster.state.certificateAuthority as { data: string }).data });
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "aws", args: ["eks", "get-token", "--cluster-name", "bulwark-test", "--region", "eu-west-1", "--output", "json"] });
    // No credential in the file: the user entry is the exec plugin only.
    expect(Object.keys(kubeconfig.users[0].user)).toEqual(["exec"]);
  });

  test("a bad argument throws before anything is registered, naming the argument, value and fix", async () => {
    mocks.reset();
    expect(() => new HardenedEksCluster("test", { ...BASE, clusterName: "bad name" })).toThrow(
      'bulwark:eks:HardenedCluster "test": argument clusterName = "bad name": must be an EKS cluster name',
    );
    await mocks.settle();
    expect(mocks.resources).toHaveLength(0);
  });
});

describe("the dev stack's cluster", () => {
  test("built from Pulumi.dev.yaml, it shows every default control", async () => {
    const config = loadStackFile("dev", REPO_ROOT);
    const component = await build(hardenedClusterArgsFromConfig(config), "dev");
    const cluster = inputs(mocks.one(T.cluster));
    expect(cluster).toMatchObject({
      name: "bulwark-dev",
      version: "1.33",
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: true,
    });
    expect(cluster.encryptionConfig.provider.keyArn).toBe(mocks.one(T.key, "dev-secrets").state.arn);
    expect(mocks.one(T.logGroup, "dev-cluster-logs").inputs).toMatchObject({ name: "/aws/eks/bulwark-dev/cluster", retentionInDays: 365 });
    expect(mocks.one(T.vpc).inputs.cidrBlock).toBe("10.40.0.0/16");
    expect(mocks.ofType(T.nat)).toHaveLength(3);
    expect(mocks.one(T.flowLog).inputs.trafficType).toBe("ALL");
    const clusterSgRules = mocks.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === mocks.one(T.sg, "dev-cluster").id);
    expect(clusterSgRules.map((r) => r.inputs.cidrIpv4 ?? "node-sg").sort()).toEqual(["10.100.0.0/16", "node-sg"]);
    expect(mocks.ofType(T.key).every((k) => k.inputs.enableKeyRotation === true && k.options.protect)).toBe(true);
    expect(mocks.ofType(T.accessEntry).map((e) => e.inputs.principalArn)).toEqual(["arn:aws:iam::123456789012:role/bulwark-platform-admin"]);
    expect(inputs(mocks.one(T.idp)).oidc).toMatchObject({ issuerUrl: "https://idp.example.com", clientId: "bulwark-dev", groupsPrefix: "oidc:" });
    expect(inputs(mocks.one(T.launchTemplate)).metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(inputs(mocks.one(T.nodeGroup)).amiType).toBe("BOTTLEROCKET_x86_64");
    expect(JSON.parse(String(mocks.one(T.addon, "dev-vpc-cni").inputs.configurationValues))).toEqual({ enableNetworkPolicy: "true" });
    expect(mocks.ofType(T.feature).map((f) => f.inputs.name).sort()).toEqual(["EKS_AUDIT_LOGS", "RUNTIME_MONITORING"]);
    expect(mocks.ofType(T.ecr).map((r) => [r.inputs.name, r.inputs.imageTagMutability])).toEqual([["payments/api", "IMMUTABLE"], ["web/frontend", "IMMUTABLE"]]);
    expect(await isSecretOutput(component.kubeconfig)).toBe(true);
  });

  test("tenant awsPrincipals in the stack become namespace-scoped access entries in tenantTierGroup", async () => {
    const config = loadStackFile("dev", REPO_ROOT);
    const withPrincipals = {
      ...config,
      tenants: config.tenants.map((t) => (t.name === "payments" ? { ...t, awsPrincipals: { view: ["arn:aws:iam::123456789012:role/payments-readonly"] } } : t)),
    };
    const args = hardenedClusterArgsFromConfig(withPrincipals);
    expect(args.tenantAccess).toEqual([
      { namespace: "payments", tier: "view", principalArns: ["arn:aws:iam::123456789012:role/payments-readonly"], kubernetesGroup: "bulwark:payments:view" },
    ]);
    await build(args, "dev");
    const entry = mocks.ofType(T.accessEntry).find((e) => e.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-readonly");
    expect(entry?.inputs.kubernetesGroups).toEqual([tenantTierGroup("payments", "view")]);
  });
});
