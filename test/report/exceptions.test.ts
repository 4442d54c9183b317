import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parseStackYaml } from "../../config/load";
import { buildBulwarkApp } from "../../constructs/app";
import { synthesizeApp } from "../../constructs/synthesize";
import { acceptedRisks } from "../../report/exceptions";
import { REPO_ROOT, devConfig } from "../support/repo";

const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
function configWith(edit: (config: Record<string, Record<string, unknown>>) => void) {
  const json = parseDocument(DEV_YAML).toJS() as { config: Record<string, Record<string, unknown>> };
  edit(json.config);
  return parseStackYaml("dev", JSON.stringify(json), "Pulumi.dev.yaml");
}
const risksOf = (config: ReturnType<typeof devConfig>) => acceptedRisks(config, synthesizeApp(buildBulwarkApp(config)));

describe("exceptions and accepted risks", () => {
  test("the dev stack's exceptions: the exempt system namespaces only (1.36 is in standard support, no paid extended support)", () => {
    expect(risksOf(devConfig())).toEqual([
      {
        key: "bulwark:policy.exemptNamespaces",
        risk: expect.stringMatching(/no Gatekeeper constraint/),
        affects: "gatekeeper-system, kube-node-lease, kube-public, kube-system",
      },
    ]);
  });

  test("every step down from a default is listed with what it affects", () => {
    const config = configWith((c) => {
      const tenants = c["bulwark:tenants"] as unknown as Record<string, unknown>[];
      tenants[1].podSecurity = "baseline";
      Object.assign(c["bulwark:policy"], {
        serviceAccountTokenAllowlist: ["payments/metrics-reader"],
        publicLoadBalancerNamespaces: ["web"],
        breakGlassClusterAdminBindings: ["break-glass"],
        rbacExemptRequesters: ["platform-deployer"],
        publicSubjectBindings: ["ClusterRoleBinding/public-info-viewer"],
        enforcementActions: { "image-tags": "warn" },
      });
      Object.assign(c["bulwark:cluster"], { acceptDataLossOnDestroy: true, acceptExtendedSupportCharges: true });
    });
    const keys = risksOf(config).map((r) => `${r.key} → ${r.affects}`);
    expect(keys).toEqual([
      "bulwark:tenants[web].podSecurity → namespace web",
      "bulwark:policy.serviceAccountTokenAllowlist → payments/metrics-reader",
      "bulwark:policy.publicLoadBalancerNamespaces → web",
      "bulwark:policy.breakGlassClusterAdminBindings → break-glass",
      "bulwark:policy.exemptNamespaces → gatekeeper-system, kube-node-lease, kube-public, kube-system",
      "bulwark:policy.rbacExemptRequesters → platform-deployer",
      "bulwark:policy.publicSubjectBindings → ClusterRoleBinding/public-info-viewer",
      "bulwark:policy.enforcementAction(s) → BulwarkImageTags/image-tags",
      "bulwark:cluster.acceptDataLossOnDestroy → bulwark:cluster",
      "bulwark:cluster.acceptExtendedSupportCharges → bulwark:cluster",
    ]);
  });
});
