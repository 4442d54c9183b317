/**
 * The VPC CNI's network policy event logs (denied flows) in CloudWatch Logs: the add-on configuration that
 * turns them on, and the one IAM statement set its node agent needs. Pure, so tests read exactly what is set.
 */
import type { PolicyDocument } from "../cluster/policies";

/**
 * The VPC CNI managed add-on's `configurationValues`. Keys: `enableNetworkPolicy` and
 * `nodeAgent.enablePolicyEventLogs` / `nodeAgent.enableCloudWatchLogs` (strings, chart defaults "false"),
 * aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml at v1.23.0
 * (https://raw.githubusercontent.com/aws/amazon-vpc-cni-k8s/v1.23.0/charts/aws-vpc-cni/values.yaml).
 * The agent streams to CloudWatch only with policy event logs on (flag help of `enable-cloudwatch-logs`,
 * aws/aws-network-policy-agent pkg/config/controller_config.go).
 */
export function vpcCniConfiguration(): Record<string, unknown> {
  return {
    // NetworkPolicies do nothing without an enforcing CNI.
    enableNetworkPolicy: "true",
    // Every verdict of the eBPF probes (denied flows included) is logged and streamed to CloudWatch Logs.
    nodeAgent: { enablePolicyEventLogs: "true", enableCloudWatchLogs: "true" },
  };
}

/**
 * The log group the node agent writes to: `/aws/eks/<cluster>/cluster`, the cluster's control-plane log
 * group (aws/aws-network-policy-agent pkg/ebpf/events/events.go `setupCW`, tag v1.4.1, commit
 * 3816fa4e3a6ac477c7ae19d043342c15daffaa8d). That group is ours: KMS-encrypted with the logs key, with
 * retention, protected from destroy, created before the cluster and so before the add-on.
 */
export function policyEventLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/**
 * What the node agent calls (events.go at v1.4.1): `DescribeLogGroups` with no prefix (an account-level
 * list, so it cannot be narrowed to one group), `CreateLogGroup` when that first page does not list the
 * group (accounts with more than one page of groups; the group exists, so the call ends in
 * ResourceAlreadyExists, and it can only ever name this group, which EKS itself would also create),
 * `CreateLogStream` (`aws-network-policy-agent-audit-<uuid>`) and `PutLogEvents`. Writing into a
 * KMS-encrypted group needs no KMS permission of the writer: CloudWatch Logs uses the key under the logs
 * key's policy. The agent finds the cluster name with `ec2:DescribeTags`, which AmazonEKS_CNI_Policy
 * already grants the same role.
 * @param logGroupArn the group's ARN as `aws.cloudwatch.LogGroup.arn` gives it (no trailing `:*`)
 */
export function networkPolicyLogsPolicy(logGroupArn: string): PolicyDocument {
  const match = /^(arn:[^:]+:logs:[^:]+:\d{12}:log-group:)(.+)$/.exec(logGroupArn);
  if (!match) throw new Error(`networkPolicyLogsPolicy: ${JSON.stringify(logGroupArn)} is not a CloudWatch Logs log group ARN`);
  const accountGroups = `${match[1]}*`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "FindTheLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: accountGroups },
      { Sid: "EnsureTheLogGroup", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: logGroupArn },
      { Sid: "WritePolicyEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroupArn, `${logGroupArn}:*`] },
    ],
  };
}
