/**
 * `bulwark:cluster`: one case table per rule of the schema (config/cluster.ts), the only validator of the
 * cluster's settings; and the defaults the adapter (lib/from-config.ts) resolves. Each bad value is reported
 * with its key path, the value and what is accepted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { unpinnedAddons, unpinnedAddonsNotice } from "../../config/cluster";
import { parseStackYaml } from "../../config/load";
import { hardenedClusterArgsFromConfig } from "../../lib/from-config";
import { TEST_TODAY, clusterArgs, clusterProblemsOf } from "../support/cluster-args";
import { REPO_ROOT, configProblemsOf, devConfig } from "../support/repo";

const EXISTING = { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] };
const ROLE_A = "arn:aws:iam::123456789012:role/a";

type Case = [label: string, cluster: Record<string, unknown>, path: string, value: unknown, message: string];

/** Runs one rule's table: each patch of a minimal cluster is rejected with exactly this one problem. */
function rule(name: string, cases: readonly Case[]): void {
  describe(name, () => {
    test.each(cases)("%s", (_label, cluster, path, value, message) => {
      expect(clusterProblemsOf(cluster)).toEqual([
        expect.objectContaining({ path: `bulwark:cluster${path === "" ? "" : `.${path}`}`, value, message: expect.stringContaining(message) }),
      ]);
    });
  });
}

rule("name", [
  ["leading dash", { name: "-bad" }, "name", "-bad", "EKS cluster name"],
  ["space", { name: "bad name" }, "name", "bad name", "EKS cluster name"],
]);

rule("kubernetesVersion", [
  ["1.30", { kubernetesVersion: "1.30" }, "kubernetesVersion", "1.30", "1.33, 1.34"],
  ["1.32", { kubernetesVersion: "1.32" }, "kubernetesVersion", "1.32", "1.33, 1.34"],
  ["1.27", { kubernetesVersion: "1.27" }, "kubernetesVersion", "1.27", "1.33, 1.34"],
  ["1.37: no EKS release in the versions table", { kubernetesVersion: "1.37" }, "kubernetesVersion", "1.37", "1.33, 1.34, 1.35, 1.36"],
  ["patch version", { kubernetesVersion: "1.33.1" }, "kubernetesVersion", "1.33.1", "1.33, 1.34"],
  ["unquoted number", { kubernetesVersion: 1.3 }, "kubernetesVersion", 1.3, "quoted string"],
]);

