import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT_BAD_INPUT } from "../config/errors";
import { DNS1123_LABEL, PSS_VERSION_PATTERN } from "../config/fields";
import { loadStackFile } from "../config/load";
import type { BundleSelection } from "../constructs/gatekeeper/policy";
import { BUNDLES } from "../constructs/gatekeeper/policy";
import type { CheckFormat } from "../constructs/gatekeeper/check";
import { CHECK_FORMATS, CheckInputError, createChecker, exitCodeOf, toJsonReport, toSarifReport, toTextReport } from "../constructs/gatekeeper/check";
import { UsageError, parseCommandLine, runCommand } from "./cli";

export const CHECK_USAGE = `Usage: npm run check -- [--stack dev] [--bundle all|pss-baseline|pss-restricted|general]
                         [--pss-version vX.Y] [--namespace NS] [--format text|json|sarif] PATH...

Evaluates every Kubernetes object in the YAML/JSON files and folders given against the stack's
synthesized Gatekeeper ConstraintTemplates and constraints (the same CEL the cluster runs), with
Gatekeeper's match rules, excluded namespaces, enforcement actions and pod-template expansion.

  --stack <name>        stack file Pulumi.<name>.yaml (default: dev)
  --bundle <name>       policies to apply (default: all)
  --pss-version <v>     Pod Security Standards version, e.g. v1.30 (default: the cluster's minor version)
  --namespace <ns>      namespace of namespaced objects that have none (default: default)
  --format <f>          text (default), json (one document on stdout) or sarif (SARIF 2.1.0)

Exit status: 0 no deny-level violation; 1 at least one; 2 bad input (unreadable file, invalid YAML,
unknown flag or stack), reported with file and line.`;

const BUNDLE_CHOICES: readonly string[] = ["all", ...BUNDLES];

function toolVersion(): string {
  // From the sources package.json is one level up; from the compiled build/stacks/, two.
  for (const candidate of [join(__dirname, "..", "package.json"), join(__dirname, "..", "..", "package.json")]) {
    try {
      const parsed = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (parsed.name === "bulwark" && parsed.version) return parsed.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

/** Runs `check` with argv; writes to stdout/stderr and returns the exit code. */
export function runCheck(argv: readonly string[], projectDir = "."): number {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      stack: { type: "string" },
      bundle: { type: "string" },
      "pss-version": { type: "string" },
      namespace: { type: "string" },
      format: { type: "string" },
      help: { type: "boolean" },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const bundle = values.bundle ?? "all";
  if (!BUNDLE_CHOICES.includes(bundle)) throw new UsageError(`--bundle ${bundle}: must be one of ${BUNDLE_CHOICES.join(", ")}`);
  const format = (values.format ?? "text") as CheckFormat;
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: must be one of ${CHECK_FORMATS.join(", ")}`);
  const pssVersion = values["pss-version"];
  if (pssVersion !== undefined && !PSS_VERSION_PATTERN.test(pssVersion)) throw new UsageError(`--pss-version ${pssVersion}: must look like v1.33`);
  const namespace = values.namespace;
  if (namespace !== undefined && !DNS1123_LABEL.test(namespace)) {
    throw new UsageError(`--namespace ${namespace}: must be a namespace name (DNS-1123 label)`);
  }
  if (positionals.length === 0) throw new UsageError("name at least one PATH (file or folder) to check");
  const config = loadStackFile(values.stack ?? "dev", projectDir);
  const checker = createChecker({ config, bundle: bundle as BundleSelection, pssVersion });
  let report;
  try {
    report = checker.checkPaths(positionals, { namespace });
  } catch (error) {
    if (error instanceof CheckInputError) {
      process.stderr.write(`check: bad input, nothing was checked:\n${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  if (format === "json") process.stdout.write(`${JSON.stringify(toJsonReport(report))}\n`);
  else if (format === "sarif") process.stdout.write(`${JSON.stringify(toSarifReport(report, toolVersion()), null, 2)}\n`);
  else process.stdout.write(toTextReport(report));
  return exitCodeOf(report);
}

export function checkMain(argv: readonly string[]): Promise<void> {
  return runCommand(CHECK_USAGE, () => runCheck(argv));
}

if (require.main === module) void checkMain(process.argv.slice(2));
