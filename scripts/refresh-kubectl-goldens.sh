#!/usr/bin/env bash
# Regenerates test/fixtures/yaml-1.1/*.kubectl.json: how kubectl reads each fixture, for
# test/gatekeeper/kubectl-yaml.test.ts.
#
# `kubectl create --dry-run=client -o json -f FILE` needs an API server even with --validate=false (it maps
# each kind through discovery: "couldn't get current server API group list"). `kubectl annotate --local`
# reads files through the same resource builder and decoder (sigs.k8s.io/yaml) with no server, so it is
# used instead; the annotation it would remove does not exist, so it only adds an empty `annotations` map,
# which the test treats as absent.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v kubectl >/dev/null || { echo "kubectl is not on PATH" >&2; exit 2; }
version="$(kubectl version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')"
for file in test/fixtures/yaml-1.1/*.yaml; do
  out="${file%.yaml}.kubectl.json"
  if stdout="$(kubectl annotate --local -o json -f "$file" bulwark-golden- 2>/tmp/kubectl-golden-stderr)"; then
    status=0
  else
    status=$?
  fi
  KUBECTL_VERSION="$version" STATUS="$status" STDOUT="$stdout" STDERR="$(cat /tmp/kubectl-golden-stderr)" python3 - "$out" <<'PY'
import json, os, sys
decoder, text, objects = json.JSONDecoder(), os.environ["STDOUT"], []
index = 0
while index < len(text.rstrip()):
    while text[index].isspace():
        index += 1
    value, index = decoder.raw_decode(text, index)
    objects.append(value)
golden = {"kubectl": os.environ["KUBECTL_VERSION"], "command": "kubectl annotate --local -o json -f FILE bulwark-golden-"}
if os.environ["STATUS"] != "0":
    golden["error"] = os.environ["STDERR"].strip().replace(os.getcwd() + "/", "")
else:
    golden["objects"] = objects
with open(sys.argv[1], "w") as out:
    json.dump(golden, out, indent=2, sort_keys=True)
    out.write("\n")
PY
  echo "$out"
done
