/** The mock harness records what the engine would receive; a later offline `plan` relies on this. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, mockHex, valueOf, withoutSourcePositions } from "./harness";

const mocks = installMocks();

class Probe extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  constructor(name: string) {
    super("test:probe:Probe", name, {}, {});
    const key = new aws.kms.Key(`${name}-key`, { enableKeyRotation: true }, { parent: this, protect: true, retainOnDelete: true });
    new aws.kms.Alias(`${name}-alias`, { name: "alias/probe", targetKeyId: key.keyId }, { parent: this, ignoreChanges: ["name"] });
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}

test("records type, name, resolved inputs, parent, options and the mocked answer", async () => {
  mocks.reset();
  const probe = withoutSourcePositions(() => new Probe("p"));
  await mocks.settle();
  const component = mocks.one("test:probe:Probe");
  const key = mocks.one("aws:kms/key:Key");
  const alias = mocks.one("aws:kms/alias:Alias");
  expect(component.custom).toBe(false);
  expect(key).toMatchObject({ name: "p-key", custom: true, parent: component.urn, inputs: { enableKeyRotation: true } });
  expect(key.options).toMatchObject({ protect: true, retainOnDelete: true });
  expect(alias.options).toMatchObject({ protect: false, retainOnDelete: false, ignoreChanges: ["name"] });
  expect(alias.inputs.targetKeyId).toBe(key.state.keyId);
  expect(alias.options.dependsOn).toContain(key.urn);
  expect(await valueOf(probe.keyArn)).toBe(`arn:aws:kms:eu-west-1:123456789012:key/${key.id}`);
  expect(mocks.byUrn(key.urn)).toBe(key);
});

test("answers the account's provider functions and refuses unknown ones loudly", async () => {
  const identity = await aws.getCallerIdentity();
  expect(identity.accountId).toBe("123456789012");
  expect((await aws.getAvailabilityZones({ state: "available" })).names).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  await expect(aws.ec2.getVpc({ default: true })).rejects.toThrow(/does not answer provider function aws:ec2\/getVpc:getVpc/);
});

test("mocked ids are deterministic", () => {
  expect(mockHex("seed", 20)).toBe(mockHex("seed", 20));
  expect(mockHex("seed", 20)).not.toBe(mockHex("other", 20));
  expect(mockHex("seed", 100)).toHaveLength(100);
});
