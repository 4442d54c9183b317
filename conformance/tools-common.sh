# Shared by conformance/tools.sh and conformance/apiserver/tools.sh (sourced after versions.env): the tools
# cache outside the tracked tree, the Go settings every build uses, logging, and the Go version check.
cache="${BULWARK_TOOLS_CACHE:-$HOME/.cache/bulwark/tools}"
# GOTOOLCHAIN=local: never download another Go toolchain behind the user's back.
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0

log() { printf '[tools] %s\n' "$*" >&2; }

# Exit 2 unless Go >= 1.26 is on PATH (the go.mod of Gatekeeper 3.23 and of Kubernetes 1.36 say go 1.26).
require_go() {
  if ! command -v go >/dev/null 2>&1; then
    echo "conformance: needs Go >= 1.26 (go not found on PATH)" >&2
    exit 2
  fi
  local v major minor
  v="$(go env GOVERSION)"            # e.g. go1.26.8
  v="${v#go}"
  major="${v%%.*}"
  minor="${v#*.}"; minor="${minor%%.*}"
  if ! [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || (( major < 1 || (major == 1 && minor < 26) )); then
    echo "conformance: needs Go >= 1.26 (found go$v)" >&2
    exit 2
  fi
}

# The local replace directives (`=> ./x`, `=> ../x`) of go.mod $1 whose module it also requires, one
# "<module> <required version>" line each: the published version to point each at when the module is built
# outside its own repository (a local path does not exist in the module zip, or does not apply to a dependency).
local_replaces() {
  go mod edit -json "$1" | jq -r '
      (.Require // []) as $req
      | (.Replace // [])[]
      | select(.New.Path | startswith("./") or startswith("../"))
      | .Old.Path as $old
      | ($req | map(select(.Path == $old)) | first) as $r
      | select($r != null)
      | "\($old) \($r.Version)"'
}
