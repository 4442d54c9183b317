/**
 * The shared fixture of the HardenedEksCluster tests: Pulumi's mocks (test/lib/harness.ts), resource type
 * tokens, and a build from a minimal stack's `bulwark:cluster` through the config schema and adapter.
 */
import type { MockHarness, RecordedResource } from "./harness";
import { installMocks, withoutSourcePositions } from "./harness";
import type { HardenedEksClusterArgs, PolicyDocument } from "../../lib/cluster";
import { HardenedEksCluster } from "../../lib/cluster";
import { clusterArgs } from "../support/cluster-args";

export const T = {
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

export const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";

/** Mocks for one test file, and helpers that read what the component registered. */
export function clusterFixture() {
  const mocks: MockHarness = installMocks();
  /** Builds the component from a `bulwark:cluster` patch (or ready props) and waits for every registration. */
  async function build(cluster: Record<string, unknown> | HardenedEksClusterArgs = {}, name = "test"): Promise<HardenedEksCluster> {
    const args = "clusterName" in cluster ? (cluster as HardenedEksClusterArgs) : clusterArgs(cluster);
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
  return { mocks, build, inputs, clusterInputs, named, policyOf, keyArn };
}
