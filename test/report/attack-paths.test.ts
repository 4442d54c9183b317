import type { BulwarkConfig } from "../../config/model";
import { analyzeRbac } from "../../report/rbac";
import type { PlannedResource, Plan } from "../../lib/plan/engine";
import { devConfig, synthObjects } from "../support/repo";

type Obj = Record<string, unknown>;

// The dev tenants' synthesized objects, without planning: the analysis only needs Roles and bindings.
const config = devConfig();
const charts = [{ name: "all", objects: synthObjects(config) as Obj[] }];
const crb = (name: string, role: string, subject: Obj): Obj => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
  subjects: [subject],
});
const group = (name: string): Obj => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name });
const sa = (namespace: string, name: string): Obj => ({ kind: "ServiceAccount", namespace, name });

function planned(type: string, name: string, inputs: Obj): PlannedResource {
  return {
    urn: `urn:pulumi:dev::bulwark::${type}::${name}`,
    type,
    name,
    parent: null,
    dependsOn: [],
    provider: null,
    protect: false,
    retainOnDelete: false,
    custom: true,
    inputs,
  } as unknown as PlannedResource;
}

describe("RBAC attack paths", () => {
  it("the dev tenants have no path to cluster-admin; view tiers read no Secrets and cannot exec", () => {
    const rbac = analyzeRbac(config, charts, undefined);
    expect(rbac.tenantPathsToClusterAdmin).toEqual([]);
    const viewers = rbac.capabilities.filter((c) => /auditors|viewers/.test(c.subject));
    expect(viewers).toEqual([]);
    const exec = rbac.capabilities.filter((c) => c.capability === "exec-pods").map((c) => `${c.subject}@${c.scope}`);
    expect(exec).toEqual(["Group:oidc:payments-admins@payments", "Group:oidc:web-admins@web"]);
  });

  it("finds a tenant group bound to cluster-admin by a ClusterRoleBinding", () => {
    const rbac = analyzeRbac(config, charts, undefined, [crb("oops", "cluster-admin", group("oidc:payments-developers"))]);
    expect(rbac.tenantPathsToClusterAdmin).toEqual([
      {
        subject: "Group:oidc:payments-developers",
        steps: ["Group:oidc:payments-developers has * on * cluster-wide via ClusterRoleBinding/oops -> ClusterRole/cluster-admin"],
      },
    ]);
  });

  it("finds a two-step path: tenant developers run a pod as a cluster-admin ServiceAccount of their namespace", () => {
    const rbac = analyzeRbac(config, charts, undefined, [crb("ci-admin", "cluster-admin", sa("payments", "ci"))]);
    const path = rbac.tenantPathsToClusterAdmin.find((p) => p.subject === "Group:oidc:payments-developers");
    expect(path?.steps).toEqual([
      "Group:oidc:payments-developers can run a pod as ServiceAccount:payments/ci in payments via RoleBinding/payments/tenant-edit -> Role/tenant-edit",
      "ServiceAccount:payments/ci has * on * cluster-wide via ClusterRoleBinding/ci-admin -> ClusterRole/cluster-admin",
    ]);
    // The web tenant cannot create pods in payments: no path for it.
    expect(rbac.tenantPathsToClusterAdmin.some((p) => p.subject.includes("web"))).toBe(false);
  });

  it("finds impersonation and bind/escalate grants", () => {
    const impersonator: Obj = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "impersonator" },
      rules: [{ apiGroups: [""], resources: ["groups"], verbs: ["impersonate"] }],
    };
    const binder: Obj = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "binder", namespace: "web" },
      rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["bind", "escalate"] }],
    };
    const rb: Obj = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "binder", namespace: "web" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "binder" },
      subjects: [group("oidc:web-viewers")],
    };
    const rbac = analyzeRbac(config, charts, undefined, [impersonator, crb("imp", "impersonator", group("oidc:web-developers")), binder, rb]);
    expect(rbac.tenantPathsToClusterAdmin.map((p) => p.subject)).toEqual(["Group:oidc:web-developers"]);
    expect(rbac.tenantPathsToClusterAdmin[0].steps[0]).toContain("can impersonate users/groups (system:masters)");
    const escalators = rbac.capabilities.filter((c) => c.capability === "bind-escalate-impersonate").map((c) => `${c.subject}@${c.scope}`);
    expect(escalators).toEqual(["Group:oidc:web-developers@*", "Group:oidc:web-viewers@web"]);
  });

  it("follows EKS access entries: a tenant IAM principal with a cluster-scoped admin policy is a path", () => {
    const arn = "arn:aws:iam::123456789012:role/payments-ci";
    const withPrincipal: BulwarkConfig = {
      ...config,
      tenants: config.tenants.map((t) => (t.name === "payments" ? { ...t, awsPrincipals: { edit: [arn] } } : t)),
    };
    const plan: Plan = {
      stack: "dev",
      resources: [
        planned("aws:eks/accessEntry:AccessEntry", "payments-ci", { principalArn: arn, kubernetesGroups: ["bulwark:payments:edit"] }),
        planned("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "payments-ci-admin", {
          principalArn: arn,
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        }),
      ],
    };
    const tenantEditBinding: Obj = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "tenant-edit-iam", namespace: "payments" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "tenant-edit" },
      subjects: [group("bulwark:payments:edit")],
    };
    const rbac = analyzeRbac(withPrincipal, charts, plan, [tenantEditBinding]);
    expect(rbac.tenantIdentities).toContain(`IAM:${arn}`);
    expect(rbac.tenantPathsToClusterAdmin.map((p) => p.subject)).toEqual([`IAM:${arn}`]);
    // Through its access-entry group it also creates pods in payments, and only there.
    const pods = rbac.capabilities.filter((c) => c.subject === `IAM:${arn}` && c.capability === "create-pods").map((c) => c.scope);
    expect(pods).toEqual(["*", "payments"]);
  });
});
