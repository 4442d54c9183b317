#!/usr/bin/env bash
# Builds (or reuses) the real engines the API-server judges run: kube-apiserver, etcd, the Gatekeeper manager.
# Versions come from conformance/versions.env; binaries go to
#   ${BULWARK_TOOLS_CACHE:-$HOME/.cache/bulwark/tools}/<tool>-<version>/bin/<tool>
# outside the tracked tree, and are reused when present.
#
# Usage: conformance/apiserver/tools.sh [kube-apiserver|etcd|gatekeeper|gatekeeper-module|all]   (default: all)
# Prints "<tool>=<path>" for each tool on stdout; progress goes to stderr.
# Exit 2 without Go >= 1.26 (the go.mod of Kubernetes 1.36 and of Gatekeeper 3.23 say go 1.26).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../versions.env
source "$here/../versions.env"
# shellcheck source=../tools-common.sh
source "$here/../tools-common.sh"

# Writes a wrapper module in $1 that requires module $2 at $3 and builds package $4 into $5. The wrapped
# module's local replace directives (k8s.io/kubernetes -> ./staging/src/..., etcd server -> ../api, ...) do not
# apply to a dependency, so each replaced module is pinned to its published version instead: the version the
# wrapped go.mod requires, or $6 where it requires the v0.0.0 placeholder (Kubernetes' staging modules).
build_wrapped() {
  local dir="$1" module="$2" version="$3" pkg="$4" bin="$5" placeholder="$6" ldflags="${7:-}" gomod
  mkdir -p "$dir/wrapper" "$(dirname "$bin")"
  gomod="$(go mod download -json "$module@$version" | jq -r .GoMod)"
  {
    printf 'module bulwark.local/wrapper\n\ngo %s\n\nrequire %s %s\n\n' "$(go mod edit -json "$gomod" | jq -r .Go)" "$module" "$version"
    local_replaces "$gomod" | while read -r path required; do
      echo "replace $path => $path $([[ "$required" == v0.0.0 ]] && echo "$placeholder" || echo "$required")"
    done
  } >"$dir/wrapper/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" >"$dir/wrapper/tools.go"
  (cd "$dir/wrapper" && go mod tidy >&2 && go build -trimpath -ldflags "-s -w $ldflags" -o "$bin.tmp" "$pkg")
  mv "$bin.tmp" "$bin"
}

# kube-apiserver, version-stamped like a release build (component-base/version is what /version reports).
build_kube_apiserver() {
  local dir="$cache/kube-apiserver-$KUBERNETES_VERSION" bin
  bin="$dir/bin/kube-apiserver"
  if [[ -x "$bin" ]]; then echo "kube-apiserver=$bin"; return; fi
  log "building kube-apiserver $KUBERNETES_VERSION into $dir (large; several minutes)"
  local v=k8s.io/component-base/version minor
  minor="$(cut -d. -f2 <<<"$KUBERNETES_VERSION")"
  build_wrapped "$dir" k8s.io/kubernetes "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-apiserver "$bin" \
    "v0.${KUBERNETES_VERSION#v1.}" \
    "-X $v.gitVersion=$KUBERNETES_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  echo "kube-apiserver=$bin"
}

# etcd: the server module replaces its sibling modules (../api, ../client/v3, ...), so it is wrapped the same way.
# The etcd release is the one the Kubernetes release is built and tested against: its go.mod's
# go.etcd.io/etcd/client/v3 version (v3.6.8 for Kubernetes v1.36.3).
build_etcd() {
  local dir="$cache/etcd-$ETCD_VERSION" bin
  bin="$dir/bin/etcd"
  if [[ -x "$bin" ]]; then echo "etcd=$bin"; return; fi
  log "building etcd $ETCD_VERSION into $dir"
  build_wrapped "$dir" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 "$bin" "$ETCD_VERSION"
  echo "etcd=$bin"
}

# The Gatekeeper module. Its own h1: hash is pinned in versions.env and checked here (the proxy's checksum
# database had no entry for v3.21.1, the pin before; it has one for v3.23.1, 2026-12-02), and GONOSUMDB is
# narrowed to this one module (its dependencies are still verified against its go.sum).
gatekeeper_module() {
  local info
  info="$(GONOSUMDB=github.com/open-policy-agent/gatekeeper go mod download -json "github.com/open-policy-agent/gatekeeper/v3@$GATEKEEPER_VERSION")"
  if [[ "$(jq -r .Sum <<<"$info")" != "$GATEKEEPER_MODULE_SUM" ]]; then
    echo "gatekeeper/v3@$GATEKEEPER_VERSION: module hash $(jq -r '.Sum // .Error' <<<"$info") is not the pinned $GATEKEEPER_MODULE_SUM" >&2
    exit 1
  fi
  jq -r .Dir <<<"$info"
}

# The Gatekeeper manager is the module's root main package (main.go). Some of its dependencies were not in the
# proxy's checksum database (frameworks/constraint of v3.21.1: 404), so the module is built as the main module, the way
# upstream builds it: a copy of its source, whose go.sum verifies every dependency (-mod=readonly).
build_gatekeeper() {
  local dir="$cache/gatekeeper-$GATEKEEPER_VERSION" bin module
  bin="$dir/bin/gatekeeper"
  module="$(gatekeeper_module)"
  echo "gatekeeper-module=$module"
  if [[ -x "$bin" ]]; then echo "gatekeeper=$bin"; return; fi
  log "building the Gatekeeper manager $GATEKEEPER_VERSION into $dir"
  rm -rf "$dir/src"
  mkdir -p "$dir/bin"
  cp -r "$module" "$dir/src"
  chmod -R u+w "$dir/src"
  (cd "$dir/src" && go build -mod=readonly -trimpath -ldflags "-s -w" -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
  rm -rf "$dir/src"
  echo "gatekeeper=$bin"
}

main() {
  require_go
  command -v jq >/dev/null || { echo "conformance: needs jq" >&2; exit 2; }
  case "${1:-all}" in
    kube-apiserver) build_kube_apiserver ;;
    etcd) build_etcd ;;
    gatekeeper) build_gatekeeper ;;
    gatekeeper-module) echo "gatekeeper-module=$(gatekeeper_module)" ;;
    all) build_kube_apiserver; build_etcd; build_gatekeeper ;;
    *) echo "usage: $0 [kube-apiserver|etcd|gatekeeper|gatekeeper-module|all]" >&2; exit 2 ;;
  esac
}
main "$@"
