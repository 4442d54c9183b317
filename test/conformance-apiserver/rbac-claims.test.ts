import type { BulwarkConfig } from "../../config/model";
import { TENANT_ROLE_RULES } from "../../constructs/rbac/tenant-roles";
import type { Cell } from "../../conformance/apiserver/rbac-claims";
import { formatMatrix, namespaceOf, RBAC_CLAIMS, rulesAllow, tenantIdentities } from "../../conformance/apiserver/rbac-claims";
import { devConfig } from "../support/repo";

describe("the RBAC can-i matrix (offline half of the rbac judge)", () => {
  it("TENANT_ROLE_RULES answer every claim of the README baseline table as claimed", () => {
    const wrong = RBAC_CLAIMS.flatMap((claim) =>
      (["admin", "edit", "view"] as const)
        .filter((tier) => rulesAllow(TENANT_ROLE_RULES[tier], claim.check) !== claim.allowed[tier])
        .map((tier) => `${tier}: ${claim.claim} (${claim.check.verb} ${claim.check.resource}${claim.check.subresource ? `/${claim.check.subresource}` : ""})`),
    );
    expect(wrong).toEqual([]);
  });

  it("a view Role that could read Secrets breaks the claim", () => {
    const loosened = [...TENANT_ROLE_RULES.view, { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }];
    const claim = RBAC_CLAIMS.find((c) => c.claim === "view cannot read Secrets" && c.check.verb === "get");
    expect(claim).toBeDefined();
    expect(rulesAllow(loosened, claim!.check)).toBe(true);
    expect(claim!.allowed.view).toBe(false);
  });

  it("matches rules like Kubernetes: '*' matches everything, subresources only by res/sub, Roles grant nothing elsewhere", () => {
    const star = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];
    expect(rulesAllow(star, { verb: "escalate", group: "rbac.authorization.k8s.io", resource: "roles", scope: "own" })).toBe(true);
    expect(rulesAllow(star, { verb: "get", group: "", resource: "pods", scope: "other" })).toBe(false);
    const pods = [{ apiGroups: [""], resources: ["pods"], verbs: ["create"] }];
    expect(rulesAllow(pods, { verb: "create", group: "", resource: "pods", subresource: "exec", scope: "own" })).toBe(false);
    expect(
      rulesAllow([{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }], {
        verb: "create",
        group: "",
        resource: "pods",
        subresource: "exec",
        scope: "own",
      }),
    ).toBe(true);
  });

  it("every claim row has controls that some tier passes, so an all-deny server cannot pass the matrix", () => {
    expect(RBAC_CLAIMS.some((c) => c.allowed.view)).toBe(true);
    expect(RBAC_CLAIMS.some((c) => c.allowed.admin && !c.allowed.edit)).toBe(true);
  });

  it("derives identities with the OIDC prefixes and the access-entry groups", () => {
    const config = devConfig();
    const withPrincipals: BulwarkConfig = {
      ...config,
      tenants: config.tenants.map((t) => ({ ...t, awsPrincipals: { view: [`arn:aws:iam::123456789012:role/${t.name}-view`] } })),
    };
    const ids = tenantIdentities(withPrincipals);
    const paymentsView = ids.filter((i) => i.tenant === "payments" && i.tier === "view");
    expect(paymentsView).toEqual([
      { tenant: "payments", tier: "view", via: "idp", user: "oidc:payments-auditors-member", groups: ["oidc:payments-auditors", "system:authenticated"] },
      {
        tenant: "payments",
        tier: "view",
        via: "access-entry",
        user: "arn:aws:iam::123456789012:role/payments-view",
        groups: ["bulwark:payments:view", "system:authenticated"],
      },
    ]);
    expect(ids.filter((i) => i.via === "access-entry")).toHaveLength(config.tenants.length);
  });

  it("asks 'other' in another tenant's namespace and 'cluster' without one", () => {
    expect(namespaceOf("own", "payments", ["payments", "web"])).toBe("payments");
    expect(namespaceOf("other", "payments", ["payments", "web"])).toBe("web");
    expect(namespaceOf("cluster", "payments", ["payments", "web"])).toBeUndefined();
    expect(() => namespaceOf("other", "payments", ["payments"])).toThrow(/two tenants/);
  });

  it("prints the matrix with wrong cells marked", () => {
    const identity = { tenant: "payments", tier: "view" as const, via: "idp" as const, user: "u", groups: [] };
    const claim = RBAC_CLAIMS.find((c) => c.claim === "view cannot read Secrets")!;
    const cells: Cell[] = [{ identity, claim, expected: false, actual: true }];
    expect(formatMatrix(cells)).toBe(["check                   c1  ", "get core/secrets (own)  ok! ", "columns:", "  c1 = payments:view:idp"].join("\n"));
  });
});
