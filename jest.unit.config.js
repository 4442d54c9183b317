/**
 * The fast lane (`npm run test:unit`): every test that neither runs a Pulumi program (the mock engine
 * registers each resource through gRPC-shaped calls: seconds per program) nor spawns a process (the CLIs,
 * `npm pack` + install, eslint, kubectl goldens) nor type-checks a planted program. Which files those are
 * is read from their imports, so a new test lands in the right lane by itself. `npm test` runs everything.
 */
const { readdirSync, readFileSync } = require("node:fs");
const { join, relative } = require("node:path");
const base = require("./jest.config");

/** Imports that mean "runs a Pulumi program", "spawns a process" or "type-checks a program". */
const SLOW_LANE_IMPORTS = [
  /from "[./]*\/lib\/harness"/, // installMocks: the AWS components under Pulumi mocks
  /from "[./]*\/cluster-fixture"/,
  /from "\.\/(harness|cluster-fixture)"/,
  /from "[./]*\/support\/plan"/,
  /import \{[^}]*\brunPlan\b[^}]*\} from/,
  /import \{[^}]*\bcollectEvidence\b[^}]*\} from/, // plans the dev stack
  /from "node:child_process"/,
  /\brunStackCommand\b/,
  /\bts\.createProgram\b/,
];

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const slow = testFiles(join(__dirname, "test")).filter((file) => {
  const text = readFileSync(file, "utf8");
  return SLOW_LANE_IMPORTS.some((pattern) => pattern.test(text));
});

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", ...slow.map((file) => `/${relative(__dirname, file).replace(/[.]/g, "\\.")}$`)],
};
