/**
 * Distills the field types `check` verifies from Kubernetes' published OpenAPI v3 documents
 * (k8s.io/kubernetes at conformance/versions.env KUBERNETES_VERSION, api/openapi-spec/v3/, from the Go module
 * cache; `go mod download k8s.io/kubernetes@<version>` fetches it). Writes
 * constructs/gatekeeper/check/kubernetes-types/types.json: for each built-in kind of the GA API versions,
 * each field's type, in the few shapes the API server's decoder enforces (string, boolean, integer with its
 * width, number, quantity, int-or-string, object, list, map). Facts only; regenerate after a version bump:
 *   npx tsx scripts/distill-kubernetes-types.ts
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type Schema = {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  properties?: Record<string, Schema>;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
};

const root = join(__dirname, "..");
const version = /^KUBERNETES_VERSION=(\S+)$/m.exec(readFileSync(join(root, "conformance", "versions.env"), "utf8"))![1];
const moduleDir = execFileSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@${version}`], {
  encoding: "utf8",
  env: { ...process.env, GOFLAGS: "-mod=mod", GONOSUMDB: "k8s.io/kubernetes" },
});
const dir = join(JSON.parse(moduleDir).Dir as string, "api", "openapi-spec", "v3");
/** GA API versions only (`v1`, `v2`): what a cluster serves by default. */
const GA_FILE = /^(api__v1|apis__[a-z0-9.]+__v[0-9]+)_openapi\.json$/;

const schemas: Record<string, Schema> = {};
for (const file of readdirSync(dir)
  .filter((f) => GA_FILE.test(f))
  .sort()) {
  Object.assign(schemas, (JSON.parse(readFileSync(join(dir, file), "utf8")) as { components: { schemas: Record<string, Schema> } }).components.schemas);
}

const short = (name: string) => name.replace(/^io\.k8s\.(api\.|apimachinery\.pkg\.apis\.meta\.)/, "");
const refName = (s: Schema) => (s.$ref ?? s.allOf?.find((a) => a.$ref)?.$ref)?.replace("#/components/schemas/", "");

/** One field's type token: s b i i32 n q ios o * (any), T:<type>, [<token> (list), {<token> (map). */
function token(s: Schema): string {
  const ref = refName(s);
  if (ref) {
    const target = schemas[ref];
    if (ref === "io.k8s.apimachinery.pkg.api.resource.Quantity") return "q";
    if (ref === "io.k8s.apimachinery.pkg.util.intstr.IntOrString") return "ios";
    if (!target || target["x-kubernetes-preserve-unknown-fields"]) return "*";
    if (target.properties) return `T:${short(ref)}`;
    return token(target);
  }
  if (s["x-kubernetes-int-or-string"]) return "ios";
  if (s["x-kubernetes-preserve-unknown-fields"]) return "*";
  switch (s.type) {
    case "string":
      return "s";
    case "boolean":
      return "b";
    case "integer":
      return s.format === "int32" ? "i32" : "i";
    case "number":
      return "n";
    case "array":
      return `[${s.items ? token(s.items) : "*"}`;
    case "object":
      if (s.properties) throw new Error("inline object schemas are not expected in the built-in types");
      return typeof s.additionalProperties === "object" ? `{${token(s.additionalProperties)}` : "o";
    default:
      return "*";
  }
}

const types: Record<string, Record<string, string>> = {};
const kinds: Record<string, string> = {};
function visit(name: string): void {
  const key = short(name);
  if (types[key]) return;
  const fields: Record<string, string> = {};
  types[key] = fields;
  for (const [field, schema] of Object.entries(schemas[name].properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    fields[field] = token(schema);
    for (const t of fields[field].match(/T:[^\s]+/g) ?? []) {
      const full = Object.keys(schemas).find((n) => short(n) === t.slice(2));
      if (full) visit(full);
    }
  }
}
for (const [name, schema] of Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))) {
  for (const gvk of schema["x-kubernetes-group-version-kind"] ?? []) {
    if (!schema.properties?.kind || !schema.properties?.apiVersion || !schema.properties?.metadata) continue;
    if (gvk.kind.endsWith("List") || gvk.kind === "Status" || gvk.kind === "WatchEvent" || gvk.kind === "DeleteOptions") continue;
    kinds[`${gvk.group ? `${gvk.group}/` : ""}${gvk.version}/${gvk.kind}`] = short(name);
    visit(name);
  }
}

const out = {
  source: `k8s.io/kubernetes ${version} api/openapi-spec/v3 (GA API versions), distilled by scripts/distill-kubernetes-types.ts`,
  kubernetesVersion: version,
  kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : 1))),
  types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : 1))),
};
writeFileSync(join(root, "constructs", "gatekeeper", "check", "kubernetes-types", "types.json"), `${JSON.stringify(out)}\n`);
console.log(`distill-kubernetes-types: ${Object.keys(kinds).length} kinds, ${Object.keys(types).length} types from ${version}`);
