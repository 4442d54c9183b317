/**
 * IAM and KMS policy documents, as pure functions of plain strings (the component feeds them resolved
 * Outputs), so tests can check them without the Pulumi engine.
 */

/** An IAM / KMS policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[]; readonly Federated?: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM / KMS policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** What each KMS key protects. One key per purpose: separate key policies, grants and audit trails. */
export type KeyPurpose = "secrets" | "logs" | "ebs" | "ecr";

/** Account facts a key policy needs. */
export interface AccountContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** Actions of a key administrator: manage, never use (no Encrypt/Decrypt/GenerateDataKey). */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:Create*",
  "kms:Delete*",
  "kms:Describe*",
  "kms:Disable*",
  "kms:Enable*",
  "kms:Get*",
  "kms:List*",
  "kms:Put*",
  "kms:Revoke*",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:Update*",
] as const;

const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"] as const;

/**
 * The key policy of one purpose's key. The account root statement keeps the account in control (IAM policies
 * can always grant, so the key cannot be locked out); administrators get management only; service principals
 * get use only, scoped by a condition. No statement has Principal `*`.
 */
export function keyPolicy(purpose: KeyPurpose, account: AccountContext, keyAdministrators: readonly string[]): PolicyDocument {
  const { partition, accountId, region } = account;
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountRootAdministersTheKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (keyAdministrators.length > 0) {
    statements.push({
      Sid: "KeyAdministratorsManageButDoNotUse",
      Effect: "Allow",
      Principal: { AWS: [...keyAdministrators] },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    });
  }
  if (purpose === "logs") {
    // CloudWatch Logs encrypts the log groups of this account and region only.
    statements.push({
      Sid: "CloudWatchLogsUseForThisAccountsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` } },
    });
  }
  if (purpose === "ebs") {
    // Managed node groups launch through Auto Scaling, whose service-linked role encrypts the node volumes.
    const autoscaling = `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    statements.push(
      {
        Sid: "AutoScalingUsesTheKeyForNodeVolumes",
        Effect: "Allow",
        Principal: { AWS: autoscaling },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "AutoScalingGrantsOnlyForAwsResources",
        Effect: "Allow",
        Principal: { AWS: autoscaling },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy for an AWS service principal (`eks.amazonaws.com`, `ec2.amazonaws.com`, ...). */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"], condition?: PolicyStatement["Condition"]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions], ...(condition ? { Condition: condition } : {}) }],
  };
}

/**
 * IRSA trust: only `namespace/serviceAccount` of this cluster, with the STS audience, may assume the role.
 * `issuerUrl` is the cluster's OIDC issuer (https://oidc.eks...), `providerArn` the IAM OIDC provider.
 */
export function irsaTrustPolicy(providerArn: string, issuerUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
  const issuer = issuerUrl.replace(/^https:\/\//, "");
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** The cluster role's use of the Secrets key: what EKS envelope encryption needs, on that key only. */
export function secretsKeyUsePolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
  };
}

/** The EBS CSI driver's use of the node-volume key: create encrypted volumes, grants for AWS resources only. */
export function ebsCsiKeyUsePolicy(keyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: [...KEY_USE_ACTIONS], Resource: keyArn },
      {
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: keyArn,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/** What the VPC flow-log delivery role may do: write to its one log group. */
export function flowLogDeliveryPolicy(logGroupArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ],
  };
}

/** AWS managed policy ARNs, by the name AWS gives them. */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/** EKS access policy ARNs (`AmazonEKSClusterAdminPolicy`, `AmazonEKSEditPolicy`, ...). */
export function accessPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}
