/**
 * `tenants[].services[]`: every bad service is refused with its key path, value, what is accepted and the
 * line of the stack file, starting from the example-alb stack.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigProblem } from "../../config/errors";
import { ConfigError } from "../../config/errors";
import { parseStackYaml } from "../../config/load";
import { REPO_ROOT } from "../support/repo";

const FILE = "Pulumi.example-alb.yaml";
const EXAMPLE = readFileSync(join(REPO_ROOT, FILE), "utf8");

function problemsOf(text: string): readonly ConfigProblem[] {
  try {
    parseStackYaml("example-alb", text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const SERVICE = "bulwark:tenants[0].services[0]";

describe("tenant services in the stack config", () => {
  test("the example stack is accepted as written", () => {
    const config = parseStackYaml("example-alb", EXAMPLE, FILE);
    expect(config.tenants[0].services?.map((s) => s.name)).toEqual(["orders-api"]);
  });

  test.each([
    ["an image on latest", "orders/api:1.4.2", "orders/api:latest", `${SERVICE}.image`, /latest tag/],
    ["an unpinned image", "orders/api:1.4.2", "orders/api", `${SERVICE}.image`, /pinned by a tag or by digest/],
    ["a wildcard host", "host: orders.internal.example.com", 'host: "*.internal.example.com"', `${SERVICE}.ingress.host`, /no wildcard/],
    ["CPU in an unknown unit", 'cpuLimit: "1"', "cpuLimit: 1k", `${SERVICE}.resources.cpuLimit`, /millicores/],
    ["a port out of range", "port: 8080\n          resources", "port: 80800\n          resources", `${SERVICE}.port`, /1 to 65535/],
    ["an unknown scheme", "path: /", "path: /\n            scheme: public", `${SERVICE}.ingress.scheme`, /internal or internet-facing/],
  ])("%s is refused at its key", (_what, from, to, path, message) => {
    const text = EXAMPLE.replace(from, to);
    expect(text).not.toBe(EXAMPLE);
    const problems = problemsOf(text);
    expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
    expect(problems[0].line).toBeGreaterThan(0);
  });

  test("a service exposed through the ALB with no ingress grant admitting the load balancers is refused: the ALB could not reach it", () => {
    const text = EXAMPLE.replace("            loadBalancers: true", "            sameNamespace: true");
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: `${SERVICE}.ingress`,
        message: expect.stringMatching(/no ingress grant admits the load balancers to its pods on port 8080.*from\.loadBalancers: true/),
      }),
    ]);
    // A grant on another port does not count either.
    expect(problemsOf(EXAMPLE.replace("            - port: 8080\n          from", "            - port: 9090\n          from"))).toEqual([
      expect.objectContaining({ path: `${SERVICE}.ingress` }),
    ]);
  });

  test("an internet-facing service outside publicLoadBalancerNamespaces is refused; listing the namespace accepts it", () => {
    const text = EXAMPLE.replace("path: /", "path: /\n            scheme: internet-facing");
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        path: `${SERVICE}.ingress.scheme`,
        value: "internet-facing",
        message: expect.stringContaining("publicLoadBalancerNamespaces"),
      }),
    ]);
    expect(problems[0].line).toBe(lineOf(text, "scheme: internet-facing"));
    const accepted = parseStackYaml("example-alb", text.replace("publicLoadBalancerNamespaces: []", "publicLoadBalancerNamespaces: [orders]"), FILE);
    expect(accepted.tenants[0].services?.[0].ingress?.scheme).toBe("internet-facing");
  });

  test("an image from a registry the policies do not allow is refused, naming the allowed registries", () => {
    const text = EXAMPLE.replace("image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders/api:1.4.2", "image: docker.io/library/nginx:1.27");
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: `${SERVICE}.image`,
        value: "docker.io/library/nginx:1.27",
        message: expect.stringContaining("123456789012.dkr.ecr.eu-west-1.amazonaws.com/"),
      }),
    ]);
  });

  test("two services of one tenant cannot share a name", () => {
    const block = EXAMPLE.slice(EXAMPLE.indexOf("        - name: orders-api\n          image"), EXAMPLE.indexOf("  bulwark:policy:"));
    const text = EXAMPLE.replace(block, block + block.replace(/\n {10}ingress:[\s\S]*$/, "\n"));
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ path: "bulwark:tenants[0].services", message: expect.stringContaining("two services alike") }),
    ]);
  });
});
