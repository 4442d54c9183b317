import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parseStackYaml } from "../../config/load";
import { REPO_ROOT, configProblemsOf } from "../support/repo";

const DEV_YAML = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");

/** The dev stack file with `edit` applied to its parsed document. */
function devWith(edit: (config: Record<string, unknown>) => void): string {
  const doc = parseDocument(DEV_YAML);
  const json = doc.toJS() as { config: Record<string, unknown> };
  edit(json.config);
  return JSON.stringify(json, null, 2); // JSON is YAML
}

const problemsOf = configProblemsOf;

type Tenant = Record<string, unknown>;
const tenants = (config: Record<string, unknown>) => config["bulwark:tenants"] as Tenant[];
const policy = (config: Record<string, unknown>) => config["bulwark:policy"] as Record<string, unknown>;

describe("the dev stack", () => {
  test("is valid and carries the values other work relies on", () => {
    const config = parseStackYaml("dev", DEV_YAML, "Pulumi.dev.yaml");
    expect(config.region).toBe("eu-west-1");
    expect(Number(config.cluster.kubernetesVersion.split(".")[1])).toBeGreaterThanOrEqual(33);
    expect(config.tenants.map((t) => [t.name, t.owner])).toEqual([
      ["payments", "team-payments"],
      ["web", "team-web"],
    ]);
    for (const tenant of config.tenants) {
      expect(tenant.groups.admin?.length).toBeGreaterThan(0);
      expect(tenant.groups.edit?.length).toBeGreaterThan(0);
      expect(tenant.groups.view?.length).toBeGreaterThan(0);
    }
    expect(config.policy.allowedRegistries).toEqual(["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"]);
    expect(config.policy.requiredLabels).toEqual(["app.kubernetes.io/name"]);
  });
});