describe("aws:region", () => {
  test("a region that is not an AWS region", () => {
    expect(() =>
      parseStackYaml("dev", readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8").replace("aws:region: eu-west-1", "aws:region: europe"), "Pulumi.dev.yaml"),
    ).toThrow(/aws:region = "europe": must be an AWS region such as eu-west-1/);
  });
});

rule("network", [
  ["vpc id without subnets", { network: { vpcId: EXISTING.vpcId } }, "network.privateSubnetIds", undefined, "set both vpcId and privateSubnetIds"],
  ["subnets without vpc id", { network: { privateSubnetIds: EXISTING.privateSubnetIds } }, "network.vpcId", undefined, "set both vpcId and privateSubnetIds"],
  [
    "one subnet",
    { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"] } },
    "network.privateSubnetIds",
    ["subnet-0a1b2c3d4e5f60001"],
    "at least two",
  ],
  ["bad subnet id", { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "sn-1"] } }, "network.privateSubnetIds[1]", "sn-1", "subnet id"],
  [
    "duplicate subnet",
    { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"] } },
    "network.privateSubnetIds",
    ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"],
    "twice",
  ],
  ["bad vpc id", { network: { ...EXISTING, vpcId: "vpc-1" } }, "network.vpcId", "vpc-1", "VPC id"],
  ["vpcCidr with existing VPC", { network: { ...EXISTING, vpcCidr: "10.0.0.0/16" } }, "network.vpcCidr", "10.0.0.0/16", "only to a VPC Bulwark creates"],
  [
    "another vpcCidr with existing VPC",
    { network: { ...EXISTING, vpcCidr: "10.1.0.0/16" } },
    "network.vpcCidr",
    "10.1.0.0/16",
    "only to a VPC Bulwark creates",
  ],
  ["egress with existing VPC", { network: { ...EXISTING, egress: "nat" } }, "network.egress", "nat", "only to a VPC Bulwark creates"],
  ["VPC CIDR too large", { network: { vpcCidr: "10.0.0.0/8" } }, "network.vpcCidr", "10.0.0.0/8", "/16 to /20"],
  ["VPC CIDR /12", { network: { vpcCidr: "10.0.0.0/12" } }, "network.vpcCidr", "10.0.0.0/12", "/16 to /20"],
  ["VPC CIDR too small", { network: { vpcCidr: "10.0.0.0/24" } }, "network.vpcCidr", "10.0.0.0/24", "/16 to /20"],
  ["VPC CIDR with host bits", { network: { vpcCidr: "10.0.0.1/16" } }, "network.vpcCidr", "10.0.0.1/16", "no host bits set; did you mean 10.0.0.0/16"],
  ["IPv6 VPC CIDR", { network: { vpcCidr: "2001:db8::/56" } }, "network.vpcCidr", "2001:db8::/56", "IPv4"],
  ["egress mode", { network: { egress: "igw" } }, "network.egress", "igw", "nat or vpcEndpointsOnly"],
  ["egress internet", { network: { egress: "internet" } }, "network.egress", "internet", "nat or vpcEndpointsOnly"],
]);

rule("endpoint CIDRs: never the world", [
  ["public 0.0.0.0/0", { endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } }, "endpoint.publicAccessCidrs[0]", "0.0.0.0/0", "whole internet"],
  ["public ::/0", { endpoint: { publicAccessCidrs: ["::/0"] } }, "endpoint.publicAccessCidrs[0]", "::/0", "whole internet"],
  [
    "second entry 0.0.0.0/0",
    { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "0.0.0.0/0"] } },
    "endpoint.publicAccessCidrs[1]",
    "0.0.0.0/0",
    "whole internet",
  ],
  [
    "second entry 0.0.0.0/1",
    { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "0.0.0.0/1"] } },
    "endpoint.publicAccessCidrs[1]",
    "0.0.0.0/1",
    "broader than /8",
  ],
  [
    "second entry 128.0.0.0/4",
    { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "128.0.0.0/4"] } },
    "endpoint.publicAccessCidrs[1]",
    "128.0.0.0/4",
    "broader than /8",
  ],
  [
    "second entry 2000::/3",
    { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "2000::/3"] } },
    "endpoint.publicAccessCidrs[1]",
    "2000::/3",
    "broader than /32",
  ],
  ["public /4", { endpoint: { publicAccessCidrs: ["64.0.0.0/4"] } }, "endpoint.publicAccessCidrs[0]", "64.0.0.0/4", "broader than /8"],
  ["public host bits", { endpoint: { publicAccessCidrs: ["198.51.100.7/24"] } }, "endpoint.publicAccessCidrs[0]", "198.51.100.7/24", "198.51.100.0/24"],
  ["public not a CIDR", { endpoint: { publicAccessCidrs: ["198.51.100.7"] } }, "endpoint.publicAccessCidrs[0]", "198.51.100.7", "prefix length"],
  [
    "public duplicate",
    { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "198.51.100.0/24"] } },
    "endpoint.publicAccessCidrs",
    ["198.51.100.0/24", "198.51.100.0/24"],
    "twice",
  ],
  [
    "public total too broad",
    { endpoint: { publicAccessCidrs: ["10.0.0.0/8", "11.0.0.0/8"] } },
    "endpoint.publicAccessCidrs",
    ["10.0.0.0/8", "11.0.0.0/8"],
    "more than one /8",
  ],
  [
    "public too broad together",
    { endpoint: { publicAccessCidrs: ["10.0.0.0/8", "12.0.0.0/8"] } },
    "endpoint.publicAccessCidrs",
    ["10.0.0.0/8", "12.0.0.0/8"],
    "more than one /8",
  ],
  ["public empty list", { endpoint: { publicAccessCidrs: [] } }, "endpoint.publicAccessCidrs", [], "omitted to keep the endpoint private"],
  ["admin CIDR ::/0", { endpoint: { adminCidrs: ["::/0"] } }, "endpoint.adminCidrs[0]", "::/0", "whole internet"],
  ["admin CIDR 0.0.0.0/0", { endpoint: { adminCidrs: ["0.0.0.0/0"] } }, "endpoint.adminCidrs[0]", "0.0.0.0/0", "whole internet"],
  ["admin SG id", { endpoint: { adminSecurityGroupIds: ["default"] } }, "endpoint.adminSecurityGroupIds[0]", "default", "security group id"],
  ["admin SG too short", { endpoint: { adminSecurityGroupIds: ["sg-1"] } }, "endpoint.adminSecurityGroupIds[0]", "sg-1", "security group id"],
  [
    "admin SG twice",
    { endpoint: { adminSecurityGroupIds: ["sg-0123456789abcdef0", "sg-0123456789abcdef0"] } },
    "endpoint.adminSecurityGroupIds",
    ["sg-0123456789abcdef0", "sg-0123456789abcdef0"],
    "twice",
  ],
  ["unknown endpoint key", { endpoint: { public: true } }, "endpoint.public", true, "accepted keys: adminCidrs, adminSecurityGroupIds, publicAccessCidrs"],
]);

