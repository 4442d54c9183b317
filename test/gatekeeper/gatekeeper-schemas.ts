/**
 * Structural schemas of the Gatekeeper objects Bulwark synthesizes, written from Gatekeeper's CRDs
 * (constrainttemplates.templates.gatekeeper.sh v1, expansiontemplate.expansion.gatekeeper.sh v1beta1, and
 * the constraint CRD Gatekeeper generates per template: `spec.enforcementAction`, `spec.match`, and
 * `spec.parameters` = the template's openAPIV3Schema). Stricter than the API server in one way on purpose:
 * unknown fields are errors here, because the API server prunes them silently (a typo in a match or a
 * parameter would drop a control without a word).
 */

type Schema = Record<string, unknown>;

const str = { type: "string" };
const strings = { type: "array", items: str };
const strict = (properties: Record<string, unknown>, required: string[] = []): Schema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

const objectMeta = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 253 },
    labels: { type: "object", additionalProperties: str },
    annotations: { type: "object", additionalProperties: str },
  },
  required: ["name"],
  additionalProperties: false,
};

export const CONSTRAINT_TEMPLATE_SCHEMA: Schema = strict(
  {
    apiVersion: { const: "templates.gatekeeper.sh/v1" },
    kind: { const: "ConstraintTemplate" },
    metadata: objectMeta,
    spec: strict(
      {
        crd: strict(
          {
            spec: strict(
              {
                names: strict({ kind: { type: "string", pattern: "^[A-Z][A-Za-z0-9]*$" }, shortNames: strings }, ["kind"]),
                validation: strict({ legacySchema: { type: "boolean" }, openAPIV3Schema: { type: "object" } }),
              },
              ["names"],
            ),
          },
          ["spec"],
        ),
        targets: {
          type: "array",
          minItems: 1,
          items: strict(
            {
              target: { const: "admission.k8s.gatekeeper.sh" },
              rego: str,
              libs: strings,
              code: {
                type: "array",
                minItems: 1,
                items: strict({ engine: str, source: { type: "object" } }, ["engine", "source"]),
              },
            },
            ["target"],
          ),
        },
      },
      ["crd", "targets"],
    ),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

const labelSelector = strict({
  matchLabels: { type: "object", additionalProperties: str },
  matchExpressions: {
    type: "array",
    items: strict({ key: str, operator: { enum: ["In", "NotIn", "Exists", "DoesNotExist"] }, values: strings }, ["key", "operator"]),
  },
});

/** Namespace names with Gatekeeper's optional prefix/suffix glob. */
const namespacePattern = { type: "string", pattern: "^(\\*|\\*-)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\*|-\\*)?$" };

/** The schema of a constraint whose template declares `parametersSchema`. */
export function constraintSchema(kind: string, parametersSchema: Schema | undefined): Schema {
  return strict(
    {
      apiVersion: { const: "constraints.gatekeeper.sh/v1beta1" },
      kind: { const: kind },
      metadata: objectMeta,
      spec: strict({
        enforcementAction: { enum: ["deny", "warn", "dryrun"] },
        match: strict({
          kinds: { type: "array", items: strict({ apiGroups: strings, kinds: strings }) },
          scope: { enum: ["*", "Cluster", "Namespaced"] },
          namespaces: { type: "array", items: namespacePattern },
          excludedNamespaces: { type: "array", items: namespacePattern },
          labelSelector,
          namespaceSelector: labelSelector,
          name: str,
          source: { enum: ["All", "Generated", "Original"] },
        }),
        parameters: parametersSchema ? closeObjects(parametersSchema) : { not: {} },
      }),
    },
    ["apiVersion", "kind", "metadata", "spec"],
  );
}

export const EXPANSION_TEMPLATE_SCHEMA: Schema = strict(
  {
    apiVersion: { const: "expansion.gatekeeper.sh/v1beta1" },
    kind: { const: "ExpansionTemplate" },
    metadata: objectMeta,
    spec: strict(
      {
        applyTo: { type: "array", minItems: 1, items: strict({ groups: strings, kinds: strings, versions: strings }, ["groups", "kinds", "versions"]) },
        enforcementAction: str,
        generatedGVK: strict({ group: str, kind: str, version: str }, ["group", "kind", "version"]),
        templateSource: str,
      },
      ["applyTo", "generatedGVK", "templateSource"],
    ),
  },
  ["apiVersion", "kind", "metadata", "spec"],
);

/** Copies an OpenAPI schema, closing every object that does not say otherwise (the API server would prune). */
export function closeObjects(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, closeObjects(v)]));
    } else if (key === "items" && value && typeof value === "object") {
      out.items = closeObjects(value as Schema);
    } else {
      out[key] = value;
    }
  }
  if (out.type === "object" && out.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Problems that make an OpenAPI schema non-structural (Kubernetes' rules, as v1 ConstraintTemplates
 * require): every node has a type (or is int-or-string / preserves unknown fields), arrays have items.
 */
export function structuralProblems(schema: Schema, path = "openAPIV3Schema"): string[] {
  const problems: string[] = [];
  const exempt = schema["x-kubernetes-int-or-string"] === true || schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (typeof schema.type !== "string" && !exempt) problems.push(`${path}: has no type`);
  if (schema.type === "array" && (schema.items === undefined || Array.isArray(schema.items))) problems.push(`${path}: array without a single items schema`);
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    problems.push(...structuralProblems(child, `${path}.properties.${name}`));
  }
  if (schema.items && !Array.isArray(schema.items)) problems.push(...structuralProblems(schema.items as Schema, `${path}.items`));
  return problems;
}
