#!/usr/bin/env bash
# Refreshes test/fixtures/pod-security/ (Kubernetes' Pod Security Admission fixtures, Apache-2.0 data) from
# the published Go module k8s.io/pod-security-admission, folder test/testdata, through the Go module proxy.
#   scripts/refresh-pss-fixtures.sh [MODULE_VERSION]    e.g. v0.37.2 (Kubernetes 1.37.2's copy)
# Keeps the Pod Security versions the templates support (SUPPORTED below), the module's LICENSE, and
# rewrites the README's provenance line. Review the diff: a changed fixture is a changed standard.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-$(sed -n 's/^- module version: `\(v[^`]*\)`.*/\1/p' test/fixtures/pod-security/README.md)}
SUPPORTED=$(seq 30 37)
command -v go >/dev/null || { echo "refresh-pss-fixtures: needs Go >= 1.25 (go mod download)" >&2; exit 2; }
dir=$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "k8s.io/pod-security-admission@${VERSION}" |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(2)}console.log(j.Dir)})')
out=test/fixtures/pod-security
rm -rf "$out/baseline" "$out/restricted"
for level in baseline restricted; do
  for minor in $SUPPORTED; do
    mkdir -p "$out/$level"
    cp -r "$dir/test/testdata/$level/v1.$minor" "$out/$level/"
  done
done
cp "$dir/LICENSE" "$out/LICENSE"
chmod -R u+w "$out"
sed -i "s/^- module version: \`v[^\`]*\`/- module version: \`${VERSION}\`/" "$out/README.md"
echo "refreshed $out from k8s.io/pod-security-admission@${VERSION}: $(find "$out" -name '*.yaml' | wc -l) fixtures"
