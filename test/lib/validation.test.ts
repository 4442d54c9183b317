/**
 * Negative tests for every validation: the component's arguments (pure, no Pulumi engine needed) and the
 * `bulwark:cluster` keys of the stack config, which reject the same bad values with key path and line.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parseStackYaml } from "../../config/load";
import type { HardenedEksClusterArgs } from "../../lib/cluster";
import { HardenedClusterArgumentError, hardenedClusterArgsFromConfig, resolveHardenedClusterSettings } from "../../lib/cluster";
import { REPO_ROOT, configProblemsOf, devConfig } from "../support/repo";

const BASE: HardenedEksClusterArgs = { clusterName: "bulwark-test", kubernetesVersion: "1.33", region: "eu-west-1" };
const EXISTING = { vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] };
const tenant = (extra: object = {}) => ({ namespace: "payments", tier: "view" as const, principalArns: ["arn:aws:iam::123456789012:role/ro"], kubernetesGroup: "bulwark:payments:view", ...extra });

function errorOf(args: HardenedEksClusterArgs): HardenedClusterArgumentError {
  try {
    resolveHardenedClusterSettings("test", args);
  } catch (error) {
    if (error instanceof HardenedClusterArgumentError) return error;
    throw error;
  }
  throw new Error("expected the arguments to be rejected");
}

describe("component arguments: each bad value names the argument, the value and the fix", () => {
  const cases: [string, Partial<HardenedEksClusterArgs>, string, unknown, string][] = [
    ["cluster name", { clusterName: "-bad" }, "clusterName", "-bad", "EKS cluster name"],
    ["unsupported version", { kubernetesVersion: "1.30" }, "kubernetesVersion", "1.30", "1.33, 1.34"],
    ["region", { region: "europe" }, "region", "europe", "AWS region"],
    ["vpc id without subnets", { network: { vpcId: "vpc-0a1b2c3d4e5f67890" } }, "network.privateSubnetIds", undefined, "at least two"],
    ["subnets without vpc id", { network: { privateSubnetIds: EXISTING.privateSubnetIds } }, "network.vpcId", undefined, "together with network.privateSubnetIds"],
    ["one subnet", { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"] } }, "network.privateSubnetIds", ["subnet-0a1b2c3d4e5f60001"], "at least two"],
    ["bad subnet id", { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "sn-1"] } }, "network.privateSubnetIds[1]", "sn-1", "subnet id"],
    ["duplicate subnet", { network: { ...EXISTING, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"] } }, "network.privateSubnetIds", ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"], "twice"],
    ["vpcCidr with existing VPC", { network: { ...EXISTING, vpcCidr: "10.0.0.0/16" } }, "network.vpcCidr", "10.0.0.0/16", "only to a created VPC"],
    ["egress with existing VPC", { network: { ...EXISTING, egress: "nat" } }, "network.egress", "nat", "only to a created VPC"],
    ["VPC CIDR too large", { network: { vpcCidr: "10.0.0.0/8" } }, "network.vpcCidr", "10.0.0.0/8", "/16 to /20"],
    ["VPC CIDR too small", { network: { vpcCidr: "10.0.0.0/24" } }, "network.vpcCidr", "10.0.0.0/24", "/16 to /20"],
    ["VPC CIDR with host bits", { network: { vpcCidr: "10.0.0.1/16" } }, "network.vpcCidr", "10.0.0.1/16", "canonical"],
    ["IPv6 VPC CIDR", { network: { vpcCidr: "2001:db8::/56" } }, "network.vpcCidr", "2001:db8::/56", "IPv4"],
    ["egress mode", { network: { egress: "igw" as never } }, "network.egress", "igw", "nat, vpcEndpointsOnly"],
    ["public 0.0.0.0/0", { endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } }, "endpoint.publicAccessCidrs[0]", "0.0.0.0/0", "whole internet"],
    ["public ::/0", { endpoint: { publicAccessCidrs: ["::/0"] } }, "endpoint.publicAccessCidrs[0]", "::/0", "whole internet"],
    ["public non-canonical", { endpoint: { publicAccessCidrs: ["198.51.100.7/24"] } }, "endpoint.publicAccessCidrs[0]", "198.51.100.7/24", "198.51.100.0/24"],
    ["public not a CIDR", { endpoint: { publicAccessCidrs: ["198.51.100.7"] } }, "endpoint.publicAccessCidrs[0]", "198.51.100.7", "prefix length"],
    ["public duplicate", { endpoint: { publicAccessCidrs: ["198.51.100.0/24", "198.51.100.0/24"] } }, "endpoint.publicAccessCidrs", ["198.51.100.0/24", "198.51.100.0/24"], "twice"],
    ["public total too broad", { endpoint: { publicAccessCidrs: ["10.0.0.0/8", "11.0.0.0/8"] } }, "endpoint.publicAccessCidrs", ["10.0.0.0/8", "11.0.0.0/8"], "more than one /8"],
    ["admin CIDR world", { endpoint: { adminCidrs: ["::/0"] } }, "endpoint.adminCidrs[0]", "::/0", "whole internet"],
    ["admin SG id", { endpoint: { adminSecurityGroupIds: ["default"] } }, "endpoint.adminSecurityGroupIds[0]", "default", "security group id"],
    ["admin principals not a list", { adminPrincipals: "arn:aws:iam::123456789012:role/a" as never }, "adminPrincipals", "arn:aws:iam::123456789012:role/a", "must be a list"],
    ["admin principal twice", { adminPrincipals: ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/a"] }, "adminPrincipals", ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/a"], "twice"],
    ["admin principal wildcard", { adminPrincipals: ["arn:aws:iam::123456789012:role/*"] }, "adminPrincipals[0]", "arn:aws:iam::123456789012:role/*", "no wildcards"],
    ["admin principal account", { adminPrincipals: ["arn:aws:iam::123456789012:root"] }, "adminPrincipals[0]", "arn:aws:iam::123456789012:root", "role or user ARN"],
    ["tenant namespace", { tenantAccess: [tenant({ namespace: "Payments" })] }, "tenantAccess[0].namespace", "Payments", "DNS-1123"],
    ["tenant tier", { tenantAccess: [tenant({ tier: "owner" })] }, "tenantAccess[0].tier", "owner", "admin, edit, view"],
    ["tenant system group", { tenantAccess: [tenant({ kubernetesGroup: "system:masters" })] }, "tenantAccess[0].kubernetesGroup", "system:masters", "outside 'system:'"],
    ["tenant principal", { tenantAccess: [tenant({ principalArns: ["payments-ro"] })] }, "tenantAccess[0].principalArns[0]", "payments-ro", "role or user ARN"],
    ["IdP http issuer", { identityProvider: { issuerUrl: "http://idp.example.com", clientId: "x" } }, "identityProvider.issuerUrl", "http://idp.example.com", "https URL"],
    ["IdP empty client", { identityProvider: { issuerUrl: "https://idp.example.com", clientId: "" } }, "identityProvider.clientId", "", "client id"],
    ["IdP empty prefix", { identityProvider: { issuerUrl: "https://idp.example.com", clientId: "x", groupsPrefix: "" } }, "identityProvider.groupsPrefix", "", "oidc:"],
    ["deletion window", { kmsDeletionWindowInDays: 3 }, "kmsDeletionWindowInDays", 3, "7 to 30"],
    ["key administrator", { kmsKeyAdministrators: ["*"] }, "kmsKeyAdministrators[0]", "*", "role or user ARN"],
    ["retention below 90", { logRetentionInDays: 60 }, "logRetentionInDays", 60, "at least 90"],
    ["upgrade policy", { upgradePolicy: "NONE" as never }, "upgradePolicy", "NONE", "STANDARD or EXTENDED"],
    ["no node groups", { nodeGroups: [] }, "nodeGroups", [], "at least one node group"],
    ["node group name", { nodeGroups: [{ name: "System" }] }, "nodeGroups[0].name", "System", "DNS-1123"],
    ["duplicate node group", { nodeGroups: [{ name: "a" }, { name: "a" }] }, "nodeGroups[1].name", "a", "unique"],
    ["instance type", { nodeGroups: [{ name: "a", instanceTypes: ["large"] }] }, "nodeGroups[0].instanceTypes[0]", "large", "instance type"],
    ["no instance types", { nodeGroups: [{ name: "a", instanceTypes: [] }] }, "nodeGroups[0].instanceTypes", [], "at least one"],
    ["capacity type", { nodeGroups: [{ name: "a", capacityType: "RESERVED" as never }] }, "nodeGroups[0].capacityType", "RESERVED", "ON_DEMAND or SPOT"],
    ["min above max", { nodeGroups: [{ name: "a", minSize: 5, maxSize: 2 }] }, "nodeGroups[0].minSize", 5, "maxSize (2)"],
    ["desired out of range", { nodeGroups: [{ name: "a", minSize: 1, desiredSize: 9, maxSize: 3 }] }, "nodeGroups[0].desiredSize", 9, "between minSize (1) and maxSize (3)"],
    ["negative size", { nodeGroups: [{ name: "a", minSize: -1 }] }, "nodeGroups[0].minSize", -1, ">= 0"],
    ["max size 0", { nodeGroups: [{ name: "a", minSize: 0, maxSize: 0 }] }, "nodeGroups[0].maxSize", 0, ">= 1"],
    ["disk too small", { nodeGroups: [{ name: "a", diskSizeGiB: 8 }] }, "nodeGroups[0].diskSizeGiB", 8, "20 to 16384"],
    ["addon version format", { addonVersions: { coredns: "latest" } }, "addonVersions.coredns", "latest", "EKS add-on version"],
    ["unknown addon", { addonVersions: { metricsServer: "v0.7.2-eksbuild.1" } as never }, "addonVersions.metricsServer", "v0.7.2-eksbuild.1", "accepted: vpcCni"],
    ["kube-proxy mismatch", { addonVersions: { kubeProxy: "v1.34.1-eksbuild.1" } }, "addonVersions.kubeProxy", "v1.34.1-eksbuild.1", "Kubernetes version 1.33"],
    ["version without maintained pins", { kubernetesVersion: "1.35" }, "addonVersions", {}, "must pin vpcCni, coredns, kubeProxy, podIdentityAgent, ebsCsiDriver"],
    ["GuardDuty detector id", { guardDuty: { enabled: true, detectorId: "abc" } }, "guardDuty.detectorId", "abc", "32 hex"],
    ["ECR name", { ecrRepositories: ["Payments/API"] }, "ecrRepositories[0]", "Payments/API", "ECR repository name"],
    ["duplicate ECR name", { ecrRepositories: ["a", "a"] }, "ecrRepositories", ["a", "a"], "twice"],
  ];

  test.each(cases)("%s", (_label, change, argument, value, fix) => {
    const error = errorOf({ ...BASE, ...change });
    expect(error.argument).toBe(argument);
    expect(error.value).toEqual(value);
    expect(error.fix).toContain(fix);
    expect(error.message).toContain(`argument ${argument} = `);
    expect(error.message).toContain(fix);
  });

  test("a version without maintained pins builds once all five add-ons are pinned", () => {
    const addonVersions = {
      vpcCni: "v1.20.0-eksbuild.1",
      coredns: "v1.12.2-eksbuild.1",
      kubeProxy: "v1.35.0-eksbuild.1",
      podIdentityAgent: "v1.3.8-eksbuild.1",
      ebsCsiDriver: "v1.46.0-eksbuild.1",
    };
    expect(resolveHardenedClusterSettings("test", { ...BASE, kubernetesVersion: "1.35", addonVersions }).addonVersions).toEqual(addonVersions);
  });

  test("the defaults are the secure ones, resolved in one place", () => {
    const settings = resolveHardenedClusterSettings("test", BASE);
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
});

describe("bulwark:cluster keys in the stack file", () => {
  const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
  const devWith = (edit: (cluster: Record<string, any>) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const json = parseDocument(DEV_YAML).toJS() as { config: Record<string, Record<string, unknown>> };
    edit(json.config["bulwark:cluster"]);
    return JSON.stringify(json, null, 2);
  };
  const problemsOf = configProblemsOf;

  test("the dev stack is valid, and its args build", () => {
    const args = hardenedClusterArgsFromConfig(devConfig());
    const settings = resolveHardenedClusterSettings("dev", args);
    expect(settings).toMatchObject({ clusterName: "bulwark-dev", region: "eu-west-1", adminCidrs: ["10.100.0.0/16"], publicAccessCidrs: [], protect: true });
  });

  test("a world-open public CIDR is rejected with key path, value, fix and line", () => {
    const text = DEV_YAML.replace("adminCidrs: [10.100.0.0/16]", "adminCidrs: [10.100.0.0/16]\n      publicAccessCidrs: [0.0.0.0/0]");
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({ path: "bulwark:cluster.endpoint.publicAccessCidrs[0]", value: "0.0.0.0/0", message: expect.stringContaining("whole internet") }),
    ]);
    expect(problems[0].line).toBe(text.split("\n").findIndex((l) => l.includes("publicAccessCidrs: [0.0.0.0/0]")) + 1);
  });

  const cases: [string, (c: Record<string, any>) => void, string, unknown, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["public ::/0", (c) => (c.endpoint.publicAccessCidrs = ["::/0"]), "bulwark:cluster.endpoint.publicAccessCidrs[0]", "::/0", "whole internet"],
    ["public /4", (c) => (c.endpoint.publicAccessCidrs = ["64.0.0.0/4"]), "bulwark:cluster.endpoint.publicAccessCidrs[0]", "64.0.0.0/4", "broader than /8"],
    ["public empty list", (c) => (c.endpoint.publicAccessCidrs = []), "bulwark:cluster.endpoint.publicAccessCidrs", [], "omitted to keep the endpoint private"],
    ["public too broad together", (c) => (c.endpoint.publicAccessCidrs = ["10.0.0.0/8", "12.0.0.0/8"]), "bulwark:cluster.endpoint.publicAccessCidrs", ["10.0.0.0/8", "12.0.0.0/8"], "more than one /8"],
    ["admin CIDR world", (c) => (c.endpoint.adminCidrs = ["0.0.0.0/0"]), "bulwark:cluster.endpoint.adminCidrs[0]", "0.0.0.0/0", "whole internet"],
    ["admin SG", (c) => (c.endpoint.adminSecurityGroupIds = ["sg-1"]), "bulwark:cluster.endpoint.adminSecurityGroupIds[0]", "sg-1", "security group id"],
    ["unknown endpoint key", (c) => (c.endpoint.public = true), "bulwark:cluster.endpoint.public", true, "accepted keys: adminCidrs, adminSecurityGroupIds, publicAccessCidrs"],
    ["retention 30", (c) => (c.logRetentionInDays = 30), "bulwark:cluster.logRetentionInDays", 30, "at least 90"],
    ["retention 89", (c) => (c.logRetentionInDays = 89), "bulwark:cluster.logRetentionInDays", 89, "at least 90"],
    ["deletion window", (c) => (c.kms.deletionWindowInDays = 5), "bulwark:cluster.kms.deletionWindowInDays", 5, "7 to 30"],
    ["key admin", (c) => (c.kms.keyAdministrators = ["arn:aws:iam::123456789012:role/*"]), "bulwark:cluster.kms.keyAdministrators[0]", "arn:aws:iam::123456789012:role/*", "IAM role or user ARN"],
    ["admin principal", (c) => (c.adminPrincipals = ["admin"]), "bulwark:cluster.adminPrincipals[0]", "admin", "IAM role or user ARN"],
    ["vpc id alone", (c) => (c.network = { vpcId: "vpc-0a1b2c3d4e5f67890" }), "bulwark:cluster.network.privateSubnetIds", undefined, "set both vpcId and privateSubnetIds"],
    ["vpcCidr with existing VPC", (c) => (c.network = { ...EXISTING, vpcCidr: "10.1.0.0/16" }), "bulwark:cluster.network.vpcCidr", "10.1.0.0/16", "only to a VPC Bulwark creates"],
    ["one private subnet", (c) => (c.network = { vpcId: EXISTING.vpcId, privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"] }), "bulwark:cluster.network.privateSubnetIds", ["subnet-0a1b2c3d4e5f60001"], "at least two"],
    ["VPC CIDR size", (c) => (c.network.vpcCidr = "10.0.0.0/12"), "bulwark:cluster.network.vpcCidr", "10.0.0.0/12", "/16 to /20"],
    ["egress", (c) => (c.network.egress = "internet"), "bulwark:cluster.network.egress", "internet", "nat or vpcEndpointsOnly"],
    ["AMI type", (c) => (c.nodeGroups[0].amiType = "AL2_x86_64"), "bulwark:cluster.nodeGroups[0].amiType", "AL2_x86_64", "Bottlerocket"],
    ["node sizes", (c) => (c.nodeGroups[0].minSize = 9), "bulwark:cluster.nodeGroups[0].minSize", 9, "maxSize (6)"],
    ["duplicate node group", (c) => c.nodeGroups.push({ name: "system" }), "bulwark:cluster.nodeGroups[1].name", "system", "unique"],
    ["addon version", (c) => (c.addonVersions = { vpcCni: "1.19" }), "bulwark:cluster.addonVersions.vpcCni", "1.19", "EKS add-on version"],
    ["kube-proxy mismatch", (c) => (c.addonVersions = { kubeProxy: "v1.32.0-eksbuild.1" }), "bulwark:cluster.addonVersions.kubeProxy", "v1.32.0-eksbuild.1", "Kubernetes version 1.33"],
    ["upgrade policy", (c) => (c.upgradePolicy = "NEVER"), "bulwark:cluster.upgradePolicy", "NEVER", "STANDARD or EXTENDED"],
    ["GuardDuty detector", (c) => (c.guardDuty.detectorId = "x"), "bulwark:cluster.guardDuty.detectorId", "x", "32 hex"],
    ["ECR name", (c) => (c.ecrRepositories = ["UPPER"]), "bulwark:cluster.ecrRepositories[0]", "UPPER", "ECR repository name"],
    ["destroy opt-out type", (c) => (c.acceptDataLossOnDestroy = "yes"), "bulwark:cluster.acceptDataLossOnDestroy", "yes", "boolean"],
  ];

  test.each(cases)("%s", (_label, edit, path, value, message) => {
    expect(problemsOf(devWith(edit))).toEqual([expect.objectContaining({ path, value, message: expect.stringContaining(message) })]);
  });

  test("a Kubernetes version without maintained add-on pins still loads (synth and check need no pins)", () => {
    const text = devWith((c) => (c.kubernetesVersion = "1.35"));
    expect(parseStackYaml("dev", text, "Pulumi.dev.yaml").cluster.kubernetesVersion).toBe("1.35");
  });
});
