import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext, KeyPurpose } from "../cluster/policies";
import { keyPolicy } from "../cluster/policies";
import type { ClusterScope } from "../scope";

/** The keys every cluster has; `ecr` is created only with ECR repositories. */
export type ClusterKeys = Readonly<Record<"secrets" | "logs" | "ebs", aws.kms.Key>>;

/**
 * One customer-managed key for `purpose` (`${name}-<purpose>`, alias `alias/<cluster>-<purpose>`): rotated
 * yearly, long deletion window, a key policy that separates administration from use.
 */
export function createKey(scope: ClusterScope, account: pulumi.Output<AccountContext>, purpose: KeyPurpose, description: string): aws.kms.Key {
  const { name, parent, settings, tags } = scope;
  const key = new aws.kms.Key(
    `${name}-${purpose}`,
    {
      description: `${settings.clusterName}: ${description}`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: settings.kmsDeletionWindowInDays,
      bypassPolicyLockoutSafetyCheck: false,
      policy: account.apply((ctx) => JSON.stringify(keyPolicy(purpose, ctx, settings.kmsKeyAdministrators))),
      tags,
    },
    scope.guarded,
  );
  new aws.kms.Alias(`${name}-${purpose}`, { name: `alias/${settings.clusterName}-${purpose}`, targetKeyId: key.keyId }, { parent });
  return key;
}

/** One key per purpose: Secrets envelope encryption, log groups, EBS volumes. */
export function createClusterKeys(scope: ClusterScope, account: pulumi.Output<AccountContext>): ClusterKeys {
  return {
    secrets: createKey(scope, account, "secrets", "envelope encryption of Kubernetes Secrets"),
    logs: createKey(scope, account, "logs", "control-plane and VPC flow log groups"),
    ebs: createKey(scope, account, "ebs", "node and persistent volumes"),
  };
}
