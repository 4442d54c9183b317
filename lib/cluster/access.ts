import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { TenantTier } from "../../config/tenants";
import type { ClusterScope } from "../scope";
import type { HardenedEksClusterArgs } from "./args";
import { accessPolicyArn } from "./policies";

/**
 * EKS access policy associated, namespace-scoped, with each tenant tier's IAM principals. Always the
 * read-only View policy: EKS access policies add to RBAC, and AmazonEKSEditPolicy / AmazonEKSAdminPolicy
 * would grant more than the tenant Roles (exec for edit, Secrets and RBAC writes). What a tier may
 * change comes only from the baseline's Roles, bound to the tier's Kubernetes group.
 */
export const TENANT_TIER_ACCESS_POLICIES: Readonly<Record<TenantTier, string>> = {
  admin: "AmazonEKSViewPolicy",
  edit: "AmazonEKSViewPolicy",
  view: "AmazonEKSViewPolicy",
};

/** EKS access policy of the cluster administrators (cluster scope). */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/**
 * Access entries: one per IAM principal (EKS allows one), carrying the Kubernetes groups of every tenant tier
 * it is in, and one policy association per access policy, cluster-scoped for admins and scoped to the
 * tenants' namespaces otherwise.
 */
export function createAccessEntries(scope: ClusterScope, clusterName: pulumi.Output<string>, partition: pulumi.Output<string>): void {
  const { name, parent, settings } = scope;
  for (const grant of planAccess(settings)) {
    const slug = principalSlug(grant.principalArn);
    const entry = new aws.eks.AccessEntry(
      `${name}-access-${slug}`,
      {
        clusterName,
        principalArn: grant.principalArn,
        type: "STANDARD",
        ...(grant.kubernetesGroups.length > 0 ? { kubernetesGroups: [...grant.kubernetesGroups] } : {}),
        tags: settings.tags,
      },
      { parent },
    );
    for (const association of grant.policies) {
      new aws.eks.AccessPolicyAssociation(
        `${name}-access-${slug}-${association.policy}`,
        {
          clusterName,
          principalArn: entry.principalArn,
          policyArn: partition.apply((p) => accessPolicyArn(p, association.policy)),
          accessScope: association.namespaces === "cluster" ? { type: "cluster" } : { type: "namespace", namespaces: [...association.namespaces] },
        },
        { parent },
      );
    }
  }
}

/** What one IAM principal is granted in the cluster. */
export interface PrincipalGrant {
  readonly principalArn: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly { readonly policy: string; readonly namespaces: "cluster" | readonly string[] }[];
}

/** Merges admin and tenant access per principal, deterministically sorted. */
export function planAccess(settings: Pick<HardenedEksClusterArgs, "adminPrincipals" | "tenantAccess">): PrincipalGrant[] {
  const byPrincipal = new Map<string, { groups: Set<string>; policies: Map<string, Set<string> | "cluster"> }>();
  const grantOf = (arn: string) => {
    let grant = byPrincipal.get(arn);
    if (!grant) byPrincipal.set(arn, (grant = { groups: new Set(), policies: new Map() }));
    return grant;
  };
  for (const arn of settings.adminPrincipals) grantOf(arn).policies.set(CLUSTER_ADMIN_ACCESS_POLICY, "cluster");
  for (const access of settings.tenantAccess) {
    const policy = TENANT_TIER_ACCESS_POLICIES[access.tier];
    for (const arn of access.principalArns) {
      const grant = grantOf(arn);
      grant.groups.add(access.kubernetesGroup);
      const namespaces = grant.policies.get(policy) ?? new Set<string>();
      if (namespaces !== "cluster") grant.policies.set(policy, namespaces.add(access.namespace));
    }
  }
  return [...byPrincipal.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([principalArn, grant]) => ({
      principalArn,
      kubernetesGroups: [...grant.groups].sort(),
      policies: [...grant.policies.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([policy, namespaces]) => ({ policy, namespaces: namespaces === "cluster" ? ("cluster" as const) : [...namespaces].sort() })),
    }));
}

/** A readable, unique resource-name part for an IAM principal: its last path segment and a short hash. */
function principalSlug(arn: string): string {
  const last = arn.split("/").pop() ?? arn;
  const readable = last
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 40);
  return `${readable}-${createHash("sha256").update(arn).digest("hex").slice(0, 8)}`;
}
