import { EXIT_BAD_INPUT } from "../config/errors";
import { DNS1123_LABEL, PSS_VERSION_PATTERN } from "../config/fields";
import type { BundleSelection } from "../constructs/gatekeeper/policy";
import { BUNDLES } from "../constructs/gatekeeper/policy";
import { parseImageReference } from "../constructs/dockerfile";
import { BundleError, readBundle } from "../constructs/gatekeeper/bundle";
import type { CheckFormat, Checker } from "../constructs/gatekeeper/check";
import {
  CHECK_FORMATS,
  CheckInputError,
  createChecker,
  createCheckerFromObjects,
  exitCodeOf,
  toJsonReport,
  toSarifReport,
  toTextReport,
} from "../constructs/gatekeeper/check";
import { UsageError, parseCommandLine, runCommand } from "./cli";
import { bulwarkVersion, loadStack, STACK_OPTIONS } from "./stack-source";

export const CHECK_USAGE = `Usage: npm run check -- [--stack dev | --stack-file PATH | --policies DIR]
                         [--bundle all|pss-baseline|pss-restricted|general] [--pss-version vX.Y]
                         [--namespace NS] [--format text|json|sarif] [--fail-on-unchecked]
                         [--dockerfile FILE]... [--allowed-base-image REF]... [--workers N] PATH...

Evaluates every Kubernetes object in the YAML/JSON files and folders given against the stack's
synthesized Gatekeeper ConstraintTemplates and constraints (the same CEL the cluster runs), with
Gatekeeper's match rules, excluded namespaces, enforcement actions and pod-template expansion.
Dockerfiles (named Dockerfile, *.Dockerfile, Dockerfile.*, or given with --dockerfile) are checked
against the Dockerfile rules (docs/policies.md). PATH - reads manifests from standard input.

  --stack <name>        stack file Pulumi.<name>.yaml (default: dev)
  --stack-file <path>   a stack file anywhere (instead of --stack)
  --policies <dir>      a bundle from \`policies export\` (instead of a stack file; verified by its hashes)
  --bundle <name>       policies to apply (default: all; not with --policies)
  --pss-version <v>     Pod Security Standards version, e.g. v1.30 (default: the cluster's minor version)
  --namespace <ns>      namespace of namespaced objects that have none (default: default)
  --format <f>          text (default), json (one document on stdout) or sarif (SARIF 2.1.0)
  --dockerfile <file>   check this file as a Dockerfile whatever its name (- for standard input)
  --allowed-base-image <ref>  a base image allowed besides the allowed registries: a repository
                        (node = docker.io/library/node, any tag) or a prefix ending with '/'
  --fail-on-unchecked   exit 1 when an object has a pod template no ExpansionTemplate covers
                        (Argo Rollouts, Knative Services...: reported as not checked either way)
  --workers <n>         worker threads that read and check the documents, same output in the same
                        order (default: one per core for 20,000 documents or more, else 0: one thread)

Examples:
  npm run check -- --stack dev dist/
  bulwark check --policies policies/ --format sarif k8s/ Dockerfile > bulwark.sarif
  helm template chart/ | bulwark check --policies policies/ --namespace payments -

Exit status: 0 no deny-level violation; 1 at least one (or a Dockerfile finding, or with
--fail-on-unchecked an unchecked object); 2 bad input (unreadable file, invalid YAML, unknown flag,
stack or a bundle altered since export), reported with file and line.`;

const BUNDLE_CHOICES: readonly string[] = ["all", ...BUNDLES];
/** More threads than this only add memory (each worker compiles the policies). */
const MAX_WORKERS = 64;

const CHECK_OPTIONS = {
  ...STACK_OPTIONS,
  policies: { type: "string" },
  bundle: { type: "string" },
  "pss-version": { type: "string" },
  namespace: { type: "string" },
  format: { type: "string" },
  dockerfile: { type: "string", multiple: true },
  "allowed-base-image": { type: "string", multiple: true },
  "fail-on-unchecked": { type: "boolean" },
  workers: { type: "string" },
  help: { type: "boolean" },
} as const;

