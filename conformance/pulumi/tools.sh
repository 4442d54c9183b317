#!/usr/bin/env bash
# Builds (or reuses) the real Pulumi engine the `pulumi-up` judge runs: the Pulumi CLI and the Kubernetes
# provider (pulumi-resource-kubernetes). Versions come from conformance/versions.env; binaries go to
#   ${BULWARK_TOOLS_CACHE:-$HOME/.cache/bulwark/tools}/<tool>-<version>/bin/<tool>
# outside the tracked tree, and are reused when present.
#
# Usage: conformance/pulumi/tools.sh [pulumi|pulumi-resource-kubernetes|all]   (default: all)
# Prints "<tool>=<path>" for each tool on stdout; progress goes to stderr. Exit 2 without Go >= 1.25.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../versions.env
source "$here/../versions.env"
# shellcheck source=../tools-common.sh
source "$here/../tools-common.sh"

# Builds package ./$4 of a copy of module $1@$2 into $3, as the main module (the way upstream builds it), so
# its own go.sum verifies every dependency and its non-local replace directives apply. Each local replace
# (`=> ../sdk`) is pointed at the published version the module requires. $5: extra -ldflags; $6: a command run
# in the copy before the build (files upstream's Makefile generates).
build_module_copy() {
  local module="$1" version="$2" bin="$3" pkg="$4" ldflags="$5" prepare="${6:-}" src info gomod replaces
  src="$(dirname "$(dirname "$bin")")/src"
  info="$(go mod download -json "$module@$version")"
  [[ "$(jq -r '.Error // empty' <<<"$info")" == "" ]] || { jq -r .Error <<<"$info" >&2; exit 1; }
  rm -rf "$src"
  mkdir -p "$(dirname "$bin")"
  cp -r "$(jq -r .Dir <<<"$info")" "$src"
  chmod -R u+w "$src"
  gomod="$src/go.mod"
  replaces="$(local_replaces "$gomod" | while read -r path required; do echo "-replace=$path=$path@$required"; done)"
  # shellcheck disable=SC2086 # one -replace flag per line, none with spaces
  [[ -z "$replaces" ]] || go mod edit $replaces "$gomod"
  (cd "$src" && if [[ -n "$prepare" ]]; then eval "$prepare"; fi \
    && go mod download >&2 && go build -mod=mod -trimpath -ldflags "-s -w $ldflags" -o "$bin.tmp" "./$pkg")
  mv "$bin.tmp" "$bin"
  rm -rf "$src"
}

# The Pulumi CLI (engine, file backend, passphrase secrets) at the version package-lock.json pins for @pulumi/pulumi.
build_pulumi() {
  local bin="$cache/pulumi-$PULUMI_VERSION/bin/pulumi"
  if [[ ! -x "$bin" ]]; then
    log "building the Pulumi CLI $PULUMI_VERSION (large; many minutes on a cold module cache)"
    build_module_copy github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION" "$bin" cmd/pulumi \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
  fi
  echo "pulumi=$bin"
}

# The Kubernetes provider plugin. Its main package embeds schema-embed.json and terraform-mapping-embed.json,
# which the module zip lacks: upstream's build writes them with the package's own generate.go (schema.json
# stamped with the version), so the copy step runs that first.
build_kubernetes_provider() {
  local bin="$cache/pulumi-resource-kubernetes-$PULUMI_KUBERNETES_PROVIDER_RELEASE/bin/pulumi-resource-kubernetes"
  if [[ ! -x "$bin" ]]; then
    log "building pulumi-resource-kubernetes $PULUMI_KUBERNETES_PROVIDER_RELEASE ($PULUMI_KUBERNETES_PROVIDER_MODULE)"
    build_module_copy github.com/pulumi/pulumi-kubernetes/provider/v4 "$PULUMI_KUBERNETES_PROVIDER_MODULE" "$bin" \
      cmd/pulumi-resource-kubernetes \
      "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${PULUMI_KUBERNETES_PROVIDER_RELEASE#v}" \
      "(cd cmd/pulumi-resource-kubernetes && VERSION=${PULUMI_KUBERNETES_PROVIDER_RELEASE#v} go run -mod=mod generate.go)"
  fi
  echo "pulumi-resource-kubernetes=$bin"
}

main() {
  require_go
  command -v jq >/dev/null || { echo "conformance: needs jq" >&2; exit 2; }
  case "${1:-all}" in
    pulumi) build_pulumi ;;
    pulumi-resource-kubernetes) build_kubernetes_provider ;;
    all) build_pulumi; build_kubernetes_provider ;;
    *) echo "usage: $0 [pulumi|pulumi-resource-kubernetes|all]" >&2; exit 2 ;;
  esac
}
main "$@"
