import { App, Chart, Testing, Yaml } from "cdk8s";
import type { BulwarkConfig } from "../../config/model";
import { DEFAULT_TENANT_LIMITS, DEFAULT_TENANT_QUOTA } from "../../constructs/baseline/defaults";
import type { TenantNamespaceProps } from "../../constructs/baseline/tenant-namespace";
import { TenantNamespace } from "../../constructs/baseline/tenant-namespace";
import { NETWORK_POLICY_NAMES } from "../../constructs/network/tenant-network-policies";
import { FORBIDDEN_VERBS, tenantRoleName } from "../../constructs/rbac/tenant-roles";
import { buildBulwarkApp } from "../../constructs/app";
import type { Manifest } from "../support/repo";
import { chartsOf, devConfig, findObject, synthObjects } from "../support/repo";

const TENANTS = ["payments", "web"];
const objects = synthObjects();

function tenantObjects(props: Partial<TenantNamespaceProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), "test", { disableResourceNameHashes: true });
  new TenantNamespace(chart, "tenant", { name: "team-a", owner: "team-a", kubernetesVersion: "1.33", ...props });
  return chart.toJson() as Manifest[];
}

type NetworkPolicySpec = {
  podSelector: object;
  policyTypes: string[];
  ingress?: unknown[];
  egress?: { to?: Record<string, unknown>[]; ports?: { protocol: string; port: number }[] }[];
};
const spec = <T>(object: Manifest) => object.spec as T;

describe("snapshot of the dev stack's namespace baseline (the review artifact)", () => {
  test.each(
    chartsOf(buildBulwarkApp(devConfig()))
      .filter((c) => c.id.startsWith("tenant-"))
      .map((c) => [c.id, c.objects] as const),
  )("%s", (_id, chartObjects) => {
    expect(Yaml.stringify(...chartObjects)).toMatchSnapshot();
  });
});

describe.each(TENANTS)("tenant %s", (tenant) => {
  const config = devConfig();
  const tenantConfig = config.tenants.find((t) => t.name === tenant)!;

  test("Namespace enforces, audits and warns Pod Security restricted, pinned to the cluster version", () => {
    const labels = findObject(objects, "Namespace", undefined, tenant).metadata.labels!;
    for (const mode of ["enforce", "audit", "warn"]) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe(`v${config.cluster.kubernetesVersion}`);
    }
    expect(labels.owner).toBe(tenantConfig.owner);
  });

  test("default deny: every pod, Ingress and Egress, no rules", () => {
    const policy = findObject(objects, "NetworkPolicy", tenant, NETWORK_POLICY_NAMES.defaultDeny);
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test("DNS egress only to kube-dns pods in kube-system, port 53 UDP and TCP", () => {
    const policy = spec<NetworkPolicySpec>(findObject(objects, "NetworkPolicy", tenant, NETWORK_POLICY_NAMES.dns));
    expect(policy.policyTypes).toEqual(["Egress"]);
    expect(policy.ingress).toBeUndefined();
    expect(policy.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
  });

  test("no NetworkPolicy of the baseline admits ingress", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === tenant);
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) expect(spec<NetworkPolicySpec>(policy).ingress).toBeUndefined();
  });

  test("the default ServiceAccount mounts no API token", () => {
    expect(findObject(objects, "ServiceAccount", tenant, "default").automountServiceAccountToken).toBe(false);
  });

  test("ResourceQuota and LimitRange exist with safe defaults and the tenant's overrides", () => {
    const hard = spec<{ hard: Record<string, string> }>(findObject(objects, "ResourceQuota", tenant, "tenant-quota")).hard;
    expect(hard["services.nodeports"]).toBe("0");
    expect(hard["services.loadbalancers"]).toBe("0");
    expect(hard["requests.cpu"]).toBe(tenantConfig.quota?.requestsCpu ?? DEFAULT_TENANT_QUOTA.requestsCpu);
    expect(hard["limits.memory"]).toBe(tenantConfig.quota?.limitsMemory ?? DEFAULT_TENANT_QUOTA.limitsMemory);
    const limits = spec<{ limits: Record<string, unknown>[] }>(findObject(objects, "LimitRange", tenant, "tenant-limits")).limits;
    expect(limits).toEqual([
      {
        type: "Container",
        defaultRequest: { cpu: DEFAULT_TENANT_LIMITS.defaultCpuRequest, memory: DEFAULT_TENANT_LIMITS.defaultMemoryRequest },
        default: { cpu: DEFAULT_TENANT_LIMITS.defaultCpuLimit, memory: DEFAULT_TENANT_LIMITS.defaultMemoryLimit },
        max: { cpu: DEFAULT_TENANT_LIMITS.maxCpu, memory: DEFAULT_TENANT_LIMITS.maxMemory },
      },
    ]);
  });

  test("RBAC tiers are bound to the tenant's IdP groups (with the OIDC prefix)", () => {
    for (const tier of ["admin", "edit", "view"] as const) {
      const binding = findObject(objects, "RoleBinding", tenant, tenantRoleName(tier));
      expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: tenantRoleName(tier) });
      expect(binding.subjects).toEqual(
        tenantConfig.groups[tier]!.map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: `oidc:${group}` })),
      );
    }
  });
});