describe("invalid stack config is reported with key path, value, what is accepted and line", () => {
  test("a tenant name that is not a DNS-1123 label", () => {
    const problems = problemsOf(DEV_YAML.replace("name: payments", "name: Bad_Name"));
    expect(problems).toEqual([expect.objectContaining({ path: "bulwark:tenants[0].name", value: "Bad_Name", message: expect.stringContaining("DNS-1123") })]);
    expect(problems[0].line).toBe(DEV_YAML.split("\n").findIndex((l) => l.includes("name: payments")) + 1);
  });

  test.each([["-web"], ["web-"], ["a".repeat(64)], ["kube-tenant"], ["kube-system"], ["default"]])("tenant name %s", (name) => {
    const problems = problemsOf(devWith((c) => (tenants(c)[1].name = name)));
    expect(problems.map((p) => p.path)).toEqual(["bulwark:tenants[1].name"]);
  });

  test("an unknown bulwark key and an unknown nested key", () => {
    const problems = problemsOf(
      devWith((c) => {
        c["bulwark:tenant"] = [];
        tenants(c)[0].quotas = {};
        policy(c).allowedRegistry = "x/";
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "bulwark:tenant", message: expect.stringContaining("accepted bulwark keys: bulwark:cluster") }),
        expect.objectContaining({
          path: "bulwark:tenants[0].quotas",
          message: expect.stringContaining("accepted keys: acceptEgressToWholeInternet, awsPrincipals, egress, groups"),
        }),
        expect.objectContaining({ path: "bulwark:policy.allowedRegistry", message: expect.stringContaining("allowedRegistries") }),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  test("an empty tenant list", () => {
    expect(problemsOf(devWith((c) => (c["bulwark:tenants"] = [])))).toEqual([
      expect.objectContaining({ path: "bulwark:tenants", value: [], message: "must list at least one tenant" }),
    ]);
  });

  test("duplicate tenants", () => {
    const problems = problemsOf(devWith((c) => (tenants(c)[1].name = "payments")));
    expect(problems).toEqual([
      expect.objectContaining({ path: "bulwark:tenants[1].name", value: "payments", message: expect.stringContaining("duplicates tenant 0") }),
    ]);
  });

  test.each([
    ["10.0.0.0", "prefix length"],
    ["10.0.0.300/24", "not an IPv4 or IPv6"],
    ["10.0.0.0/33", "prefix length must be 0 to 32"],
    ["10.0.0.1/24", "did you mean 10.0.0.0/24"],
    ["2001:db8::1/32", "did you mean 2001:db8::/32"],
    ["169.254.169.254/32", "instance metadata"],
    ["fd00:ec2::254/128", "instance metadata"],
  ])("malformed or forbidden egress CIDR %s", (value, expected) => {
    const problems = problemsOf(devWith((c) => ((tenants(c)[0].egress as { cidr: string }[])[0].cidr = value)));
    expect(problems).toEqual([expect.objectContaining({ path: "bulwark:tenants[0].egress[0].cidr", value, message: expect.stringContaining(expected) })]);
  });

  test("a registry entry without a trailing slash", () => {
    const problems = problemsOf(devWith((c) => (policy(c).allowedRegistries = ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"])));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "bulwark:policy.allowedRegistries[0]",
        value: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        message: expect.stringContaining("must end with '/'"),
      }),
    ]);
  });

  test("an unquoted Kubernetes version and an unsupported one", () => {
    expect(problemsOf(DEV_YAML.replace('kubernetesVersion: "1.36"', "kubernetesVersion: 1.30"))).toEqual([
      expect.objectContaining({ path: "bulwark:cluster.kubernetesVersion", value: 1.3, message: expect.stringContaining("quoted string") }),
    ]);
    expect(problemsOf(DEV_YAML.replace('kubernetesVersion: "1.36"', 'kubernetesVersion: "1.27"'))).toEqual([
      expect.objectContaining({ path: "bulwark:cluster.kubernetesVersion", message: expect.stringContaining("1.33, 1.34") }),
    ]);
  });

  test("an IdP group that names a Kubernetes system group", () => {
    const problems = problemsOf(devWith((c) => ((tenants(c)[0].groups as Record<string, string[]>).admin = ["system:masters"])));
    expect(problems).toEqual([expect.objectContaining({ path: "bulwark:tenants[0].groups.admin[0]", value: "system:masters" })]);
  });

  test("a missing required key and a wrong type", () => {
    const problems = problemsOf(
      devWith((c) => {
        delete tenants(c)[0].owner;
        tenants(c)[1].groups = ["web-admins"];
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ path: "bulwark:tenants[0].owner", value: undefined, message: "is required (expected a string)" }),
      expect.objectContaining({ path: "bulwark:tenants[1].groups", message: "must be a mapping, not a list" }),
    ]);
  });

  test("every problem is reported at once, one line each, naming the file", () => {
    const text = DEV_YAML.replace("name: payments", "name: Bad_Name").replace("ecr.eu-west-1.amazonaws.com/", "ecr.eu-west-1.amazonaws.com");
    let message = "";
    try {
      parseStackYaml("dev", text, "Pulumi.dev.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^2 configuration problems in Pulumi\.dev\.yaml:/);
    expect(message).toMatch(/Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.name = "Bad_Name": must be a DNS-1123 label/);
    expect(message).toMatch(/Pulumi\.dev\.yaml:\d+: bulwark:policy\.allowedRegistries\[0\] = ".*amazonaws\.com": must end with '\/'/);
  });

  test("broken YAML says line and column, with no key path or value to speak of", () => {
    let message = "";
    try {
      parseStackYaml("dev", "config:\n  bulwark:cluster:\n    name: x\n   bad: [\n", "Pulumi.dev.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/\n {2}- Pulumi\.dev\.yaml:4: invalid YAML \(column \d+\): [A-Z][^\n]*$/m);
    expect(message).not.toMatch(/\(yaml\) =|\(missing\)|at line \d+, column/);
  });

  test("a missing required key says it is required and what is accepted", () => {
    const text = DEV_YAML.replace(/\n\s*kubernetesVersion: "1\.\d+"/, "");
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: "bulwark:cluster.kubernetesVersion",
        value: undefined,
        message: expect.stringMatching(/^is required: a quoted minor version, one of 1\.\d+/),
      }),
    ]);
  });

  test.each([
    ["kubernetesVerison", "kubernetesVersion"],
    ["KubernetesVersion", "kubernetesVersion"],
    ["logRetentionDays", "logRetentionInDays"],
  ])("an unknown key %s suggests %s", (typo, meant) => {
    const text = DEV_YAML.replace("logRetentionInDays:", `${typo === "logRetentionDays" ? typo : "logRetentionInDays"}:`).replace(
      /kubernetesVersion:/,
      typo === "logRetentionDays" ? "kubernetesVersion:" : `${typo}:`,
    );
    const problem = problemsOf(text).find((p) => p.path === `bulwark:cluster.${typo}`);
    expect(problem?.message).toMatch(new RegExp(`^unknown key \\(did you mean ${meant}\\?\\); accepted keys: `));
  });

  test("an unknown key far from every accepted key gets no guess", () => {
    const problem = problemsOf(DEV_YAML.replace("logRetentionInDays:", "colour:")).find((p) => p.path === "bulwark:cluster.colour");
    expect(problem?.message).toMatch(/^unknown key; accepted keys: /);
  });

  test("broken YAML names the line", () => {
    expect(problemsOf("config:\n  aws:region: eu-west-1\n  bulwark:tenants: [\n")).toEqual([
      expect.objectContaining({ path: "(yaml)", message: expect.stringContaining("invalid YAML"), line: expect.any(Number) }),
    ]);
  });
});