rule("IAM principals", [
  ["not a list", { adminPrincipals: ROLE_A }, "adminPrincipals", ROLE_A, "a list"],
  ["twice", { adminPrincipals: [ROLE_A, ROLE_A] }, "adminPrincipals", [ROLE_A, ROLE_A], "twice"],
  ["wildcard", { adminPrincipals: ["arn:aws:iam::123456789012:role/*"] }, "adminPrincipals[0]", "arn:aws:iam::123456789012:role/*", "IAM role or user ARN"],
  ["account root", { adminPrincipals: ["arn:aws:iam::123456789012:root"] }, "adminPrincipals[0]", "arn:aws:iam::123456789012:root", "IAM role or user ARN"],
  ["a name", { adminPrincipals: ["admin"] }, "adminPrincipals[0]", "admin", "IAM role or user ARN"],
  ["key administrator", { kms: { keyAdministrators: ["*"] } }, "kms.keyAdministrators[0]", "*", "IAM role or user ARN"],
  [
    "key administrator wildcard",
    { kms: { keyAdministrators: ["arn:aws:iam::123456789012:role/*"] } },
    "kms.keyAdministrators[0]",
    "arn:aws:iam::123456789012:role/*",
    "IAM role or user ARN",
  ],
]);

rule("identityProvider", [
  [
    "http issuer",
    { identityProvider: { issuerUrl: "http://idp.example.com", clientId: "x" } },
    "identityProvider.issuerUrl",
    "http://idp.example.com",
    "https URL",
  ],
  ["empty client", { identityProvider: { issuerUrl: "https://idp.example.com", clientId: "" } }, "identityProvider.clientId", "", "must not be empty"],
  [
    "empty groups prefix",
    { identityProvider: { issuerUrl: "https://idp.example.com", clientId: "x", groupsPrefix: "" } },
    "identityProvider.groupsPrefix",
    "",
    "system:masters",
  ],
  [
    "empty username prefix",
    { identityProvider: { issuerUrl: "https://idp.example.com", clientId: "x", usernamePrefix: "" } },
    "identityProvider.usernamePrefix",
    "",
    "must not be empty",
  ],
]);

rule("kms.deletionWindowInDays", [
  ["3", { kms: { deletionWindowInDays: 3 } }, "kms.deletionWindowInDays", 3, "7 to 30"],
  ["5", { kms: { deletionWindowInDays: 5 } }, "kms.deletionWindowInDays", 5, "7 to 30"],
  ["6", { kms: { deletionWindowInDays: 6 } }, "kms.deletionWindowInDays", 6, "7 to 30"],
  ["31", { kms: { deletionWindowInDays: 31 } }, "kms.deletionWindowInDays", 31, "7 to 30"],
  ["7.5", { kms: { deletionWindowInDays: 7.5 } }, "kms.deletionWindowInDays", 7.5, "integer"],
]);

rule(
  "logRetentionInDays",
  [30, 60, 89, 100].map((days): Case => [String(days), { logRetentionInDays: days }, "logRetentionInDays", days, "at least 90"]),
);

