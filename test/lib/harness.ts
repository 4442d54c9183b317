/**
 * A small Pulumi mock harness: runs Pulumi programs in-process (pulumi.runtime.setMocks), answers provider
 * functions and resources with realistic AWS values, and records every registered resource with its type,
 * name, inputs, parent and options. A later offline `plan` can reuse it as is.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiSettings from "@pulumi/pulumi/runtime/settings";

/** Options of a registered resource that matter for review. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs this resource depends on explicitly (`dependsOn`) or through its inputs. */
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
}

/** One registered resource, as the engine would have received it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for provider (custom) resources, false for components. */
  readonly custom: boolean;
  /** The inputs, fully resolved (no Outputs). */
  readonly inputs: Record<string, unknown>;
  /** The parent's URN (the stack for top-level resources). */
  readonly parent: string;
  readonly options: RecordedOptions;
  /** The mocked id and outputs the harness answered with. */
  readonly id: string;
  readonly state: Record<string, unknown>;
}

/** A provider-function call the program made. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** The account the mocks pretend to be. */
export interface MockAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

export const DEFAULT_MOCK_ACCOUNT: MockAccount = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };

export interface MockHarness {
  readonly account: MockAccount;
  /** Every resource registered since the last {@link reset}, in registration order. */
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
  /** Waits until every pending registration and call has been answered. */
  settle(): Promise<void>;
  /** Forgets what was recorded (between tests in one file). */
  reset(): void;
  /** Resources of one type. */
  ofType(type: string): RecordedResource[];
  /** Exactly one resource of `type` (and `name` when given); throws otherwise. */
  one(type: string, name?: string): RecordedResource;
  /** The resource with this URN. */
  byUrn(urn: string): RecordedResource | undefined;
}

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

/** Realistic ids and outputs per AWS resource type; unknown types echo their inputs. */
export function mockResourceState(
  account: MockAccount,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
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
      return { id: roleName, state: { ...inputs, name: roleName, arn: `arn:${partition}:iam::${accountId}:role/${roleName}`, uniqueId: `AROA${hex(17).toUpperCase()}` } };
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
      return { id: `${String(inputs.clusterName)}:${groupName}`, state: { ...inputs, nodeGroupName: groupName, arn: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${String(inputs.clusterName)}/${groupName}/${hex(8)}`, status: "ACTIVE" } };
    }
    case "aws:guardduty/detector:Detector":
      return { id: hex(32), state: { ...inputs, accountId, arn: `arn:${partition}:guardduty:${region}:${accountId}:detector/${hex(32)}` } };
    case "aws:ecr/repository:Repository":
      return { id: String(inputs.name), state: { ...inputs, arn: `arn:${partition}:ecr:${region}:${accountId}:repository/${String(inputs.name)}`, repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${String(inputs.name)}`, registryId: accountId } };
    default:
      return { id: `${name}-${hex(8)}`, state: { ...inputs } };
  }
}

/** Answers the provider functions the program calls; an unknown function fails the test loudly. */
export function mockCall(account: MockAccount, token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const { accountId, region, partition } = account;
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId, arn: `arn:${partition}:iam::${accountId}:role/bulwark-deployer`, userId: `AROA${mockHex("caller", 17).toUpperCase()}:ci`, id: accountId };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const letters = ["a", "b", "c"];
      const short = region.replace(/^([a-z]{2})-([a-z])[a-z]*-([0-9])$/, "$1$2$3");
      return { names: letters.map((l) => `${region}${l}`), zoneIds: letters.map((_, i) => `${short}-az${i + 1}`), groupNames: [region], state: inputs.state, id: region };
    }
    default: {
      const message = `the mock harness does not answer provider function ${token}; add it to test/lib/harness.ts`;
      // The runtime reports a failed invoke by the gRPC error's `details`, so the message goes there too.
      throw Object.assign(new Error(message), { details: message });
    }
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}

/** Installs the mocks (call before constructing resources) and returns the recorder. */
export function installMocks(account: MockAccount = DEFAULT_MOCK_ACCOUNT, project = "bulwark", stack = "dev"): MockHarness {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  const answered = new Map<string, { id: string; state: Record<string, unknown> }>();
  void pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const result = mockResourceState(account, args.type, args.name, args.inputs as Record<string, unknown>);
        answered.set(`${args.type}::${args.name}`, result);
        return result;
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        return mockCall(account, args.token, args.inputs as Record<string, unknown>);
      },
    },
    project,
    stack,
    false,
  );

  // Wrap the mock monitor to see what the engine would: parent, protect, retainOnDelete, dependencies.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: (err: unknown, response: { getUrn(): string } | undefined) => void): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const answer = answered.get(`${req.getType()}::${req.getName()}`) ?? { id: "", state: {} };
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>,
          parent: req.getParent(),
          options: {
            protect: req.getProtect(),
            retainOnDelete: req.getRetainondelete(),
            dependsOn: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(),
          },
          id: answer.id,
          state: answer.state,
        });
      }
      callback(err, response);
    });

  const harness: MockHarness = {
    account,
    resources,
    calls,
    settle: async () => {
      // waitForRPCs is internal to @pulumi/pulumi (not in its typings); it drains pending registrations and calls.
      await (pulumiSettings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    },
    reset: () => {
      resources.length = 0;
      calls.length = 0;
    },
    ofType: (type) => resources.filter((r) => r.type === type),
    one: (type, name) => {
      const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
      if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
      return found[0];
    },
    byUrn: (urn) => resources.find((r) => r.urn === urn),
  };
  return harness;
}

/**
 * Runs `construct` without capturing stack traces. Pulumi records each resource's source position from
 * `new Error().stack`, which jest source-maps: about 30 ms per resource, and of no use to assertions.
 */
export function withoutSourcePositions<T>(construct: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return construct();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The value of an Output (mocks resolve every value; secrets are unwrapped). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}
