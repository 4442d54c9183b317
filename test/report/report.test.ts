import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicies } from "../../constructs/gatekeeper/policy";
import type { PlannedResource } from "../../lib/plan/engine";
import { catalogPolicyIds, CONTROLS } from "../../report/catalog";
import type { ControlResult } from "../../report/evaluate";
import { evaluateControls } from "../../report/evaluate";
import { buildReport, toJson, toMarkdown } from "../../report";
import type { EvidenceContext } from "../../report/types";
import { CHECKLIST_ITEMS } from "../../report/types";
import { collectEvidence, writeReport } from "../../stacks/report";
import { REPO_ROOT } from "../support/repo";

type Obj = Record<string, unknown>;

// Planned once per file (~6 s): every test below reads or mutates a copy of this context.
let dev: EvidenceContext;
beforeAll(async () => {
  dev = await collectEvidence("dev", REPO_ROOT, new Date("2026-12-02T12:00:00Z"));
});

/** A deep copy of the dev evidence with the plan and/or objects changed. */
function mutate(change: {
  plan?: (resources: PlannedResource[]) => void;
  objects?: (chart: string, objects: Obj[]) => Obj[];
  ctx?: (ctx: EvidenceContext) => EvidenceContext;
}): EvidenceContext {
  const plan = structuredClone(dev.plan);
  change.plan?.(plan.resources as PlannedResource[]);
  const charts = dev.charts.map((c) => ({ name: c.name, objects: change.objects ? change.objects(c.name, structuredClone(c.objects) as Obj[]) : c.objects }));
  const ctx: EvidenceContext = { ...dev, plan, charts };
  return change.ctx ? change.ctx(ctx) : ctx;
}

function resultOf(ctx: EvidenceContext, id: string): ControlResult {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new Error(`no control ${id}`);
  return evaluateControls(ctx, [control])[0];
}

function inputsOf(resources: PlannedResource[], type: string, name?: string): Obj {
  const r = resources.find((x) => x.type === type && (name === undefined || x.name === name));
  if (!r) throw new Error(`no ${type} ${name ?? ""}`);
  return r.inputs as Obj;
}

describe("control catalog", () => {
  it("has at least 50 controls with unique ids", () => {
    expect(CONTROLS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CONTROLS.map((c) => c.id)).size).toBe(CONTROLS.length);
  });

  it("names an existing test file for every enforceable control, and has a predicate for it", () => {
    const broken = CONTROLS.filter(
      (c) => c.enforcement.mechanism !== "organizational" && (!c.check || !c.test || !existsSync(join(REPO_ROOT, c.test.file))),
    ).map((c) => c.id);
    expect(broken).toEqual([]);
  });

  it("keeps organizational guidance without a predicate, never counted as enforced", () => {
    const org = CONTROLS.filter((c) => c.enforcement.mechanism === "organizational");
    expect(org.length).toBeGreaterThanOrEqual(3);
    expect(org.filter((c) => c.check !== undefined).map((c) => c.id)).toEqual([]);
    expect(evaluateControls(dev, org).map((r) => r.status)).toEqual(org.map(() => "organizational"));
  });

  it("covers every seed checklist item", () => {
    expect(CHECKLIST_ITEMS.filter((item) => !CONTROLS.some((c) => c.sources.checklist === item))).toEqual([]);
  });

  it("maps every policy folder to a control", () => {
    expect(catalogPolicyIds()).toEqual(
      loadPolicies()
        .map((p) => p.name)
        .sort(),
    );
  });
});

