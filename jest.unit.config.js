/**
 * The fast lane (`npm run test:unit`): every test but those that spawn processes or pack the package
 * (the CLIs, the whole program under mocks, `npm pack` + install). `npm test` runs everything.
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/", "/test/package/pack\\.test\\.ts$", "-cli\\.test\\.ts$", "/test/deploy/program\\.test\\.ts$"],
};
