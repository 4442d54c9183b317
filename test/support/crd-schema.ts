/**
 * Validates synthesized custom resources against a vendored upstream CRD (test/fixtures/crds/): the
 * `openAPIV3Schema` of the served storage version, with ajv, read as the API server reads it under strict
 * field validation.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { REPO_ROOT } from "./repo";

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage?: boolean;
  readonly schema: { readonly openAPIV3Schema: Record<string, unknown> };
}

/** A vendored CRD: its group, kind, served version and a strict validator of that version's schema. */
export interface VendoredCrd {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  /** The errors of `object` against the schema; [] when valid. */
  readonly errorsOf: (object: unknown) => unknown[];
}

/**
 * The schema as the API server applies it with strict field validation: a field the schema does not name is
 * an error (it would be pruned, silently dropping a rule), unless the schema preserves unknown fields.
 */
function strictStructural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictStructural);
  if (schema === null || typeof schema !== "object") return schema;
  const out = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, strictStructural(sub)])) : strictStructural(v),
    ]),
  );
  const node = schema as Record<string, unknown>;
  if (node.type === "object" && node.properties && node["x-kubernetes-preserve-unknown-fields"] !== true && node.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat("date-time", { type: "string", validate: (s: string) => !Number.isNaN(Date.parse(s)) });
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });

/** Reads `test/fixtures/crds/<file>`; `version` picks a served version (default: the storage one). */
export function vendoredCrd(file: string, version?: string): VendoredCrd {
  const crd = parse(readFileSync(join(REPO_ROOT, "test", "fixtures", "crds", file), "utf8")) as {
    spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
  };
  const served = crd.spec.versions.find((v) => v.served && (version ? v.name === version : v.storage !== false));
  if (!served) throw new Error(`${file}: no served version ${version ?? "(storage)"}`);
  const validate = ajv.compile(strictStructural(served.schema.openAPIV3Schema) as Record<string, unknown>);
  return {
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    version: served.name,
    errorsOf: (object) => (validate(object) ? [] : [...(validate.errors ?? [])]),
  };
}
