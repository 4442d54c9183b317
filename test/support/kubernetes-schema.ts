/**
 * Validates Kubernetes objects against the OpenAPI schema of Kubernetes 1.33, strictly:
 * - types, required fields and formats through kubernetes-models 4.5 (ajv validators generated from the
 *   1.33 OpenAPI spec);
 * - unknown fields through the field lists of @kubernetes/client-node 1.3 (models generated from the
 *   v1.33.0 OpenAPI spec), since the API server's strict field validation rejects them and
 *   kubernetes-models' validators let them through.
 */
import * as clientModels from "@kubernetes/client-node/dist/gen/models/all.js";

type AttributeMap = readonly { readonly name: string; readonly baseName: string; readonly type: string }[];
type ModelClass = { getAttributeTypeMap(): AttributeMap };
const models = clientModels as unknown as Record<string, ModelClass | undefined>;

/** The Kubernetes minor version whose schema this module validates against. */
export const SCHEMA_KUBERNETES_VERSION = "1.33";

function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.includes("/") ? apiVersion.split("/")[1] : apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function modulePath(apiVersion: string): string {
  return apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : `kubernetes-models/${apiVersion}`;
}

function unknownFields(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = type.match(/^Array<(.+)>$/);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, out);
    return;
  }
  const model = models[type];
  if (!model || typeof value !== "object" || Array.isArray(value)) return; // primitives, IntOrString, any
  const attributes = model.getAttributeTypeMap();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) {
      out.push(`${path}.${key}: unknown field (not in ${type})`);
      continue;
    }
    unknownFields(child, attribute.type, `${path}.${key}`, out);
  }
}

/**
 * Returns the schema problems of one object (empty when valid). An apiVersion/kind that the 1.33 schema
 * does not know is itself a problem, so a typo in a kind cannot pass.
 */
export function validateKubernetesObject(object: { apiVersion?: string; kind?: string }): string[] {
  const { apiVersion, kind } = object;
  if (!apiVersion || !kind) return ["apiVersion and kind are required"];
  const name = modelName(apiVersion, kind);
  const clientModel = models[name];
  let Model: (new (data: unknown) => { validate(): void }) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(modulePath(apiVersion))[kind];
  } catch {
    Model = undefined;
  }
  if (!clientModel || !Model) return [`${apiVersion}/${kind}: not a Kubernetes ${SCHEMA_KUBERNETES_VERSION} built-in kind`];
  const problems: string[] = [];
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(
      ...String((error as Error).message)
        .split(/,\s*(?=data)/)
        .map((line) => line.trim()),
    );
  }
  unknownFields(object, name, "", problems);
  return problems;
}
