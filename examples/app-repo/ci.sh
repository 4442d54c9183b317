#!/usr/bin/env bash
# This repository's CI: type-check and compile, test (snapshots), synthesize the manifests, then check them
# and the Dockerfile against the dev cluster's Gatekeeper policies (policies/, the bundle the platform team
# exports with `bulwark policies export --stack dev --out policies`; its hashes are verified).
# The SARIF report goes to bulwark.sarif (upload it to code scanning); a deny-level violation fails the job.
set -euo pipefail
cd "$(dirname "$0")"

npm run --silent build
npm test --silent
rm -rf dist
node build/src/main.js dist
npx --no-install bulwark check --policies policies --format sarif dist Dockerfile > bulwark.sarif
echo "bulwark check: dist/ and the Dockerfile comply with the dev cluster's policies (report: bulwark.sarif)"
