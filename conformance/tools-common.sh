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