describe("least-privilege RBAC", () => {
  const roles = objects.filter((o) => o.kind === "Role");
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
  const rulesOf = (tenant: string, tier: string) => findObject(objects, "Role", tenant, `tenant-${tier}`).rules as Rule[];
  const grants = (rules: Rule[], group: string, resource: string, verb: string) =>
    rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

  test("every tier of every tenant has a Role", () => {
    expect(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual(
      TENANTS.flatMap((t) => ["admin", "edit", "view"].map((tier) => `${t}/tenant-${tier}`)).sort(),
    );
  });

  test("no Role has * in verbs, resources or apiGroups, nor escalate, bind or impersonate", () => {
    for (const role of roles) {
      for (const rule of role.rules as Rule[]) {
        expect(rule.apiGroups).not.toContain("*");
        expect(rule.resources).not.toContain("*");
        for (const verb of FORBIDDEN_VERBS) expect(rule.verbs).not.toContain(verb);
      }
    }
  });

  test.each(TENANTS)("view cannot read Secrets in %s; edit and admin can", (tenant) => {
    for (const verb of ["get", "list", "watch"]) {
      expect(grants(rulesOf(tenant, "view"), "", "secrets", verb)).toBe(false);
      expect(grants(rulesOf(tenant, "edit"), "", "secrets", verb)).toBe(true);
    }
  });

  test.each(TENANTS)("only admin may exec into pods in %s; nobody may edit NetworkPolicies, quotas or mint tokens", (tenant) => {
    expect(grants(rulesOf(tenant, "admin"), "", "pods/exec", "create")).toBe(true);
    for (const tier of ["edit", "view"]) expect(grants(rulesOf(tenant, tier), "", "pods/exec", "create")).toBe(false);
    for (const tier of ["admin", "edit", "view"]) {
      const rules = rulesOf(tenant, tier);
      expect(grants(rules, "networking.k8s.io", "networkpolicies", "create")).toBe(false);
      expect(grants(rules, "networking.k8s.io", "networkpolicies", "patch")).toBe(false);
      expect(grants(rules, "", "resourcequotas", "update")).toBe(false);
      expect(grants(rules, "", "limitranges", "delete")).toBe(false);
      expect(grants(rules, "", "serviceaccounts/token", "create")).toBe(false);
      expect(grants(rules, "rbac.authorization.k8s.io", "roles", "create")).toBe(false);
    }
  });

  test("IAM principals of a tier reach it through the access-entry group", () => {
    const config: BulwarkConfig = {
      ...devConfig(),
      tenants: devConfig().tenants.map((t) => (t.name === "web" ? { ...t, awsPrincipals: { view: ["arn:aws:iam::123456789012:role/web-auditor"] } } : t)),
    };
    const binding = findObject(synthObjects(config), "RoleBinding", "web", "tenant-view");
    expect(binding.subjects).toContainEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "bulwark:web:view" });
  });

  test("a tier with no groups gets its Role but no binding", () => {
    const objs = tenantObjects({ groups: { admin: ["oidc:a"] } });
    expect(objs.filter((o) => o.kind === "Role")).toHaveLength(3);
    expect(objs.filter((o) => o.kind === "RoleBinding").map((o) => o.metadata.name)).toEqual(["tenant-admin"]);
  });
});

