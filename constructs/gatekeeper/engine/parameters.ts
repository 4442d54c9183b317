/**
 * Constraint parameters checked against their template's `openAPIV3Schema`, as the API server checks a
 * constraint against the CRD Gatekeeper generates from the template: a constraint whose parameters break
 * the schema never exists in the cluster, so the offline engine refuses it too (found by the conformance
 * judge `gator-verify`: real gator rejected a suite constraint the offline engine had accepted).
 */
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";

// strict: false — OpenAPI/Kubernetes keywords (x-kubernetes-*, nullable) are not JSON Schema vocabulary.
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** The parameters schema of a ConstraintTemplate object, if it declares one. */
function parametersSchema(template: Readonly<Record<string, unknown>>): object | undefined {
  const crd = (template.spec as { crd?: { spec?: { validation?: { openAPIV3Schema?: unknown } } } } | undefined)?.crd;
  const schema = crd?.spec?.validation?.openAPIV3Schema;
  return schema !== null && typeof schema === "object" ? (schema as object) : undefined;
}

/**
 * Problems of `parameters` under the template's schema, each as `spec.parameters<path>: <value> <what is
 * wrong>`; empty when they conform or the template declares no schema.
 */
export function parameterProblems(template: Readonly<Record<string, unknown>>, parameters: unknown): string[] {
  const schema = parametersSchema(template);
  if (!schema || parameters === undefined) return [];
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(parameters)) return [];
  return (validate.errors ?? []).map((e) => {
    const path = e.instancePath.replace(/\/(\d+)/g, "[$1]").replace(/\//g, ".");
    const value = e.instancePath
      .split("/")
      .slice(1)
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
    return `spec.parameters${path}: ${JSON.stringify(value)} ${e.message ?? "is invalid"}`;
  });
}
