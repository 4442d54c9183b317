/**
 * The layering and size rules of eslint.config.mjs, exercised by planting code and linting it as if it
 * stood at a given path: a wrong import (or an oversized file or function) must fail lint, a right one must
 * not. Removing a rule from the config makes these cases fail.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const REPO_ROOT = join(__dirname, "..", "..");

// ESLint loads its flat config with a dynamic import, which jest's VM cannot do: lint in one child process.
const LINT_SCRIPT = `
const { ESLint } = require("eslint");
const path = require("node:path");
(async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { filePath, code } of JSON.parse(require("node:fs").readFileSync(0, "utf8"))) {
    const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), filePath) });
    out.push(result.messages.map((m) => (m.ruleId ?? "parse") + ": " + m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface Planted {
  readonly filePath: string;
  readonly code: string;
}

const use = (specifier: string) => `import * as planted from "${specifier}";\nexport const used = planted;\n`;
const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join("\n") + "\n";
const fn = (n: number) => `export function f(): number {\n  let x = 0;\n${"  x++;\n".repeat(n - 4)}  return x;\n}\n`;

const FORBIDDEN: readonly [string, string][] = [
  ["config/planted.ts", "../constructs/app"],
  ["config/planted.ts", "../lib/index"],
  ["config/planted.ts", "@pulumi/pulumi"],
  ["constructs/planted.ts", "../lib/gatekeeper/release"],
  ["constructs/gatekeeper/engine/planted.ts", "../../../lib/plan/engine"],
  ["constructs/baseline/planted.ts", "../../report"],
  ["constructs/planted.ts", "@pulumi/kubernetes"],
  ["lib/cluster/planted.ts", "../../report/catalog"],
  ["lib/planted.ts", "../stacks/program"],
  ["report/planted.ts", "../stacks/plan"],
  ["report/planted.ts", "../test/support/repo"],
  ["stacks/planted.ts", "../test/lib/harness"],
  ["bench/planted.ts", "../test/support/repo"],
  ["conformance/apiserver/planted.ts", "../../test/support/repo"],
];
const ALLOWED: readonly [string, string][] = [
  ["constructs/planted.ts", "../config/model"],
  ["lib/planted.ts", "../constructs/app"],
  ["lib/planted.ts", "@pulumi/pulumi"],
  ["report/planted.ts", "../lib/plan/engine"],
  ["stacks/planted.ts", "../report"],
  ["bench/planted.ts", "../stacks/program"],
  ["test/planted.test.ts", "../stacks/program"],
];
const SIZES = {
  file401: { filePath: "constructs/planted.ts", code: lines(401) },
  file400: { filePath: "constructs/planted.ts", code: lines(400) },
  testFile401: { filePath: "test/planted.test.ts", code: lines(401) },
  function81: { filePath: "lib/planted.ts", code: fn(81) },
  function80: { filePath: "lib/planted.ts", code: fn(80) },
  testFunction81: { filePath: "test/planted.test.ts", code: fn(81) },
} satisfies Record<string, Planted>;

const CASES: Planted[] = [...[...FORBIDDEN, ...ALLOWED].map(([filePath, specifier]) => ({ filePath, code: use(specifier) })), ...Object.values(SIZES)];
let problems: string[][] = [];
const problemsOf = (planted: Planted) => problems[CASES.indexOf(planted)];

beforeAll(() => {
  const stdout = execFileSync(process.execPath, ["-e", LINT_SCRIPT], { cwd: REPO_ROOT, input: JSON.stringify(CASES), encoding: "utf8" });
  problems = JSON.parse(stdout) as string[][];
}, 60000);

describe("layers: config ← constructs, lib ← report ← stacks", () => {
  it.each(FORBIDDEN.map((c, i) => [...c, i] as const))("%s importing %s fails lint", (_file, _specifier, i) => {
    expect(problems[i].filter((p) => p.startsWith("no-restricted-imports"))).toEqual([expect.stringContaining("layering:")]);
  });

  it.each(ALLOWED.map((c, i) => [...c, FORBIDDEN.length + i] as const))("%s importing %s is allowed", (_file, _specifier, i) => {
    expect(problems[i]).toEqual([]);
  });
});

describe("files that hold one idea", () => {
  it("a source file over 400 lines fails lint, tests included; 400 lines pass", () => {
    expect(problemsOf(SIZES.file401)).toEqual([expect.stringMatching(/^max-lines: File has too many lines \(401\)/)]);
    expect(problemsOf(SIZES.file400)).toEqual([]);
    expect(problemsOf(SIZES.testFile401)).toEqual([expect.stringMatching(/^max-lines:/)]);
  });

  it("a function over 80 lines fails lint outside tests; 80 lines pass", () => {
    expect(problemsOf(SIZES.function81)).toEqual([expect.stringMatching(/^max-lines-per-function: .*\(81\)/)]);
    expect(problemsOf(SIZES.function80)).toEqual([]);
    expect(problemsOf(SIZES.testFunction81)).toEqual([]);
  });
});
