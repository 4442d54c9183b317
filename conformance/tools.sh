#!/usr/bin/env bash
# Builds (or reuses) the pinned real engines the conformance judges run. Versions come from
# conformance/versions.env; binaries go to
#   ${BULWARK_TOOLS_CACHE:-$HOME/.cache/bulwark/tools}/<tool>-<version>/bin/<tool>
# outside the tracked tree, and are reused when present.
#
# Prints "<tool>=<path>" for each tool on stdout (read by conformance/run.ts); progress goes to stderr.
# Exit 2 without Go >= 1.26 (Gatekeeper 3.23's go.mod says go 1.26).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./versions.env
source "$here/versions.env"
# shellcheck source=./tools-common.sh
source "$here/tools-common.sh"

# The Gatekeeper module zip's h1: hash is pinned in versions.env and checked here (the proxy's checksum
# database had no entry for v3.21.1, the pin before; for v3.23.1 it has one, 2026-12-02, and the pin stays as a
# second check), and gator is built from a wrapper module whose go.sum is Gatekeeper's own (every dependency
# verified against the hashes Gatekeeper committed; the checksum database is asked only for what that go.sum lacks).
export GONOSUMDB=github.com/open-policy-agent/gatekeeper
gatekeeper_module_dir() {
  local info sum dir gomod
  info="$(go mod download -json "github.com/open-policy-agent/gatekeeper/v3@$GATEKEEPER_VERSION")"
  field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",*\$/\1/p" <<<"$info"; }
  sum="$(field Sum)"; dir="$(field Dir)"; gomod="$(field GoMod)"
  if [[ "$sum" != "$GATEKEEPER_MODULE_SUM" ]]; then
    echo "gatekeeper/v3@$GATEKEEPER_VERSION: module hash '${sum:-none}' is not the pinned $GATEKEEPER_MODULE_SUM" >&2
    exit 1
  fi
  # The separately served go.mod must be the one inside the verified zip.
  cmp -s "$gomod" "$dir/go.mod" || { echo "gatekeeper/v3@$GATEKEEPER_VERSION: served go.mod differs from the module's" >&2; exit 1; }
  printf '%s\n%s\n' "$dir" "$(field GoModSum)"
}

# gator, Gatekeeper's policy CLI (verify/test), from the module the blueprint installs.
build_gator() {
  local dir="$cache/gator-$GATEKEEPER_VERSION" bin start module gomodsum
  bin="$dir/bin/gator"
  if [[ -x "$bin" ]]; then
    log "reused gator $GATEKEEPER_VERSION at $bin"
    echo "gator=$bin"
    return
  fi
  start=$SECONDS
  log "building gator $GATEKEEPER_VERSION into $dir (downloads the Gatekeeper module graph on a cold cache)"
  { read -r module; read -r gomodsum; } < <(gatekeeper_module_dir)
  [[ -n "$module" && -n "$gomodsum" ]] || exit 1
  mkdir -p "$dir/wrapper" "$dir/bin"
  # The wrapper's go line is Gatekeeper's own, so the build needs no newer toolchain than Gatekeeper does.
  printf 'module bulwark.local/gator\n\ngo %s\n\nrequire github.com/open-policy-agent/gatekeeper/v3 %s\n' \
    "$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$module/go.mod")" "$GATEKEEPER_VERSION" >"$dir/wrapper/go.mod"
  { cat "$module/go.sum"
    echo "github.com/open-policy-agent/gatekeeper/v3 $GATEKEEPER_VERSION $GATEKEEPER_MODULE_SUM"
    echo "github.com/open-policy-agent/gatekeeper/v3 $GATEKEEPER_VERSION/go.mod $gomodsum"; } >"$dir/wrapper/go.sum"
  (cd "$dir/wrapper" && go build -mod=mod -trimpath -ldflags "-s -w" -o "$bin.tmp" \
    github.com/open-policy-agent/gatekeeper/v3/cmd/gator >&2)
  mv "$bin.tmp" "$bin"
  log "built gator $GATEKEEPER_VERSION in $((SECONDS - start))s"
  echo "gator=$bin"
}

main() {
  require_go
  build_gator
  # The API-server judges' engines (kube-apiserver, etcd, the Gatekeeper manager), when that tier is present.
  if [[ -x "$here/apiserver/tools.sh" ]]; then
    "$here/apiserver/tools.sh" all
  fi
  # The pulumi-up judge's engines (the Pulumi CLI, the Kubernetes provider), when that tier is present.
  if [[ -x "$here/pulumi/tools.sh" ]]; then
    "$here/pulumi/tools.sh" all
  fi
}
main "$@"