type CheckValues = ReturnType<typeof parseCommandLine<typeof CHECK_OPTIONS>>["values"];

/** The checker of the policy source given: a bundle (`--policies`), a stack file path, or a stack name. */
function checkerFor(values: CheckValues, projectDir: string): Checker {
  const sources = ["stack", "stack-file", "policies"].filter((k) => values[k as keyof CheckValues] !== undefined);
  if (sources.length > 1) throw new UsageError(`give one of --stack, --stack-file, --policies (got ${sources.map((s) => `--${s}`).join(", ")})`);
  const bundle = values.bundle ?? "all";
  if (!BUNDLE_CHOICES.includes(bundle)) throw new UsageError(`--bundle ${bundle}: must be one of ${BUNDLE_CHOICES.join(", ")}`);
  const pssVersion = values["pss-version"];
  if (pssVersion !== undefined && !PSS_VERSION_PATTERN.test(pssVersion)) throw new UsageError(`--pss-version ${pssVersion}: must look like v1.33`);
  if (values.policies !== undefined) {
    // A bundle is what the platform exported: its selection and PSS version are fixed at export.
    if (values.bundle !== undefined || pssVersion !== undefined) throw new UsageError("--bundle and --pss-version are chosen at export; not with --policies");
    return createCheckerFromObjects(readBundle(values.policies).gatekeeperObjects);
  }
  const { config } = loadStack({ stack: values.stack, stackFile: values["stack-file"] }, projectDir);
  return createChecker({ config, bundle: bundle as BundleSelection, pssVersion });
}

/** Runs `check` with argv; writes to stdout/stderr and returns the exit code. */
export function runCheck(argv: readonly string[], projectDir = ".", stdin?: () => string): number {
  const { values, positionals } = parseCommandLine(argv, CHECK_OPTIONS, true);
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const format = (values.format ?? "text") as CheckFormat;
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: must be one of ${CHECK_FORMATS.join(", ")}`);
  const namespace = values.namespace;
  if (namespace !== undefined && !DNS1123_LABEL.test(namespace)) {
    throw new UsageError(`--namespace ${namespace}: must be a namespace name (DNS-1123 label)`);
  }
  for (const entry of values["allowed-base-image"] ?? []) {
    if (entry.endsWith("/") ? /[\s*?]/.test(entry) : parseImageReference(entry) === undefined) {
      throw new UsageError(`--allowed-base-image ${entry}: must be an image repository (node, ghcr.io/org/base) or a prefix ending with '/'`);
    }
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(/^\d+$/.test(values.workers!) && workers <= MAX_WORKERS)) {
    throw new UsageError(`--workers ${values.workers}: must be a whole number from 0 (one thread) to ${MAX_WORKERS}`);
  }
  const dockerfiles = values.dockerfile ?? [];
  if (positionals.length === 0 && dockerfiles.length === 0) throw new UsageError("name at least one PATH (file or folder) to check");
  let report;
  let checker: Checker;
  try {
    checker = checkerFor(values, projectDir);
    report = checker.checkInputs({ paths: positionals, dockerfiles }, { namespace, allowedBaseImages: values["allowed-base-image"], workers }, stdin);
  } catch (error) {
    if (error instanceof CheckInputError) {
      process.stderr.write(`check: bad input, nothing was checked:\n${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof BundleError) {
      process.stderr.write(`check: bad policy bundle, nothing was checked:\n${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  const exitCode = exitCodeOf(report, { failOnUnchecked: values["fail-on-unchecked"] === true });
  if (format === "json") process.stdout.write(`${JSON.stringify(toJsonReport(report))}\n`);
  else if (format === "sarif") {
    const sarif = toSarifReport(report, bulwarkVersion(), { gatekeeperObjects: checker.gatekeeperObjects, exitCode });
    process.stdout.write(`${JSON.stringify(sarif, null, 2)}\n`);
  } else process.stdout.write(toTextReport(report));
  return exitCode;
}

export function checkMain(argv: readonly string[]): Promise<void> {
  return runCommand(CHECK_USAGE, () => runCheck(argv));
}

if (require.main === module) void checkMain(process.argv.slice(2));
