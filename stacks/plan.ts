import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { readStackEntries } from "../config/load";
import type { Plan, PlannedResource } from "../lib/plan/engine";
import { runPlan } from "../lib/plan/engine";
import { DEFAULT_MOCK_ACCOUNT, accountMocks } from "../lib/plan/mocks";
import { outputFile, parseCommandLine, runCommand } from "./cli";
import { STACK_OPTIONS, stackLocation } from "./stack-source";
import { toPulumiConfig } from "./pulumi-config";

export const PLAN_USAGE = `Usage: npm run plan -- [--stack <name> | --stack-file <path>] [--out <file>] [--quiet]

Runs the stack's Pulumi program in-process under Pulumi's mock engine (no Pulumi CLI, no AWS account, no
network) with realistic mocked outputs, prints the resource tree and writes the plan as JSON.

  --stack <name>  stack file Pulumi.<name>.yaml to read (default: dev)
  --stack-file <path>  a stack file Pulumi.<name>.yaml in another folder (instead of --stack)
  --out <file>    where to write the plan (default: dist/plan.json)
  --quiet         print only the counts, not the tree
  --help          show this text

Examples:
  npm run plan -- --stack dev --quiet
  bulwark plan --stack prod --out plan/prod.json`;

/**
 * Plans `stack` offline: the same program `pulumi up` runs, fed the stack file's config as the Pulumi CLI
 * would pass it. A bad stack file throws a ConfigError before anything is registered.
 */
export async function planStack(stack: string, projectDir = "."): Promise<Plan> {
  const entries = readStackEntries(stack, projectDir);
  const region = typeof entries["aws:region"] === "string" ? entries["aws:region"] : DEFAULT_MOCK_ACCOUNT.region;
  const plan = await runPlan({
    stack,
    project: "bulwark",
    config: toPulumiConfig(entries),
    mocks: accountMocks({ ...DEFAULT_MOCK_ACCOUNT, region }),
    program: async () => {
      // Loaded here, after the mock engine is in place, as `pulumi up` loads the program.
      const { deployBulwark } = await import("./program");
      const { readPulumiStackConfig } = await import("./pulumi-config");
      deployBulwark(readPulumiStackConfig());
    },
  });
  // Sorted by URN: byte-identical output for the same stack file.
  return { stack: plan.stack, resources: [...plan.resources].sort((a, b) => a.urn.localeCompare(b.urn)) };
}

/** Resource counts by type, sorted by type; Gatekeeper constraints (one kind per policy) counted together. */
export function countByType(resources: readonly PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    const type = r.type.startsWith("kubernetes:constraints.gatekeeper.sh/") ? "kubernetes:constraints.gatekeeper.sh/*" : r.type;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The resource tree: each resource under its parent, as `type name`. */
export function formatTree(resources: readonly PlannedResource[]): string {
  const children = new Map<string | null, PlannedResource[]>();
  const known = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent && known.has(r.parent) ? r.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}${r.type} ${r.name}${r.protect ? " [protected]" : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 0);
  return lines.join("\n");
}

export function formatPlanSummary(plan: Plan, file: string): string {
  const aws = plan.resources.filter((r) => r.type.startsWith("aws:")).length;
  const kubernetes = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).length;
  const protectedCount = plan.resources.filter((r) => r.protect).length;
  return `plan: ${plan.resources.length} resources for stack ${plan.stack} (${aws} AWS, ${kubernetes} Kubernetes, ${protectedCount} protected) -> ${file}`;
}

export function writePlan(plan: Plan, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`, "utf8");
}

export function planMain(argv: readonly string[]): Promise<void> {
  return runCommand(PLAN_USAGE, async () => {
    const { values } = parseCommandLine(argv, {
      ...STACK_OPTIONS,
      out: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean" },
    });
    if (values.help) {
      process.stdout.write(`${PLAN_USAGE}\n`);
      return 0;
    }
    const file = outputFile("--out", values.out ?? "dist/plan.json");
    const { stack, projectDir } = stackLocation(values);
    process.stderr.write(`plan: running the ${stack} program under the mock engine...\n`);
    const plan = await planStack(stack, projectDir);
    writePlan(plan, file);
    if (!values.quiet) process.stdout.write(`${formatTree(plan.resources)}\n\n`);
    process.stdout.write(
      `${countByType(plan.resources)
        .map(([type, n]) => `${String(n).padStart(4)}  ${type}`)
        .join("\n")}\n`,
    );
    process.stdout.write(`${formatPlanSummary(plan, file)}\n`);
    return 0;
  });
}

if (require.main === module) void planMain(process.argv.slice(2));
