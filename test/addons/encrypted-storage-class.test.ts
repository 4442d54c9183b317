import type { PlannedResource } from "../../lib/plan/engine";
import { planProgram } from "../support/plan";

describe("EncryptedStorageClass", () => {
  let resources: readonly PlannedResource[];
  beforeAll(async () => {
    const plan = await planProgram(async () => {
      const k8s = await import("@pulumi/kubernetes");
      const { EncryptedStorageClass } = await import("../../lib/addons/encrypted-storage-class");
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      new EncryptedStorageClass("storage", { provider, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ebs" });
    });
    resources = plan.resources;
  });

  test("is the default class: gp3 through the EBS CSI driver, encrypted with the customer-managed key", () => {
    const [sc] = resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    const component = resources.find((r) => r.type === "bulwark:addons:EncryptedStorageClass");
    expect(sc.parent).toBe(component?.urn);
    expect(sc.provider).toMatch(/pulumi:providers:kubernetes::cluster$/);
    expect(sc.inputs).toMatchObject({
      metadata: { name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/ebs" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
  });
});
