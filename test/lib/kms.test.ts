/**
 * lib/kms: one customer-managed key per purpose and its policy (under Pulumi mocks).
 */
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, clusterInputs, named, policyOf, keyArn } = clusterFixture();

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
    await build({ kms: { keyAdministrators: ["arn:aws:iam::123456789012:role/key-admin"] } });
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
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Resource: keyArn("secrets"), Action: expect.arrayContaining(["kms:Encrypt", "kms:Decrypt"]) }),
    ]);
  });
});