rule("upgradePolicy", [
  ["NONE", { upgradePolicy: "NONE" }, "upgradePolicy", "NONE", "STANDARD or EXTENDED"],
  ["NEVER", { upgradePolicy: "NEVER" }, "upgradePolicy", "NEVER", "STANDARD or EXTENDED"],
  ["EXTENDED without the opt-in", { upgradePolicy: "EXTENDED" }, "upgradePolicy", "EXTENDED", "set acceptExtendedSupportCharges: true"],
  [
    "EXTENDED with the opt-in false",
    { upgradePolicy: "EXTENDED", acceptExtendedSupportCharges: false },
    "upgradePolicy",
    "EXTENDED",
    "charged per cluster hour",
  ],
]);

rule("acceptExtendedSupportCharges", [["not a boolean", { acceptExtendedSupportCharges: "yes" }, "acceptExtendedSupportCharges", "yes", "boolean"]]);

rule("nodeGroups", [
  ["none", { nodeGroups: [] }, "nodeGroups", [], "at least one node group"],
  ["name", { nodeGroups: [{ name: "System" }] }, "nodeGroups[0].name", "System", "DNS-1123"],
  ["duplicate", { nodeGroups: [{ name: "a" }, { name: "a" }] }, "nodeGroups[1].name", "a", "unique"],
  ["instance type", { nodeGroups: [{ name: "a", instanceTypes: ["large"] }] }, "nodeGroups[0].instanceTypes[0]", "large", "instance type"],
  ["no instance types", { nodeGroups: [{ name: "a", instanceTypes: [] }] }, "nodeGroups[0].instanceTypes", [], "at least one"],
  ["AL2023", { nodeGroups: [{ name: "a", amiType: "AL2023_x86_64_STANDARD" }] }, "nodeGroups[0].amiType", "AL2023_x86_64_STANDARD", "Bottlerocket"],
  ["AL2", { nodeGroups: [{ name: "a", amiType: "AL2_x86_64" }] }, "nodeGroups[0].amiType", "AL2_x86_64", "Bottlerocket"],
  ["capacity type", { nodeGroups: [{ name: "a", capacityType: "RESERVED" }] }, "nodeGroups[0].capacityType", "RESERVED", "ON_DEMAND or SPOT"],
  ["min above max", { nodeGroups: [{ name: "a", minSize: 5, maxSize: 2 }] }, "nodeGroups[0].minSize", 5, "maxSize (2)"],
  ["min 9 above max 6", { nodeGroups: [{ name: "a", minSize: 9, maxSize: 6 }] }, "nodeGroups[0].minSize", 9, "maxSize (6)"],
  [
    "desired out of range",
    { nodeGroups: [{ name: "a", minSize: 1, desiredSize: 9, maxSize: 3 }] },
    "nodeGroups[0].desiredSize",
    9,
    "between minSize (1) and maxSize (3)",
  ],
  ["negative size", { nodeGroups: [{ name: "a", minSize: -1 }] }, "nodeGroups[0].minSize", -1, "integer from 0 to 450"],
  ["max size 0", { nodeGroups: [{ name: "a", minSize: 0, maxSize: 0 }] }, "nodeGroups[0].maxSize", 0, "integer from 1 to 450"],
  ["disk too small", { nodeGroups: [{ name: "a", diskSizeGiB: 8 }] }, "nodeGroups[0].diskSizeGiB", 8, "20 to 16384"],
  ["fractional disk", { nodeGroups: [{ name: "a", diskSizeGiB: 20.5 }] }, "nodeGroups[0].diskSizeGiB", 20.5, "integer from 20 to 16384"],
  ["fractional size", { nodeGroups: [{ name: "a", minSize: 1.5 }] }, "nodeGroups[0].minSize", 1.5, "integer from 0 to 450"],
]);

