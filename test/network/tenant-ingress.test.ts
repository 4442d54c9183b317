/**
 * Tenant ingress: `tenants[].ingress` in the stack config opens named, least-privilege ways into a tenant's
 * pods, and the sending side's egress with them (under default deny both ends must allow a connection).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Chart, Size, Testing } from "cdk8s";
import { Cpu } from "cdk8s-plus-33";
import { parseDocument } from "yaml";
import { parseStackYaml } from "../../config/load";
import { buildBulwarkApp } from "../../constructs/app";
import { Peer } from "../../constructs/network/peers";
import { synthesizeApp } from "../../constructs/synthesize";
import { analyzeNetwork, toMermaid } from "../../report/network";
import { TenantNetworkPolicies } from "../../constructs/network/tenant-network-policies";
import { HardenedWorkload } from "../../constructs/workload/hardened-workload";
import type { Manifest } from "../support/repo";
import { REPO_ROOT, configProblemsOf, findObject, synthObjects } from "../support/repo";

const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
type Config = Record<string, unknown>;
type Tenant = Record<string, unknown>;

function devWith(edit: (config: Config, tenants: Tenant[]) => void): string {
  const json = parseDocument(DEV_YAML).toJS() as { config: Config };
  edit(json.config, json.config["bulwark:tenants"] as Tenant[]);
  return JSON.stringify(json, null, 2);
}

const byName = (tenants: Tenant[], name: string) => tenants.find((t) => t.name === name) as Tenant;
const policyOf = (objects: Manifest[], namespace: string, name: string) =>
  findObject(objects, "NetworkPolicy", namespace, name) as Manifest & { spec: Record<string, unknown> };

describe("tenants[].ingress opens both ends of each connection", () => {
  const text = devWith((config, tenants) => {
    (config["bulwark:cluster"] as { network: Record<string, unknown> }).network.vpcCidr = "10.40.0.0/16";
    byName(tenants, "payments").ingress = [
      { name: "api-from-web", pods: { "app.kubernetes.io/name": "api" }, ports: [{ port: 8443 }], from: { tenants: ["web"] } },
      { name: "cache", pods: { "app.kubernetes.io/name": "cache" }, ports: [{ port: 6379 }], from: { sameNamespace: true } },
    ];
    byName(tenants, "web").ingress = [
      { name: "frontend", pods: { "app.kubernetes.io/name": "frontend" }, ports: [{ port: 8080 }], from: { loadBalancers: true, cidrs: ["192.0.2.0/24"] } },
    ];
  });
  const objects = synthObjects(parseStackYaml("dev", text, "Pulumi.dev.yaml"));

  it("admits web's pods to payments' api pods on 8443 only", () => {
    expect(policyOf(objects, "payments", "allow-ingress-api-from-web").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } }, podSelector: {} }],
          ports: [{ port: 8443, protocol: "TCP" }],
        },
      ],
    });
  });

  it("opens web's egress to exactly those pods and ports", () => {
    expect(policyOf(objects, "web", "allow-egress-payments-api-from-web").spec).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "payments" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
            },
          ],
          ports: [{ port: 8443, protocol: "TCP" }],
        },
      ],
    });
  });

  it("a same-namespace grant opens ingress and the namespace's own egress to the selected pods", () => {
    expect(policyOf(objects, "payments", "allow-ingress-cache").spec.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ port: 6379, protocol: "TCP" }] },
    ]);
    expect(policyOf(objects, "payments", "allow-egress-payments-cache").spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "cache" } } }], ports: [{ port: 6379, protocol: "TCP" }] },
    ]);
  });

  it("load balancers come in from the VPC CIDR; listed CIDRs as given", () => {
    expect(policyOf(objects, "web", "allow-ingress-frontend").spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: "10.40.0.0/16" } }, { ipBlock: { cidr: "192.0.2.0/24" } }], ports: [{ port: 8080, protocol: "TCP" }] },
    ]);
  });

  it("the report's reachability shows the paths in: web → payments on 8443, load balancers and 192.0.2.0/24 → web on 8080", () => {
    const charts = synthesizeApp(buildBulwarkApp(parseStackYaml("dev", text, "Pulumi.dev.yaml")));
    const analysis = analyzeNetwork(charts, "10.40.0.0/16");
    expect(analysis.edges.filter((e) => e.to.startsWith("ns:"))).toEqual([{ from: "web", to: "ns:payments", ports: "8443/TCP" }]);
    expect(analysis.entries).toEqual([
      { from: "cidr:10.40.0.0/16", to: "ns:web", ports: "8080/TCP" },
      { from: "cidr:192.0.2.0/24", to: "ns:web", ports: "8080/TCP" },
    ]);
    expect(toMermaid(analysis)).toContain('cidr_10_40_0_0_16 -->|"8080/TCP"| ns_web');
  });

  it("a tenant no grant names gets no ingress or peer egress policy", () => {
    const names = objects
      .filter((o) => o.kind === "NetworkPolicy")
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
      .sort();
    expect(names.filter((n) => /allow-(ingress|egress)-/.test(n))).toEqual([
      "payments/allow-egress-payments-cache",
      "payments/allow-ingress-api-from-web",
      "payments/allow-ingress-cache",
      "web/allow-egress-payments-api-from-web",
      "web/allow-ingress-frontend",
    ]);
  });

  it("the dev stack, with no grants, has default deny and no way in", () => {
    const dev = synthObjects();
    expect(dev.filter((o) => o.kind === "NetworkPolicy" && /^allow-(ingress|egress)-/.test(o.metadata.name))).toEqual([]);
  });
});

describe("tenants[].ingress: bad grants are config errors naming the key", () => {
  const grant = (extra: Record<string, unknown>) => ({ name: "api", ports: [{ port: 8443 }], from: { sameNamespace: true }, ...extra });
  it.each([
    [
      "an unknown source tenant",
      { from: { tenants: ["billing"] } },
      "bulwark:tenants[0].ingress[0].from.tenants[0]",
      /is not a tenant of this stack; accepted: payments, web/,
    ],
    ["the tenant itself as a source", { from: { tenants: ["payments"] } }, "bulwark:tenants[0].ingress[0].from.tenants[0]", /use from.sameNamespace: true/],
    ["no source", { from: {} }, "bulwark:tenants[0].ingress[0].from", /must name at least one source/],
    ["no ports", { ports: [] }, "bulwark:tenants[0].ingress[0].ports", /never opens every port/],
    ["the whole internet", { from: { cidrs: ["0.0.0.0/0"] } }, "bulwark:tenants[0].ingress[0].from.cidrs[0]", /whole internet/],
    ["the whole IPv6 internet", { from: { cidrs: ["::/0"] } }, "bulwark:tenants[0].ingress[0].from.cidrs[0]", /whole internet/],
    ["a non-canonical CIDR", { from: { cidrs: ["192.0.2.1/24"] } }, "bulwark:tenants[0].ingress[0].from.cidrs[0]", /192\.0\.2\.0\/24/],
    ["a port out of range", { ports: [{ port: 70000 }] }, "bulwark:tenants[0].ingress[0].ports[0].port", /1 to 65535/],
    ["an unknown key", { allowAll: true }, "bulwark:tenants[0].ingress[0].allowAll", /unknown key/],
  ])("%s", (_what, extra, path, message) => {
    const problems = configProblemsOf(devWith((_c, tenants) => (tenants[0].ingress = [grant(extra)])));
    expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message), line: expect.any(Number) })]);
  });

  it("two grants of one tenant with the same name", () => {
    const problems = configProblemsOf(devWith((_c, tenants) => (tenants[0].ingress = [grant({}), grant({})])));
    expect(problems).toEqual([expect.objectContaining({ path: "bulwark:tenants[0].ingress", message: expect.stringMatching(/two grants alike/) })]);
  });

  it("load balancers with an existing VPC, whose CIDR the blueprint does not know", () => {
    const problems = configProblemsOf(
      devWith((config, tenants) => {
        (config["bulwark:cluster"] as Record<string, unknown>).network = {
          vpcId: "vpc-0a1b2c3d4e5f67890",
          privateSubnetIds: ["subnet-0a1b2c3d4e5f67890", "subnet-1a1b2c3d4e5f67890"],
        };
        tenants[1].ingress = [grant({ from: { loadBalancers: true } })];
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ path: "bulwark:tenants[1].ingress[0].from.loadBalancers", message: expect.stringMatching(/from\.cidrs/) }),
    ]);
  });
});

describe("TenantNetworkPolicies refuses grants that would open more than they name", () => {
  const build = (props: Partial<ConstructorParameters<typeof TenantNetworkPolicies>[2]>) => () =>
    new TenantNetworkPolicies(new Chart(Testing.app(), "c"), "n", { namespace: "payments", ...props });
  it.each([
    ["an ingress grant without peers", { ingress: [{ name: "x", ports: [{ port: 80 }], from: [] }] }, /empty from would admit everyone/],
    ["an ingress grant without ports", { ingress: [{ name: "x", ports: [], from: [Peer.sameNamespace()] }] }, /would open every port/],
    ["a non-canonical CIDR peer", { ingress: [{ name: "x", ports: [{ port: 80 }], from: [Peer.cidr("10.0.0.1/8")] }] }, /no host bits.*10\.0\.0\.0\/8/],
    ["a CIDR as peer egress", { peerEgress: [{ name: "x", ports: [{ port: 80 }], to: Peer.cidr("10.0.0.0/8") }] }, /belongs in egress/],
  ])("%s", (_what, props, message) => {
    expect(build(props)).toThrow(message);
  });

  it("a CIDR peer that contains the metadata endpoint excludes it", () => {
    const chart = new Chart(Testing.app(), "c");
    new TenantNetworkPolicies(chart, "n", { namespace: "payments", ingress: [{ name: "wide", ports: [{ port: 80 }], from: [Peer.cidr("169.254.0.0/16")] }] });
    const policy = Testing.synth(chart).find((o) => o.metadata.name === "allow-ingress-wide");
    expect(policy.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: "169.254.0.0/16", except: ["169.254.169.254/32"] } }]);
  });
});

describe("HardenedWorkload: default deny, then least privilege for each service", () => {
  const base = {
    name: "api",
    namespace: "payments",
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2",
    resources: { cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
  };
  const synth = (props: Record<string, unknown>) => {
    const chart = new Chart(Testing.app(), "c");
    new HardenedWorkload(chart, "w", { ...base, ...props });
    return Testing.synth(chart).filter((o) => o.kind === "NetworkPolicy");
  };

  it("with a port and peers, its pods accept exactly those peers on that port, and reach only the declared egress", () => {
    const [policy] = synth({
      port: 8443,
      allowIngressFrom: [Peer.namespace("web", { "app.kubernetes.io/name": "frontend" })],
      allowEgressTo: [{ to: Peer.namespace("payments-db"), ports: [{ port: 5432 }] }],
    });
    expect(policy.metadata).toMatchObject({ name: "api", namespace: "payments" });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "web" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "frontend" } },
            },
          ],
          ports: [{ port: 8443, protocol: "TCP" }],
        },
      ],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "payments-db" } }, podSelector: {} }],
          ports: [{ port: 5432, protocol: "TCP" }],
        },
      ],
    });
  });

  it("without peers it adds no policy: default deny keeps it closed", () => {
    expect(synth({ port: 8443 })).toEqual([]);
  });

  it.each([
    ["peers without a port", { allowIngressFrom: [Peer.sameNamespace()] }, /needs a port/],
    ["an empty peer list", { port: 80, allowIngressFrom: [] }, /is empty/],
    ["egress without ports", { allowEgressTo: [{ to: Peer.sameNamespace(), ports: [] }] }, /would open every port/],
    ["a non-canonical CIDR", { port: 80, allowIngressFrom: [Peer.cidr("10.1.2.3/8")] }, /no host bits/],
  ])("refuses %s", (_what, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
