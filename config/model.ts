import { z } from "zod";
import { clusterSchema } from "./cluster";
import { configKeyProblem, crossKeyProblems } from "./cross-checks";
import { deploySchema, existingTargetProblems } from "./deploy";
import type { ConfigProblem } from "./errors";
import { ConfigError } from "./errors";
import { policySchema } from "./policy";
import { tenantsSchema } from "./tenants";

/** AWS regions look like `eu-west-1`, `us-gov-west-1`, `ap-southeast-4`. */
const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/, {
  error: "must be an AWS region such as eu-west-1",
});

/**
 * The stack file's config keys that Bulwark reads. Every `bulwark:*` key must be one of these;
 * keys of other namespaces (`pulumi:`, `kubernetes:`, other `aws:` keys) belong to their providers.
 */
const stackShape = {
  "aws:region": awsRegion,
  "bulwark:cluster": clusterSchema,
  "bulwark:tenants": tenantsSchema,
  "bulwark:policy": policySchema,
  "bulwark:deploy": deploySchema.optional(),
};
const stackSchema = z.object(stackShape).superRefine((stack, ctx) => {
  // Load balancers connect from VPC addresses; with an existing VPC the blueprint does not know its CIDR.
  if (stack["bulwark:cluster"].network?.vpcId === undefined) return;
  stack["bulwark:tenants"].forEach((tenant, t) => {
    (tenant.ingress ?? []).forEach((grant, g) => {
      if (grant.from.loadBalancers !== true) return;
      ctx.addIssue({
        code: "custom",
        path: ["bulwark:tenants", t, "ingress", g, "from", "loadBalancers"],
        input: true,
        message:
          "needs the VPC CIDR, which an existing VPC (bulwark:cluster.network.vpcId) does not give: list the load balancer subnets' CIDRs under from.cidrs instead",
      });
    });
  });
});
const BULWARK_KEYS = Object.keys(stackShape).filter((key) => key.startsWith("bulwark:"));

/** The one typed model of a cluster, parsed from `Pulumi.<stack>.yaml`. */
export interface BulwarkConfig {
  readonly stack: string;
  readonly region: string;
  readonly cluster: z.infer<typeof clusterSchema>;
  readonly tenants: z.infer<typeof tenantsSchema>;
  readonly policy: z.infer<typeof policySchema>;
  /** Deployment settings; `phase` defaults to `full`, `target` to `new`. */
  readonly deploy?: z.infer<typeof deploySchema>;
}

/** Maps a key path to its 1-based line in the source, when known. */
export type LineLocator = (path: readonly (string | number)[]) => number | undefined;

/** `["bulwark:tenants", 0, "name"]` → `bulwark:tenants[0].name`. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number" && !Number.isFinite(value)) return `${String(value)} (not a finite number)`;
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function expectedText(expected: string): string {
  return expected === "array" ? "a list" : expected === "object" ? "a mapping" : `a ${expected}`;
}

/** Turns zod issues into problems that name the key path, the bad value and what is accepted. */
function toProblems(issues: readonly z.core.$ZodIssue[], input: unknown, locate?: LineLocator): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const keyPathParts = [...path, key];
        problems.push({
          path: keyPath(keyPathParts),
          value: valueAt(input, keyPathParts),
          message: issue.message,
          line: locate?.(keyPathParts as (string | number)[]),
        });
      }
      continue;
    }
    const value = valueAt(input, path);
    let message = issue.message;
    // A fractional number for an integer field is a range problem, said by the schema's own message.
    const fractional = issue.code === "invalid_type" && issue.expected === "int" && typeof value === "number";
    if (fractional && message.startsWith("Invalid input")) message = "must be a whole number";
    // A missing key whose schema is a union (several accepted forms) gets zod's bare "Invalid input".
    if (value === undefined && message.startsWith("Invalid input")) message = "is required";
    if (issue.code === "invalid_type" && !fractional) {
      message =
        value === undefined ? `is required (expected ${expectedText(issue.expected)})` : `must be ${expectedText(issue.expected)}, not ${describeType(value)}`;
    }
    problems.push({ path: keyPath(path), value, message, line: locate?.(path as (string | number)[]) });
  }
  // Stable order: by line when known, then by path.
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.path.localeCompare(b.path));
}

/**
 * Parses and validates a stack's config entries (key → value, values already decoded from YAML or JSON).
 * Reports every problem at once by throwing a {@link ConfigError}.
 */
export function parseStackConfig(
  stack: string,
  entries: Readonly<Record<string, unknown>>,
  options: { readonly file?: string; readonly locate?: LineLocator } = {},
): BulwarkConfig {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(entries).sort()) {
    const keyProblem = configKeyProblem(key);
    if (keyProblem) {
      problems.push({ path: key, value: entries[key], message: keyProblem, line: options.locate?.([key]) });
    } else if (key.startsWith("bulwark:") && !BULWARK_KEYS.includes(key)) {
      problems.push({
        path: key,
        value: entries[key],
        message: `unknown key; accepted bulwark keys: ${BULWARK_KEYS.join(", ")}`,
        line: options.locate?.([key]),
      });
    }
  }
  for (const problem of existingTargetProblems(entries)) {
    problems.push({ path: keyPath(problem.path), value: problem.value, message: problem.message, line: options.locate?.(problem.path as (string | number)[]) });
  }
  const result = stackSchema.safeParse(entries);
  if (!result.success) problems.push(...toProblems(result.error.issues, entries, options.locate));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems, options.file);
  const data = result.data;
  const crossKey = crossKeyProblems(data["bulwark:cluster"], data["bulwark:tenants"], data["bulwark:policy"]).map((problem) => ({
    path: keyPath(problem.path),
    value: problem.value,
    message: problem.message,
    line: options.locate?.(problem.path),
  }));
  if (crossKey.length > 0) throw new ConfigError(crossKey, options.file);
  return {
    stack,
    region: data["aws:region"],
    cluster: data["bulwark:cluster"],
    tenants: data["bulwark:tenants"],
    policy: data["bulwark:policy"],
    deploy: data["bulwark:deploy"],
  };
}