rule("addonVersions", [
  ["format", { addonVersions: { coredns: "latest" } }, "addonVersions.coredns", "latest", "EKS add-on version"],
  ["no v and eksbuild", { addonVersions: { vpcCni: "1.19" } }, "addonVersions.vpcCni", "1.19", "EKS add-on version"],
  [
    "unknown add-on",
    { addonVersions: { metricsServer: "v0.7.2-eksbuild.1" } },
    "addonVersions.metricsServer",
    "v0.7.2-eksbuild.1",
    "accepted keys: coredns, ebsCsiDriver, kubeProxy, podIdentityAgent, vpcCni",
  ],
  [
    "kube-proxy of another minor",
    { addonVersions: { kubeProxy: "v1.34.1-eksbuild.1" } },
    "addonVersions.kubeProxy",
    "v1.34.1-eksbuild.1",
    "Kubernetes version 1.33",
  ],
  ["kube-proxy 1.32", { addonVersions: { kubeProxy: "v1.32.0-eksbuild.1" } }, "addonVersions.kubeProxy", "v1.32.0-eksbuild.1", "Kubernetes version 1.33"],
]);

describe("tenant access (bulwark:tenants[].awsPrincipals)", () => {
  const tenant = (extra: Record<string, unknown>) => [{ name: "payments", owner: "team-payments", groups: {}, ...extra }];
  test.each([
    ["namespace", tenant({ name: "Payments", awsPrincipals: { view: [ROLE_A] } }), "bulwark:tenants[0].name", "Payments", "DNS-1123"],
    ["tier", tenant({ awsPrincipals: { owner: [ROLE_A] } }), "bulwark:tenants[0].awsPrincipals.owner", [ROLE_A], "accepted keys: admin, edit, view"],
    ["principal", tenant({ awsPrincipals: { view: ["payments-ro"] } }), "bulwark:tenants[0].awsPrincipals.view[0]", "payments-ro", "IAM role or user ARN"],
  ])("%s", (_label, tenants, path, value, message) => {
    expect(clusterProblemsOf({}, tenants)).toEqual([expect.objectContaining({ path, value, message: expect.stringContaining(message) })]);
  });

  test("principals land in their tier's bulwark: group, never a system: group", () => {
    const access = clusterArgs({}, tenant({ awsPrincipals: { admin: [ROLE_A], view: [ROLE_A] } })).tenantAccess;
    expect(access.map((a) => [a.tier, a.kubernetesGroup])).toEqual([
      ["admin", "bulwark:payments:admin"],
      ["view", "bulwark:payments:view"],
    ]);
  });
});

rule("account-level resources", [
  ["GuardDuty detector id", { guardDuty: { enabled: true, detectorId: "abc" } }, "guardDuty.detectorId", "abc", "32 hex"],
  ["GuardDuty detector x", { guardDuty: { enabled: true, detectorId: "x" } }, "guardDuty.detectorId", "x", "32 hex"],
  ["ECR name", { ecrRepositories: ["Payments/API"] }, "ecrRepositories[0]", "Payments/API", "ECR repository name"],
  ["ECR upper case", { ecrRepositories: ["UPPER"] }, "ecrRepositories[0]", "UPPER", "ECR repository name"],
  ["duplicate ECR name", { ecrRepositories: ["a", "a"] }, "ecrRepositories", ["a", "a"], "twice"],
  ["destroy opt-out type", { acceptDataLossOnDestroy: "yes" }, "acceptDataLossOnDestroy", "yes", "boolean"],
]);

