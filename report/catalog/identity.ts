/** AWS layer, identity: access entries, scoped access policies, the company IdP, workload identities. */
import { planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, control, eksCluster, missing, NSA, ref, requireAll, T_CLUSTER } from "./control";

export const awsIdentityControls: Control[] = [
  control(
    {
      id: "AWS-AUTH-MODE",
      title: "Access entries only (authenticationMode API), no implicit cluster-creator admin",
      layer: "aws",
      checklist: "RBAC least privilege",
      nsa: NSA.authn,
      cis: "5.5.1 Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater",
      bp: BP.iam,
    },
    "resource",
    "aws:eks/cluster:Cluster accessConfig",
    { file: T_CLUSTER, name: "access › API authentication only, no implicit admin for the cluster creator" },
    (ctx) => {
      const c = eksCluster(ctx);
      if (!c) return missing("no aws:eks/cluster:Cluster in the plan");
      const access = c.inputs.accessConfig;
      const problems: string[] = [];
      if (access?.authenticationMode !== "API")
        problems.push(`authenticationMode is ${String(access?.authenticationMode)}, not API (aws-auth ConfigMap still honoured)`);
      if (access?.bootstrapClusterCreatorAdminPermissions !== false) problems.push("the cluster creator is made cluster-admin");
      return requireAll([ref(c)], problems);
    },
  ),
  control(
    {
      id: "AWS-ADMIN-ACCESS-SCOPED",
      title: "Cluster-scoped EKS admin access only for the configured admin principals",
      layer: "aws",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      cis: "4.1.1 Ensure that the cluster-admin role is only used where required",
      bp: BP.iam,
    },
    "resource",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    { file: T_CLUSTER, name: "access › admin principals get a cluster-scoped AmazonEKSClusterAdminPolicy association" },
    (ctx) => {
      const admins = new Set(ctx.config.cluster.adminPrincipals ?? []);
      const assocs = planResources(ctx.plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
      const clusterScoped = assocs.filter((a) => a.inputs.accessScope?.type === "cluster");
      const problems = clusterScoped
        .filter((a) => !admins.has(String(a.inputs.principalArn)))
        .map((a) => `${a.name}: cluster-scoped access for a non-admin principal`);
      return requireAll(assocs.map(ref), problems);
    },
  ),
  control(
    {
      id: "AWS-TENANT-ACCESS-SCOPED",
      title: "Tenant IAM principals get namespace-scoped view access only; their rights come from the tenant Roles",
      layer: "aws",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      bp: BP.multiTenancy,
    },
    "resource",
    "aws:eks/accessEntry:AccessEntry kubernetesGroups",
    { file: T_CLUSTER, name: "access › tenant principals get namespace-scoped access in their tier's Kubernetes group, one entry per principal" },
    (ctx) => {
      const tenantArns = new Set(ctx.config.tenants.flatMap((t) => Object.values(t.awsPrincipals ?? {}).flatMap((a) => a ?? [])));
      const assocs = planResources(ctx.plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) =>
        tenantArns.has(String(a.inputs.principalArn)),
      );
      const entries = planResources(ctx.plan, "aws:eks/accessEntry:AccessEntry").filter((e) => tenantArns.has(String(e.inputs.principalArn)));
      const problems = assocs
        .filter((a) => a.inputs.accessScope?.type !== "namespace" || !String(a.inputs.policyArn).endsWith("/AmazonEKSViewPolicy"))
        .map((a) => `${a.name}: not a namespace-scoped AmazonEKSViewPolicy`);
      if (entries.length < tenantArns.size) problems.push(`${tenantArns.size - entries.length} tenant principals have no access entry`);
      return requireAll([...entries, ...assocs].map(ref).concat(tenantArns.size === 0 ? ["no tenant IAM principals configured"] : []), problems);
    },
  ),
  control(
    {
      id: "AWS-OIDC-IDP",
      title: "Humans authenticate through the company IdP (OIDC) with prefixed usernames and groups",
      layer: "aws",
      checklist: "third-party authentication",
      nsa: NSA.authn,
      bp: BP.iam,
    },
    "resource",
    "aws:eks/identityProviderConfig:IdentityProviderConfig",
    { file: T_CLUSTER, name: "access › the company IdP is configured from identityProvider with the default claims and prefixes" },
    (ctx) => {
      const idp = planResources(ctx.plan, "aws:eks/identityProviderConfig:IdentityProviderConfig")[0];
      if (!idp) return missing("no OIDC identity provider config (bulwark:cluster.identityProvider)");
      const oidc = idp.inputs.oidc;
      const problems: string[] = [];
      if (!String(oidc?.issuerUrl ?? "").startsWith("https://")) problems.push("issuerUrl is not https");
      if (!oidc?.groupsPrefix) problems.push("no groupsPrefix: an IdP group could be named system:masters");
      if (!oidc?.usernamePrefix) problems.push("no usernamePrefix");
      return requireAll([ref(idp)], problems);
    },
  ),
  control(
    {
      id: "AWS-WORKLOAD-IDENTITY",
      title: "Pods get AWS credentials via IRSA / Pod Identity, add-ons via their own roles, not the node role",
      layer: "aws",
      checklist: "service-account tokens",
      bp: BP.iam,
    },
    "resource",
    "aws:iam/openIdConnectProvider + eks-pod-identity-agent + add-on roles",
    { file: T_CLUSTER, name: "access › an IAM OIDC provider trusts the cluster's issuer for STS (IRSA), and the Pod Identity agent runs" },
    (ctx) => {
      const oidc = planResources(ctx.plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
      const addons = planResources(ctx.plan, "aws:eks/addon:Addon");
      const agent = addons.filter((a) => a.inputs.addonName === "eks-pod-identity-agent");
      const cni = addons.filter((a) => a.inputs.addonName === "vpc-cni");
      const nodeRole = planResources(ctx.plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
        (a) => /nodes/.test(a.name) && String(a.inputs.policyArn).endsWith("AmazonEKS_CNI_Policy"),
      );
      const problems: string[] = [];
      if (oidc.length === 0) problems.push("no IAM OIDC provider (IRSA)");
      if (agent.length === 0) problems.push("no eks-pod-identity-agent add-on");
      if (cni.some((a) => !a.inputs.serviceAccountRoleArn)) problems.push("vpc-cni runs on the node role");
      if (nodeRole.length > 0) problems.push("AmazonEKS_CNI_Policy is attached to the node role");
      return requireAll([...oidc, ...agent, ...cni].map(ref), problems);
    },
  ),
];