describe("dev report", () => {
  it("has zero missing controls (lists them when it fails)", () => {
    const missing = evaluateControls(dev)
      .filter((r) => r.status === "missing")
      .map((r) => `${r.control.id}: ${r.detail ?? ""}`);
    expect(missing).toEqual([]);
  });

  it("has no path from a tenant identity to cluster-admin", () => {
    const report = buildReport(dev);
    expect(report.rbac.tenantIdentities.length).toBeGreaterThan(0);
    expect(report.rbac.tenantPathsToClusterAdmin).toEqual([]);
    // The configured admin principal is cluster-admin, and nobody else.
    expect(report.rbac.clusterAdmins.map((p) => p.subject)).toEqual((dev.config.cluster.adminPrincipals ?? []).map((a) => `IAM:${a}`));
  });

  it("matches the snapshot (Markdown) and is deterministic", () => {
    const markdown = toMarkdown(buildReport(dev));
    expect(toMarkdown(buildReport(dev))).toBe(markdown);
    expect(markdown).toMatch(/```mermaid\nflowchart LR/);
    expect(markdown).toContain("## RBAC and identity attack paths");
    expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // no timestamps
    expect(markdown).toMatchSnapshot();
  });

  it("writes the Markdown and its JSON twin with the same summary", () => {
    const data = buildReport(dev);
    const dir = mkdtempSync(join(tmpdir(), "bulwark-report-"));
    const written = writeReport(data, join(dir, "report.md"));
    expect(written.json).toBe(join(dir, "report.json"));
    const json = JSON.parse(readFileSync(written.json, "utf8")) as { summary: unknown; controls: { id: string; status: string }[] };
    expect(json.summary).toEqual(data.summary);
    expect(json.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    expect(readFileSync(written.markdown, "utf8")).toBe(toMarkdown(data));
    expect(JSON.stringify(toJson(data))).toBe(JSON.stringify(toJson(buildReport(dev))));
  });

  it("derives the network diagram from the policies: DNS and the granted CIDR only", () => {
    const { network } = buildReport(dev);
    expect(network.edges).toEqual([
      { from: "payments", to: "cidr:203.0.113.0/24", ports: "443/TCP" },
      { from: "payments", to: "dns", ports: "53/TCP, 53/UDP" },
      { from: "web", to: "dns", ports: "53/TCP, 53/UDP" },
    ]);
  });
});

describe("removing a control turns its row red", () => {
  it("secrets encryption off: AWS-SECRETS-ENCRYPTION is missing", () => {
    const ctx = mutate({ plan: (rs) => ((inputsOf(rs, "aws:eks/cluster:Cluster").encryptionConfig as Obj).resources = []) });
    expect(resultOf(ctx, "AWS-SECRETS-ENCRYPTION").status).toBe("missing");
    expect(
      evaluateControls(ctx)
        .filter((r) => r.status === "missing")
        .map((r) => r.control.id),
    ).toEqual(["AWS-SECRETS-ENCRYPTION"]);
  });

  it("key rotation off: the Secrets row is partial, key rotation missing", () => {
    const ctx = mutate({ plan: (rs) => rs.filter((r) => r.type === "aws:kms/key:Key").forEach((k) => ((k.inputs as Obj).enableKeyRotation = false)) });
    expect(resultOf(ctx, "AWS-SECRETS-ENCRYPTION").status).toBe("partial");
    expect(resultOf(ctx, "AWS-KMS-ROTATION").status).toBe("missing");
  });

  it("an audit log type dropped: AWS-AUDIT-LOGS is partial; all dropped: missing", () => {
    const partial = mutate({ plan: (rs) => (inputsOf(rs, "aws:eks/cluster:Cluster").enabledClusterLogTypes = ["api", "authenticator"]) });
    expect(resultOf(partial, "AWS-AUDIT-LOGS")).toMatchObject({ status: "partial", detail: "log types not enabled: audit, controllerManager, scheduler" });
    const none = mutate({ plan: (rs) => (inputsOf(rs, "aws:eks/cluster:Cluster").enabledClusterLogTypes = []) });
    expect(resultOf(none, "AWS-AUDIT-LOGS").status).toBe("missing");
  });

  it("a public endpoint: AWS-API-PRIVATE is missing (world) or partial (listed CIDRs)", () => {
    const world = mutate({ plan: (rs) => ((inputsOf(rs, "aws:eks/cluster:Cluster").vpcConfig as Obj).endpointPublicAccess = true) });
    expect(resultOf(world, "AWS-API-PRIVATE").status).toBe("missing");
    const listed = mutate({
      plan: (rs) =>
        Object.assign(inputsOf(rs, "aws:eks/cluster:Cluster").vpcConfig as Obj, { endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] }),
    });
    expect(resultOf(listed, "AWS-API-PRIVATE").status).toBe("partial");
  });

  it("IMDSv1 or hop limit 2: AWS-IMDSV2 is missing", () => {
    const ctx = mutate({ plan: (rs) => ((inputsOf(rs, "aws:ec2/launchTemplate:LaunchTemplate").metadataOptions as Obj).httpPutResponseHopLimit = 2) });
    expect(resultOf(ctx, "AWS-IMDSV2").status).toBe("missing");
  });

  it("NetworkPolicy enforcement off in the VPC CNI: AWS-CNI-NETWORK-POLICY is missing", () => {
    const ctx = mutate({
      plan: (rs) =>
        rs.filter((r) => r.name.endsWith("-vpc-cni") && r.type === "aws:eks/addon:Addon").forEach((r) => ((r.inputs as Obj).configurationValues = "{}")),
    });
    expect(resultOf(ctx, "AWS-CNI-NETWORK-POLICY").status).toBe("missing");
  });

  it("a tenant without its default-deny policy: K8S-DEFAULT-DENY is missing; its DNS policy still isolates egress", () => {
    const ctx = mutate({
      objects: (chart, objects) =>
        chart === "tenant-web" ? objects.filter((o) => !(o.kind === "NetworkPolicy" && (o.metadata as Obj).name === "default-deny-all")) : objects,
    });
    expect(resultOf(ctx, "K8S-DEFAULT-DENY")).toMatchObject({ status: "missing", detail: "NetworkPolicy/web/default-deny-all is not synthesized" });
    expect(buildReport(ctx).network.unisolated).toEqual(["web"]);
    // allow-dns-egress (podSelector {}, Egress) still isolates egress: Kubernetes semantics, not the name, decide.
    expect(resultOf(ctx, "K8S-METADATA-BLOCKED").status).toBe("enforced-and-verified");
  });

  it("a tenant without any NetworkPolicy: it reaches the metadata endpoint, the API server and the internet", () => {
    const ctx = mutate({ objects: (chart, objects) => (chart === "tenant-web" ? objects.filter((o) => o.kind !== "NetworkPolicy") : objects) });
    expect(resultOf(ctx, "K8S-METADATA-BLOCKED")).toMatchObject({ status: "missing", detail: "web reaches the metadata endpoint on any port" });
    expect(resultOf(ctx, "K8S-API-EGRESS-BLOCKED").status).toBe("missing");
    expect(resultOf(ctx, "K8S-DNS-EGRESS-ONLY").status).toBe("missing");
    // payments still denies ingress, so web cannot reach it.
    expect(resultOf(ctx, "K8S-NO-CROSS-TENANT").status).toBe("enforced-and-verified");
  });

  it("a granted CIDR covering the metadata endpoint: K8S-METADATA-BLOCKED is missing", () => {
    const ctx = mutate({
      objects: (chart, objects) =>
        objects.map((o) =>
          chart === "tenant-payments" && (o.metadata as Obj).name === "allow-granted-egress"
            ? { ...o, spec: { ...(o.spec as Obj), egress: [{ to: [{ ipBlock: { cidr: "169.254.0.0/16" } }] }] } }
            : o,
        ),
    });
    const result = resultOf(ctx, "K8S-METADATA-BLOCKED");
    expect(result.status).toBe("missing");
    expect(result.detail).toContain("payments reaches the metadata endpoint");
    // The same block with the endpoint excepted is fine.
    const excepted = mutate({
      objects: (chart, objects) =>
        objects.map((o) =>
          chart === "tenant-payments" && (o.metadata as Obj).name === "allow-granted-egress"
            ? { ...o, spec: { ...(o.spec as Obj), egress: [{ to: [{ ipBlock: { cidr: "169.254.0.0/16", except: ["169.254.169.254/32"] } }] }] } }
            : o,
        ),
    });
    expect(resultOf(excepted, "K8S-METADATA-BLOCKED").status).toBe("enforced-and-verified");
  });

  it("a policy opening web to payments: K8S-NO-CROSS-TENANT is missing", () => {
    const allow = (ns: string, direction: "ingress" | "egress", peer: string): Obj => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `allow-${direction}-${peer}`, namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: [direction === "ingress" ? "Ingress" : "Egress"],
        [direction]: [{ [direction === "ingress" ? "from" : "to"]: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer } } }] }],
      },
    });
    const ctx = mutate({
      objects: (chart, objects) =>
        chart === "tenant-web"
          ? [...objects, allow("web", "egress", "payments")]
          : chart === "tenant-payments"
            ? [...objects, allow("payments", "ingress", "web")]
            : objects,
    });
    expect(resultOf(ctx, "K8S-NO-CROSS-TENANT")).toMatchObject({ status: "missing", detail: "web reaches payments on any port" });
    // Egress alone is not enough: payments' default deny still refuses the connection.
    const egressOnly = mutate({ objects: (chart, objects) => (chart === "tenant-web" ? [...objects, allow("web", "egress", "payments")] : objects) });
    expect(resultOf(egressOnly, "K8S-NO-CROSS-TENANT").status).toBe("enforced-and-verified");
  });

  it("a constraint in warn is partial, a removed constraint missing, a failing suite partial", () => {
    const warn = mutate({
      objects: (_chart, objects) =>
        objects.map((o) => (o.kind === "BulwarkAllowedRegistries" ? { ...o, spec: { ...(o.spec as Obj), enforcementAction: "warn" } } : o)),
    });
    expect(resultOf(warn, "GK-ALLOWED-REGISTRIES")).toMatchObject({
      status: "partial",
      detail: "BulwarkAllowedRegistries/allowed-registries enforcementAction is warn, not deny",
    });
    const removed = mutate({ objects: (_chart, objects) => objects.filter((o) => o.kind !== "K8sPSSPrivileged") });
    expect(resultOf(removed, "PSS-PRIVILEGED").status).toBe("missing");
    const failing = mutate({
      ctx: (ctx) => ({ ...ctx, suites: { ...ctx.suites, "pss-privileged": { cases: 4, failures: ["t/c: expected violations, got none"] } } }),
    });
    expect(resultOf(failing, "PSS-PRIVILEGED").status).toBe("partial");
  });

  it("a constraint missing from the plan (synthesized but not deployed) is missing", () => {
    const ctx = mutate({
      plan: (rs) =>
        rs.splice(
          rs.findIndex((r) => r.type.endsWith(":BulwarkImageTags")),
          1,
        ),
    });
    expect(resultOf(ctx, "GK-IMAGE-TAGS")).toMatchObject({ status: "missing", detail: "BulwarkImageTags/image-tags is not in the plan" });
  });

  it("a default ServiceAccount that mounts tokens: K8S-DEFAULT-SA-NO-TOKEN is missing", () => {
    const ctx = mutate({
      objects: (chart, objects) =>
        objects.map((o) => (chart === "tenant-payments" && o.kind === "ServiceAccount" ? { ...o, automountServiceAccountToken: true } : o)),
    });
    expect(resultOf(ctx, "K8S-DEFAULT-SA-NO-TOKEN").status).toBe("missing");
  });

  it("a CIDR admitted to the nodes: AWS-KUBELET-FIREWALL is missing", () => {
    const ctx = mutate({
      plan: (rs) => {
        const rule = structuredClone(rs.find((r) => r.name.endsWith("nodes-from-cluster-10250")) as PlannedResource);
        delete (rule.inputs as Obj).referencedSecurityGroupId;
        Object.assign(rule.inputs as Obj, { cidrIpv4: "0.0.0.0/0" });
        rs.push({ ...rule, name: "kubelet-from-world", urn: `${rule.urn}-world` });
      },
    });
    expect(resultOf(ctx, "AWS-KUBELET-FIREWALL")).toMatchObject({ status: "missing", detail: "kubelet-from-world admits a CIDR (0.0.0.0/0) to the nodes" });
  });

  it("scan on push off, mutable tags, GuardDuty off, unpinned add-on, version skew: each row turns red", () => {
    const ecr = mutate({
      plan: (rs) =>
        rs
          .filter((r) => r.type === "aws:ecr/repository:Repository")
          .forEach((r) => Object.assign(r.inputs as Obj, { imageScanningConfiguration: { scanOnPush: false }, imageTagMutability: "MUTABLE" })),
    });
    expect([resultOf(ecr, "AWS-ECR-SCAN").status, resultOf(ecr, "AWS-ECR-IMMUTABLE").status]).toEqual(["missing", "missing"]);
    const guardDuty = mutate({ plan: (rs) => rs.splice(0, rs.length, ...rs.filter((r) => !r.type.startsWith("aws:guardduty/"))) });
    expect(resultOf(guardDuty, "AWS-GUARDDUTY").status).toBe("missing");
    const addon = mutate({ plan: (rs) => delete (inputsOf(rs, "aws:eks/addon:Addon") as Obj).addonVersion });
    expect(resultOf(addon, "AWS-ADDONS-PINNED").status).toBe("missing");
    const skew = mutate({ plan: (rs) => (inputsOf(rs, "aws:eks/nodeGroup:NodeGroup").version = "1.32") });
    expect(resultOf(skew, "AWS-VERSION-SUPPORTED").status).toBe("missing");
  });

  it("an unprefixed IdP or a creator-admin cluster: the identity rows turn red", () => {
    const idp = mutate({ plan: (rs) => delete (inputsOf(rs, "aws:eks/identityProviderConfig:IdentityProviderConfig").oidc as Obj).groupsPrefix });
    expect(resultOf(idp, "AWS-OIDC-IDP").status).toBe("missing");
    const creator = mutate({ plan: (rs) => ((inputsOf(rs, "aws:eks/cluster:Cluster").accessConfig as Obj).bootstrapClusterCreatorAdminPermissions = true) });
    expect(resultOf(creator, "AWS-AUTH-MODE").status).toBe("missing");
  });

  it("cluster-scoped access for a non-admin principal: AWS-ADMIN-ACCESS-SCOPED is missing", () => {
    const ctx = mutate({
      plan: (rs) => {
        const assoc = structuredClone(rs.find((r) => r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation") as PlannedResource);
        (assoc.inputs as Obj).principalArn = "arn:aws:iam::123456789012:role/someone-else";
        rs.push({ ...assoc, name: "someone-else-admin", urn: `${assoc.urn}-else` });
      },
    });
    expect(resultOf(ctx, "AWS-ADMIN-ACCESS-SCOPED").status).toBe("missing");
  });

  it("a tenant ClusterRoleBinding to cluster-admin in the manifests: the attack-path row is missing", () => {
    const crb: Obj = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "payments-admins-cluster-admin" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "oidc:payments-admins" }],
    };
    const ctx = mutate({ objects: (chart, objects) => (chart === "tenant-payments" ? [...objects, crb] : objects) });
    const result = resultOf(ctx, "K8S-NO-TENANT-PATH-TO-ADMIN");
    expect(result.status).toBe("missing");
    expect(result.detail).toContain("Group:oidc:payments-admins has * on * cluster-wide via ClusterRoleBinding/payments-admins-cluster-admin");
    expect(resultOf(ctx, "K8S-RBAC-SECRETS").status).toBe("missing");
    expect(resultOf(ctx, "K8S-RBAC-NO-ESCALATION-SYNTH").status).toBe("missing");
  });

  it("a wildcard Role or a view tier reading Secrets: the RBAC rows are missing", () => {
    const widen = (o: Obj): Obj =>
      (o.metadata as Obj).name === "tenant-view" && o.kind === "Role"
        ? { ...o, rules: [...(o.rules as Obj[]), { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }] }
        : o;
    const ctx = mutate({ objects: (chart, objects) => (chart === "tenant-web" ? objects.map(widen) : objects) });
    expect(resultOf(ctx, "K8S-RBAC-NO-WILDCARD-SYNTH").status).toBe("missing");
    expect(resultOf(ctx, "K8S-RBAC-SECRETS")).toMatchObject({ status: "missing" });
    expect(resultOf(ctx, "K8S-RBAC-SECRETS").detail).toContain("Group:oidc:web-viewers reads Secrets in web");
  });

  it("a privileged pod in a tenant chart: the static check row is missing", () => {
    const pod: Obj = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "root", namespace: "web", labels: { "app.kubernetes.io/name": "root" } },
      spec: { containers: [{ name: "c", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web/frontend:1.0.0", securityContext: { privileged: true } }] },
    };
    const ctx = mutate({ objects: (chart, objects) => (chart === "tenant-web" ? [...objects, pod] : objects) });
    const result = resultOf(ctx, "BLD-STATIC-CHECK");
    expect(result.status).toBe("missing");
    expect(result.detail).toContain("Pod/web/root: K8sPSSPrivileged");
  });
});
