#!/usr/bin/env node
import { EXIT_BAD_INPUT } from "../config/errors";
import { CHECK_USAGE, checkMain } from "./check";
import { MAIN_USAGE, main as startMain } from "./main";
import { PLAN_USAGE, planMain } from "./plan";
import { POLICIES_USAGE, policiesMain } from "./policies";
import { REPORT_USAGE, reportMain } from "./report";
import { bulwarkVersion } from "./stack-source";
import { SYNTH_USAGE, synthMain } from "./synth";

/** One subcommand of the `bulwark` CLI: its usage text and the existing command main it dispatches to. */
interface Subcommand {
  readonly summary: string;
  readonly usage: string;
  readonly run: (argv: readonly string[]) => Promise<void>;
}

/** The usage texts are written for `npm run <cmd> --` (`npm start --`); the installed CLI shows its own spelling. */
function asBulwarkUsage(usage: string, name: string): string {
  const npm = name === "start" ? "npm start" : `npm run ${name}`;
  return usage.split(`${npm} -- `).join(`bulwark ${name} `).split(`${npm} --`).join(`bulwark ${name}`);
}

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  start: { summary: "plan, synthesize and report in one go, offline (what `npm start` does)", usage: asBulwarkUsage(MAIN_USAGE, "start"), run: startMain },
  synth: { summary: "write the stack's Kubernetes manifests as YAML", usage: asBulwarkUsage(SYNTH_USAGE, "synth"), run: synthMain },
  plan: { summary: "run the stack's Pulumi program under the mock engine, write plan.json", usage: asBulwarkUsage(PLAN_USAGE, "plan"), run: planMain },
  check: {
    summary: "check manifests against the stack's Gatekeeper policies (exit 1 on a violation)",
    usage: asBulwarkUsage(CHECK_USAGE, "check"),
    run: checkMain,
  },
  report: { summary: "write the controls report (Markdown and JSON)", usage: asBulwarkUsage(REPORT_USAGE, "report"), run: reportMain },
  policies: { summary: "export the stack's policies as a bundle for app repositories", usage: asBulwarkUsage(POLICIES_USAGE, "policies"), run: policiesMain },
};

export const BULWARK_USAGE = `Usage: bulwark <command> [options]

Commands (each reads the stack file Pulumi.<stack>.yaml in the current directory, or --stack-file;
check can read a policy bundle instead):
${Object.entries(SUBCOMMANDS)
  .map(([name, command]) => `  ${name.padEnd(7)} ${command.summary}`)
  .join("\n")}

Run \`bulwark <command> --help\` for a command's options; \`bulwark --version\` prints the version.

Examples:
  bulwark start --stack dev --out dist
  bulwark policies export --stack prod --out policies/
  bulwark check --policies policies/ --format sarif k8s/ Dockerfile > bulwark.sarif
Exit status: 0 success; 1 failure (for check: a deny-level violation); 2 bad input (usage, stack file).`;

/** Runs the CLI with argv (without node and script); sets process.exitCode. */
export async function bulwarkMain(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    // No command at all is a usage error; asking for help is not.
    (name === undefined ? process.stderr : process.stdout).write(`${BULWARK_USAGE}\n`);
    process.exitCode = name === undefined ? EXIT_BAD_INPUT : 0;
    return;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(`bulwark ${bulwarkVersion()}\n`);
    process.exitCode = 0;
    return;
  }
  const command = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`bulwark: unknown command ${JSON.stringify(name)}\n\n${BULWARK_USAGE}\n`);
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    process.exitCode = 0;
    return;
  }
  // Progress on stderr, so stdout stays a clean report (json, sarif) for pipes.
  const started = Date.now();
  process.stderr.write(`bulwark ${name}: loading the stack and policies...\n`);
  await command.run(rest);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`bulwark ${name}: finished in ${seconds} s (exit ${String(process.exitCode ?? 0)})\n`);
}

if (require.main === module) void bulwarkMain(process.argv.slice(2));