describe("add-ons the versions table has no sourced version of", () => {
  test("Kubernetes 1.35 plans without hand pins: vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver unpinned (EKS default at create)", () => {
    const args = clusterArgs({ kubernetesVersion: "1.35" });
    expect(args.addonVersions).toEqual({ coredns: "v1.14.2-eksbuild.4", kubeProxy: "v1.35.3-eksbuild.13" });
    expect(unpinnedAddons("1.35")).toEqual(["vpcCni", "podIdentityAgent", "ebsCsiDriver"]);
    expect(unpinnedAddonsNotice("1.35")).toBe(
      "Kubernetes 1.35: vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver unpinned: EKS default at create (the versions table, config/kubernetes-versions.ts, has no sourced version; pin with bulwark:cluster.addonVersions.vpcCni/podIdentityAgent/ebsCsiDriver, listed by aws eks describe-addon-versions --kubernetes-version 1.35)",
    );
  });

  test("the explicit-pin path stays: pins fill the gaps, the table's pins the rest", () => {
    const pins = { vpcCni: "v1.21.1-eksbuild.8", podIdentityAgent: "v1.3.10-eksbuild.3", ebsCsiDriver: "v1.59.0-eksbuild.1" };
    expect(clusterArgs({ kubernetesVersion: "1.35", addonVersions: pins }).addonVersions).toEqual({
      ...pins,
      coredns: "v1.14.2-eksbuild.4",
      kubeProxy: "v1.35.3-eksbuild.13",
    });
    expect(unpinnedAddons("1.35", pins)).toEqual([]);
    expect(unpinnedAddonsNotice("1.35", pins)).toBeUndefined();
  });

  test.each(["1.33", "1.34", "1.36"] as const)("Kubernetes %s: all five sourced, nothing unpinned", (kubernetesVersion) => {
    expect(Object.keys(clusterArgs({ kubernetesVersion }).addonVersions).sort()).toEqual([
      "coredns",
      "ebsCsiDriver",
      "kubeProxy",
      "podIdentityAgent",
      "vpcCni",
    ]);
    expect(unpinnedAddonsNotice(kubernetesVersion)).toBeUndefined();
  });

  test("an explicit pin wins over the table's", () => {
    expect(clusterArgs({ addonVersions: { coredns: "v1.12.1-eksbuild.2" } }).addonVersions.coredns).toBe("v1.12.1-eksbuild.2");
  });
});

describe("the defaults the adapter resolves", () => {
  test("are the secure ones", () => {
    const settings = clusterArgs();
    expect(settings).toMatchObject({
      network: { kind: "created", vpcCidr: "10.0.0.0/16", egress: "nat" },
      publicAccessCidrs: [],
      adminCidrs: [],
      adminPrincipals: [],
      kmsDeletionWindowInDays: 30,
      logRetentionInDays: 365,
      upgradePolicy: "STANDARD",
      protect: true,
      guardDuty: { enabled: false },
      nodeGroups: [{ name: "system", amiType: "BOTTLEROCKET_x86_64", capacityType: "ON_DEMAND", minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 50 }],
    });
    expect(settings.identityProvider).toBeUndefined();
  });

  test("the dev stack is valid, and its props build", () => {
    expect(hardenedClusterArgsFromConfig(devConfig(), { today: TEST_TODAY })).toMatchObject({
      clusterName: "bulwark-dev",
      region: "eu-west-1",
      adminCidrs: ["10.100.0.0/16"],
      publicAccessCidrs: [],
      protect: true,
    });
  });
});

describe("in the stack file", () => {
  const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const devWith = (edit: (cluster: Record<string, any>) => void): string => {
    const json = parseDocument(DEV_YAML).toJS() as { config: Record<string, Record<string, unknown>> };
    edit(json.config["bulwark:cluster"]);
    return JSON.stringify(json, null, 2);
  };

  test("a world-open public CIDR is rejected with key path, value, fix and line", () => {
    const text = DEV_YAML.replace("adminCidrs: [10.100.0.0/16]", "adminCidrs: [10.100.0.0/16]\n      publicAccessCidrs: [0.0.0.0/0]");
    const problems = configProblemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        path: "bulwark:cluster.endpoint.publicAccessCidrs[0]",
        value: "0.0.0.0/0",
        message: expect.stringContaining("whole internet"),
      }),
    ]);
    expect(problems[0].line).toBe(text.split("\n").findIndex((l) => l.includes("publicAccessCidrs: [0.0.0.0/0]")) + 1);
  });

  test("a key path inside the dev file's own structure", () => {
    expect(configProblemsOf(devWith((c) => (c.nodeGroups[0].minSize = 9)))).toEqual([
      expect.objectContaining({ path: "bulwark:cluster.nodeGroups[0].minSize", value: 9, message: expect.stringContaining("maxSize (6)") }),
    ]);
    expect(configProblemsOf(devWith((c) => c.nodeGroups.push({ name: "system" })))).toEqual([
      expect.objectContaining({ path: "bulwark:cluster.nodeGroups[1].name", value: "system", message: expect.stringContaining("unique") }),
    ]);
  });
});
