import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../cluster/policies";
import { createKey } from "../kms/keys";
import type { ClusterScope } from "../scope";

/**
 * The configured ECR repositories: IMMUTABLE tags, scan on push, encrypted with their own key (created only
 * when there is a repository), never force-deleted with their images.
 */
export function createEcrRepositories(scope: ClusterScope, account: pulumi.Output<AccountContext>): void {
  const { name, parent, settings, tags } = scope;
  if (settings.ecrRepositories.length === 0) return;
  const ecrKey = createKey(scope, account, "ecr", "container images in ECR");
  for (const repository of settings.ecrRepositories) {
    new aws.ecr.Repository(
      `${name}-ecr-${repository.replace(/[^a-z0-9-]/g, "-")}`,
      {
        name: repository,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: ecrKey.arn }],
        forceDelete: false,
        tags,
      },
      { parent },
    );
  }
}
