#!/usr/bin/env bash
# This repository's CI: type-check and compile, test (snapshots), synthesize the manifests, then check them
# against the dev cluster's Gatekeeper policies (Pulumi.dev.yaml, a copy of the platform team's stack file).
# The SARIF report goes to bulwark.sarif (upload it to code scanning); a deny-level violation fails the job.
set -euo pipefail
cd "$(dirname "$0")"

npm run --silent build
npm test --silent
rm -rf dist
node build/src/main.js dist
npx --no-install bulwark check --stack dev --format sarif dist > bulwark.sarif
echo "bulwark check: dist/ complies with the dev cluster's policies (report: bulwark.sarif)"
