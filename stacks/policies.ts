import { resolve } from "node:path";
import { PSS_VERSION_PATTERN } from "../config/fields";
import { BUNDLES } from "../constructs/gatekeeper/policy";
import type { BundleSelection } from "../constructs/gatekeeper/policy";
import { exportPolicyBundle, writeBundle } from "../constructs/gatekeeper/bundle";
import { UsageError, parseCommandLine, runCommand } from "./cli";
import { bulwarkVersion, loadStack, refuseBothStackOptions, STACK_OPTIONS } from "./stack-source";

export const POLICIES_USAGE = `Usage: npm run policies -- export [--stack <name> | --stack-file PATH] --out <dir>
                                   [--bundle all|pss-baseline|pss-restricted|general] [--pss-version vX.Y]

Writes the stack's Gatekeeper policies as a self-contained bundle for app repositories: the
ConstraintTemplates, ExpansionTemplates and constraints (with the stack's parameters and exempt
namespaces), and bundle.json (Bulwark and Kubernetes/PSS versions, exempt namespaces, allowed registries,
each file's SHA-256 and a content hash). The same stack always gives byte-identical files. An app repository
commits the folder and runs \`bulwark check --policies <dir> ...\`, with no copy of the stack file.

  --stack <name>       stack file Pulumi.<name>.yaml (default: dev)
  --stack-file <path>  a stack file anywhere (instead of --stack)
  --out <dir>          the bundle folder (created; its bundle files are replaced)
  --bundle <name>      policies to export (default: all)
  --pss-version <v>    Pod Security Standards version (default: the cluster's minor version)

Examples:
  npm run policies -- export --stack prod --out policies/
  bulwark policies export --stack-file ../platform/Pulumi.prod.yaml --out policies/ --bundle pss-restricted

Exit status: 0 written; 2 bad input (usage, stack file), nothing written.`;

const BUNDLE_CHOICES: readonly string[] = ["all", ...BUNDLES];

/** Runs `policies` with argv; returns the exit code. */
export function runPolicies(argv: readonly string[], projectDir = "."): number {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      ...STACK_OPTIONS,
      out: { type: "string" },
      bundle: { type: "string" },
      "pss-version": { type: "string" },
      help: { type: "boolean" },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${POLICIES_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "export") throw new UsageError(`policies ${positionals.join(" ")}: the one action is \`export\``);
  if (values.out === undefined) throw new UsageError("policies export: --out <dir> is required");
  refuseBothStackOptions(values);
  const selection = values.bundle ?? "all";
  if (!BUNDLE_CHOICES.includes(selection)) throw new UsageError(`--bundle ${selection}: must be one of ${BUNDLE_CHOICES.join(", ")}`);
  const pssVersion = values["pss-version"];
  if (pssVersion !== undefined && !PSS_VERSION_PATTERN.test(pssVersion)) throw new UsageError(`--pss-version ${pssVersion}: must look like v1.33`);
  const stack = loadStack({ stack: values.stack, stackFile: values["stack-file"] }, projectDir);
  const files = exportPolicyBundle(stack.config, {
    stack: stack.name,
    bulwarkVersion: bulwarkVersion(),
    bundle: selection as BundleSelection,
    pssVersion,
  });
  const written = writeBundle(resolve(projectDir, values.out), files);
  process.stdout.write(`policies: wrote ${written.length} files to ${values.out} (stack ${stack.name})\n`);
  return 0;
}

export function policiesMain(argv: readonly string[]): Promise<void> {
  return runCommand(POLICIES_USAGE, () => runPolicies(argv));
}

if (require.main === module) void policiesMain(process.argv.slice(2));