describe("egress grants never reach the instance metadata endpoint", () => {
  test("the world, IPv4 and IPv6, excludes both metadata addresses", () => {
    const objs = tenantObjects({ egress: [{ cidr: "0.0.0.0/0" }, { cidr: "::/0", ports: [{ port: 443 }] }] });
    const policy = spec<NetworkPolicySpec>(findObject(objs, "NetworkPolicy", "team-a", NETWORK_POLICY_NAMES.egress));
    expect(policy.policyTypes).toEqual(["Egress"]);
    expect(policy.egress).toEqual([
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }] },
      { to: [{ ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128"] } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });

  test("link-local and ULA ranges that contain the endpoints exclude them; unrelated ranges need no exception", () => {
    const objs = tenantObjects({ egress: [{ cidr: "169.254.0.0/16" }, { cidr: "fd00::/8" }, { cidr: "10.20.0.0/16" }] });
    const egress = spec<NetworkPolicySpec>(findObject(objs, "NetworkPolicy", "team-a", NETWORK_POLICY_NAMES.egress)).egress!;
    expect(egress.map((e) => e.to![0].ipBlock)).toEqual([
      { cidr: "169.254.0.0/16", except: ["169.254.169.254/32"] },
      { cidr: "fd00::/8", except: ["fd00:ec2::254/128"] },
      { cidr: "10.20.0.0/16" },
    ]);
  });

  test("the dev stack's payments grant is port-limited and web has no extra egress", () => {
    const payments = spec<NetworkPolicySpec>(findObject(objects, "NetworkPolicy", "payments", NETWORK_POLICY_NAMES.egress));
    expect(payments.egress).toEqual([{ to: [{ ipBlock: { cidr: "203.0.113.0/24" } }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(objects.filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === "web").map((o) => o.metadata.name)).toEqual([
      NETWORK_POLICY_NAMES.defaultDeny,
      NETWORK_POLICY_NAMES.dns,
    ]);
  });
});

describe("a baseline tenant", () => {
  test("enforces baseline but still audits and warns restricted", () => {
    const labels = findObject(tenantObjects({ podSecurity: "baseline" }), "Namespace", undefined, "team-a").metadata.labels!;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
    expect(labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
  });
});

describe("construction-time validation names the prop and the fix", () => {
  test.each<[Partial<TenantNamespaceProps>, RegExp]>([
    [{ name: "Team_A" }, /name "Team_A" must be a DNS-1123 label/],
    [{ name: "kube-system" }, /name "kube-system" is reserved/],
    [{ owner: "" }, /owner "" must not be empty/],
    [{ kubernetesVersion: "1.27" as never }, /kubernetesVersion "1.27" is not supported; use one of 1.33/],
    [{ podSecurity: "privileged" as never }, /podSecurity "privileged" must be "restricted" or "baseline"/],
    [{ quota: { requestsCpu: "lots" } }, /requestsCpu "lots" must be a Kubernetes quantity/],
    [{ egress: [{ cidr: "10.0.0.1/8" }] }, /egress\[0\]\.cidr "10.0.0.1\/8" must be a CIDR with no host bits set/],
    [{ groups: { admin: ["system:masters"] } }, /groups\.admin contains "system:masters"/],
  ])("%j", (props, message) => {
    expect(() => tenantObjects(props)).toThrow(message);
  });

  test("nothing is added to the app when a tenant is invalid", () => {
    const app = new App();
    const chart = new Chart(app, "c");
    expect(() => new TenantNamespace(chart, "t", { name: "Bad", owner: "x", kubernetesVersion: "1.33" })).toThrow();
    expect(chart.toJson()).toEqual([]);
  });
});
