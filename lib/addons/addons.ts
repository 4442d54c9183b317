import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AddonKey } from "../../config/cluster";
import { ADDON_NAMES } from "../../config/cluster";
import { ebsCsiKeyUsePolicy, irsaTrustPolicy, managedPolicyArn } from "../cluster/policies";
import type { ClusterScope } from "../scope";
import { networkPolicyLogsPolicy, vpcCniConfiguration } from "./network-policy-logs";

/** Add-ons that must run before nodes join (networking, kube-proxy, Pod Identity); the rest need nodes. */
export const ADDONS_BEFORE_NODES: readonly AddonKey[] = ["vpcCni", "kubeProxy", "podIdentityAgent"];
export const ADDONS_AFTER_NODES: readonly AddonKey[] = ["coredns", "ebsCsiDriver"];

/** Service accounts of the add-ons that call AWS APIs through IRSA. */
export const ADDON_SERVICE_ACCOUNTS = {
  vpcCni: { namespace: "kube-system", serviceAccount: "aws-node", policy: "AmazonEKS_CNI_Policy" },
  ebsCsiDriver: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", policy: "service-role/AmazonEBSCSIDriverPolicy" },
} as const;

/** What the add-ons are installed into. */
export interface AddonInputs {
  readonly clusterName: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly ebsKeyArn: pulumi.Output<string>;
  /** The log group the VPC CNI's network policy agent streams policy events (denied flows) into. */
  readonly policyEventLogGroupArn: pulumi.Output<string>;
}

/** The pinned managed add-ons; `afterNodes` installs the ones that need nodes to run on. */
export interface ClusterAddons {
  readonly beforeNodes: readonly aws.eks.Addon[];
  afterNodes(nodeGroups: readonly pulumi.Resource[]): aws.eks.Addon[];
}

/** An IRSA role for an add-on that calls AWS (the CNI policy lives here, not on the node role). */
function createIrsaRole(scope: ClusterScope, inputs: AddonInputs, addon: keyof typeof ADDON_SERVICE_ACCOUNTS): aws.iam.Role {
  const { name, parent, settings, tags } = scope;
  const sa = ADDON_SERVICE_ACCOUNTS[addon];
  const role = new aws.iam.Role(
    `${name}-${ADDON_NAMES[addon]}`,
    {
      description: `${ADDON_NAMES[addon]} (${sa.namespace}/${sa.serviceAccount}) of ${settings.clusterName}`,
      assumeRolePolicy: pulumi
        .all([inputs.oidcProviderArn, inputs.oidcIssuer])
        .apply(([arn, url]) => JSON.stringify(irsaTrustPolicy(arn, url, sa.namespace, sa.serviceAccount))),
      tags,
    },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-${ADDON_NAMES[addon]}`,
    {
      role: role.name,
      policyArn: inputs.partition.apply((p) => managedPolicyArn(p, sa.policy)),
    },
    { parent },
  );
  return role;
}

/**
 * The IRSA roles, then the add-ons that run before nodes; the returned `afterNodes` installs the rest.
 * Pinned versions, and our configuration wins over anything changed in the cluster.
 */
export function createAddons(scope: ClusterScope, inputs: AddonInputs): ClusterAddons {
  const { name, parent, settings, tags } = scope;
  const cniRole = createIrsaRole(scope, inputs, "vpcCni");
  const ebsCsiRole = createIrsaRole(scope, inputs, "ebsCsiDriver");
  new aws.iam.RolePolicy(
    `${name}-aws-ebs-csi-driver-key`,
    {
      role: ebsCsiRole.id,
      policy: inputs.ebsKeyArn.apply((arn) => JSON.stringify(ebsCsiKeyUsePolicy(arn))),
    },
    { parent },
  );
  // aws-node's node agent shares the pod's service account, so its CloudWatch writes use the CNI role.
  new aws.iam.RolePolicy(
    `${name}-vpc-cni-policy-event-logs`,
    {
      role: cniRole.id,
      policy: inputs.policyEventLogGroupArn.apply((arn) => JSON.stringify(networkPolicyLogsPolicy(arn))),
    },
    { parent },
  );
  const extras: Record<AddonKey, Partial<aws.eks.AddonArgs>> = {
    vpcCni: { serviceAccountRoleArn: cniRole.arn, configurationValues: JSON.stringify(vpcCniConfiguration()) },
    kubeProxy: {},
    podIdentityAgent: {},
    coredns: {},
    ebsCsiDriver: { serviceAccountRoleArn: ebsCsiRole.arn },
  };
  const addon = (key: AddonKey, dependsOn: readonly pulumi.Resource[]) =>
    new aws.eks.Addon(
      `${name}-${ADDON_NAMES[key]}`,
      {
        clusterName: inputs.clusterName,
        addonName: ADDON_NAMES[key],
        addonVersion: settings.addonVersions[key],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
        ...extras[key],
      },
      { parent, dependsOn: [...dependsOn] },
    );
  return {
    beforeNodes: ADDONS_BEFORE_NODES.map((key) => addon(key, [])),
    afterNodes: (nodeGroups) => ADDONS_AFTER_NODES.map((key) => addon(key, nodeGroups)),
  };
}
