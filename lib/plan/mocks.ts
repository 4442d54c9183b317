/**
 * Realistic mocked outputs for the offline plan and the unit tests: ids, ARNs, endpoints and provider-function
 * answers of an AWS account, derived deterministically from resource names so every plan is reproducible.
 */
import { createHash } from "node:crypto";

/** The account the mocks pretend to be. */
export interface MockAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

export const DEFAULT_MOCK_ACCOUNT: MockAccount = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };

/** Deterministic hex derived from a seed, so mocked ids are stable across runs. */
export function mockHex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

const ID_PREFIXES: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc-",
  "aws:ec2/subnet:Subnet": "subnet-",
  "aws:ec2/securityGroup:SecurityGroup": "sg-",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
  "aws:ec2/internetGateway:InternetGateway": "igw-",
  "aws:ec2/natGateway:NatGateway": "nat-",
  "aws:ec2/eip:Eip": "eipalloc-",
  "aws:ec2/routeTable:RouteTable": "rtb-",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
  "aws:ec2/flowLog:FlowLog": "fl-",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
};

/** A mocked resource's id and outputs. */
export type MockState = { id: string; state: Record<string, unknown> };

/** Realistic ids and outputs per AWS resource type; unknown types echo their inputs. */
export function mockResourceState(account: MockAccount, type: string, name: string, inputs: Record<string, unknown>): MockState {
  const { accountId, region, partition } = account;
  const hex = (n: number) => mockHex(`${type}/${name}`, n);
  const prefix = ID_PREFIXES[type];
  if (prefix) {
    const id = `${prefix}${hex(17)}`;
    const extra: Record<string, unknown> = type === "aws:ec2/launchTemplate:LaunchTemplate" ? { latestVersion: 1, defaultVersion: 1 } : {};
    return { id, state: { ...inputs, ...extra, arn: `arn:${partition}:ec2:${region}:${accountId}:${prefix.replace(/-$/, "")}/${id}` } };
  }
  switch (type) {
    case "aws:kms/key:Key": {
      const keyId = `${hex(8)}-${hex(12).slice(0, 4)}-4${hex(15).slice(12, 15)}-a${hex(18).slice(15, 18)}-${hex(30).slice(18, 30)}`;
      return { id: keyId, state: { ...inputs, keyId, arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}` } };
    }
    case "aws:kms/alias:Alias":
      return { id: String(inputs.name), state: { ...inputs, arn: `arn:${partition}:kms:${region}:${accountId}:${String(inputs.name)}` } };
    case "aws:iam/role:Role": {
      const roleName = String(inputs.name ?? `${name}-${hex(7)}`);
      return {
        id: roleName,
        state: { ...inputs, name: roleName, arn: `arn:${partition}:iam::${accountId}:role/${roleName}`, uniqueId: `AROA${hex(17).toUpperCase()}` },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const groupName = String(inputs.name ?? name);
      return { id: groupName, state: { ...inputs, name: groupName, arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${groupName}` } };
    }
    case "aws:eks/cluster:Cluster": {
      const clusterName = String(inputs.name ?? name);
      const oidcId = hex(32).toUpperCase();
      return {
        id: clusterName,
        state: {
          ...inputs,
          name: clusterName,
          arn: `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`,
          endpoint: `https://${oidcId}.gr7.${region}.eks.amazonaws.com`,
          certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\n${hex(64)}\n-----END CERTIFICATE-----\n`).toString("base64") },
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}` }] }],
          vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: `sg-${hex(17)}`, vpcId: `vpc-${hex(17)}` },
          platformVersion: "eks.1",
          status: "ACTIVE",
        },
      };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const url = String(inputs.url ?? "").replace(/^https:\/\//, "");
      const arn = `arn:${partition}:iam::${accountId}:oidc-provider/${url}`;
      return { id: arn, state: { ...inputs, arn } };
    }
    case "aws:eks/nodeGroup:NodeGroup": {
      const groupName = `${String(inputs.nodeGroupNamePrefix ?? `${name}-`)}${hex(8)}`;
      return {
        id: `${String(inputs.clusterName)}:${groupName}`,
        state: {
          ...inputs,
          nodeGroupName: groupName,
          arn: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${String(inputs.clusterName)}/${groupName}/${hex(8)}`,
          status: "ACTIVE",
        },
      };
    }
    case "aws:guardduty/detector:Detector":
      return { id: hex(32), state: { ...inputs, accountId, arn: `arn:${partition}:guardduty:${region}:${accountId}:detector/${hex(32)}` } };
    case "aws:ecr/repository:Repository":
      return {
        id: String(inputs.name),
        state: {
          ...inputs,
          arn: `arn:${partition}:ecr:${region}:${accountId}:repository/${String(inputs.name)}`,
          repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${String(inputs.name)}`,
          registryId: accountId,
        },
      };
    default:
      return { id: `${name}-${hex(8)}`, state: { ...inputs } };
  }
}

/** Answers the provider functions the program calls; an unknown function fails the test loudly. */
export function mockCall(account: MockAccount, token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const { accountId, region, partition } = account;
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId,
        arn: `arn:${partition}:iam::${accountId}:role/bulwark-deployer`,
        userId: `AROA${mockHex("caller", 17).toUpperCase()}:ci`,
        id: accountId,
      };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const letters = ["a", "b", "c"];
      const short = region.replace(/^([a-z]{2})-([a-z])[a-z]*-([0-9])$/, "$1$2$3");
      return {
        names: letters.map((l) => `${region}${l}`),
        zoneIds: letters.map((_, i) => `${short}-az${i + 1}`),
        groupNames: [region],
        state: inputs.state,
        id: region,
      };
    }
    case "aws:eks/getCluster:getCluster": {
      // A cluster made elsewhere (bulwark:deploy.target: existing, eksClusterName).
      const name = String(inputs.name);
      return {
        id: name,
        name,
        arn: `arn:${partition}:eks:${region}:${accountId}:cluster/${name}`,
        endpoint: `https://${mockHex(`eks/${name}`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthorities: [{ data: Buffer.from(`mock CA of ${name}`).toString("base64") }],
        vpcConfig: { vpcId: `vpc-${mockHex(`vpc/${name}`, 17)}` },
      };
    }
    default: {
      const message = `the mock harness does not answer provider function ${token}; add it to lib/plan/mocks.ts`;
      // The runtime reports a failed invoke by the gRPC error's `details`, so the message goes there too.
      throw Object.assign(new Error(message), { details: message });
    }
  }
}

/** Pulumi mocks answering with {@link mockResourceState} and {@link mockCall} for `account`. */
export function accountMocks(account: MockAccount = DEFAULT_MOCK_ACCOUNT) {
  return {
    newResource: (args: { type: string; name: string; inputs: Record<string, unknown> }) => mockResourceState(account, args.type, args.name, args.inputs),
    call: (args: { token: string; inputs: Record<string, unknown> }) => mockCall(account, args.token, args.inputs),
  };
}
