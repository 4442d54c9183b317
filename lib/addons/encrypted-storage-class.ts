import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The cluster's default StorageClass: gp3 through the EBS CSI driver, encrypted with the cluster's
 * customer-managed EBS key. EKS's own `gp2` class is unencrypted (and, from Kubernetes 1.30, no longer the
 * default: EKS User Guide, "Store Kubernetes volumes with Amazon EBS"), so without this class a tenant's PVC
 * either gets no volume or an unencrypted one.
 */
export const ENCRYPTED_STORAGE_CLASS = {
  name: "gp3-encrypted",
  provisioner: "ebs.csi.aws.com",
} as const;

export interface EncryptedStorageClassArgs {
  /** Provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** ARN of the customer-managed KMS key for EBS volumes (the EBS CSI driver's role may use it). */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** The encrypted gp3 default StorageClass (`bulwark:addons:EncryptedStorageClass`). */
export class EncryptedStorageClass extends pulumi.ComponentResource {
  readonly storageClass: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EncryptedStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bulwark:addons:EncryptedStorageClass", name, {}, opts);
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-class`,
      {
        metadata: {
          name: ENCRYPTED_STORAGE_CLASS.name,
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
          labels: { "app.kubernetes.io/managed-by": "bulwark" },
        },
        provisioner: ENCRYPTED_STORAGE_CLASS.provisioner,
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
        // Created in the pod's availability zone, once it is scheduled.
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ name: this.storageClass.metadata.name });
  }
}
