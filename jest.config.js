/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `tsc --noEmit` (npm run typecheck); jest only transpiles.
  transform: {
    "^.+\\.(t|j|mj)s$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  // @kubernetes/client-node ships ESM only; its generated models (the Kubernetes 1.33 OpenAPI field
  // lists) are transpiled so the schema test can use them.
  transformIgnorePatterns: ["/node_modules/(?!@kubernetes/client-node/)"],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  testTimeout: 60000,
  // Every core runs tests: jest's default (cores - 1) leaves one of this machine's two cores idle, as the
  // parent process only schedules.
  maxWorkers: "100%",
};
