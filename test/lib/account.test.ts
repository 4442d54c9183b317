/**
 * lib/account: account-level resources, GuardDuty and ECR (under Pulumi mocks).
 */
import { clusterFixture, T } from "./cluster-fixture";

const { mocks, build, named, keyArn } = clusterFixture();

describe("optional controls", () => {
  test("GuardDuty: EKS audit-log and runtime monitoring with the managed agent", async () => {
    await build({ guardDuty: { enabled: true } });
    const detector = mocks.one(T.detector);
    const features = Object.fromEntries(mocks.ofType(T.feature).map((f) => [f.inputs.name, f.inputs]));
    expect(features.EKS_AUDIT_LOGS).toMatchObject({ detectorId: detector.id, status: "ENABLED" });
    expect(features.RUNTIME_MONITORING).toMatchObject({
      detectorId: detector.id,
      status: "ENABLED",
      additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
    });
    await build({ guardDuty: { enabled: true, detectorId: "0123456789abcdef0123456789abcdef" } });
    expect(mocks.ofType(T.detector)).toHaveLength(0);
    expect(mocks.ofType(T.feature).every((f) => f.inputs.detectorId === "0123456789abcdef0123456789abcdef")).toBe(true);
    await build();
    expect(mocks.ofType(T.feature)).toHaveLength(0);
  });

  test("ECR repositories: scan on push, immutable tags, encrypted with their own KMS key", async () => {
    await build({ ecrRepositories: ["payments/api"] });
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
