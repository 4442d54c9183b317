/**
 * How a policy declares itself, and the registry that finds every policy folder.
 *
 * Interface note (for policy authors and the PSS helper)
 * One policy = one folder `constructs/gatekeeper/policies/<id>/`:
 *   - `template.yaml`: the complete `templates.gatekeeper.sh/v1` ConstraintTemplate, engine
 *     `K8sNativeValidation` only, with its OpenAPI parameters schema. It IS the CEL source and is
 *     synthesized as-is. Gatekeeper requires `metadata.name` == lowercase(`spec.crd.spec.names.kind`);
 *     the folder name is the policy id (dashes allowed) and names the constraint and the config keys.
 *   - `index.ts`: `export default definePolicy({ dir: __dirname, matchKinds, ... })`. The policy's kind, title and
 *     description live only in `template.yaml` (`spec.crd.spec.names.kind`, the annotations
 *     `metadata.gatekeeper.sh/title` and `description`); the definition reads them from there.
 *     Pod policies use `matchKinds: POD_KINDS`; the controller kinds (Deployment, CronJob ...) are covered
 *     by ExpansionTemplates, never listed in a pod policy. Pod Security checks set
 *     `podSecurityLevel: "baseline" | "restricted"`: the policy then joins the bundles `pss-baseline` and
 *     `pss-restricted` (baseline level) or `pss-restricted` only, its constraint gets the parameter
 *     `version` (`v<cluster minor>`, e.g. `v1.33`; `check --pss-version` overrides it), and a restricted
 *     check skips tenant namespaces configured `podSecurity: baseline`. Other policies are in `general`.
 *     `parameters(ctx)` returns the constraint's `spec.parameters` from the stack config (merged over
 *     `{version}` for PSS policies); `constraints(ctx)` may instead declare several constraints.
 *   - `suite.yaml`: gator-style (`kind: Suite`, `tests[].template` / `.constraint` / `.cases[]` with
 *     `object` and `assertions: [{violations: "no" | "yes" | N}]`), paths relative to the folder, at
 *     least 2 allowed and 2 disallowed cases; `samples/` holds the constraint and the objects.
 * To evaluate in a test: `createChecker({ config, bundle: "pss-baseline", pssVersion: "v1.30" })` from
 * `constructs/gatekeeper/check/`, then `checker.checkObject(object)` (violations) or
 * `checker.checkPaths([...])` (files, like the CLI).
 */
import { readdirSync, existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { BulwarkConfig } from "../../config/model";
import { DNS1123_LABEL } from "../../config/fields";
import { SYSTEM_NAMESPACES } from "../../config/namespaces";
import type { EnforcementAction } from "../../config/policy";
import { celSourceOf, compileTemplate } from "./engine/cel";
import type { ConstraintMatch, LabelSelector, MatchKind } from "./engine/match";

/** Bundles a policy can belong to. `check --bundle all` selects every policy. */
export const BUNDLES = ["general", "pss-baseline", "pss-restricted"] as const;
export type Bundle = (typeof BUNDLES)[number];
export type BundleSelection = Bundle | "all";

/** Pod Security Standards levels a PSS check can belong to. */
export type PodSecurityLevel = "baseline" | "restricted";

/** Match kinds of a pod policy: Pods only; workload pod templates reach it through expansion. */
export const POD_KINDS: readonly MatchKind[] = [{ apiGroups: [""], kinds: ["Pod"] }];

/** The workload kinds whose pod templates are expanded into Pods (Gatekeeper ExpansionTemplates). */
export const WORKLOAD_KINDS: readonly MatchKind[] = [
  { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"] },
  { apiGroups: [""], kinds: ["ReplicationController"] },
  { apiGroups: ["batch"], kinds: ["Job", "CronJob"] },
];

/**
 * Namespaces every constraint excludes unless the stack sets `bulwark:policy.exemptNamespaces`: the
 * system namespaces (`config/namespaces.ts`), so a policy can never lock the cluster.
 */
export const DEFAULT_EXEMPT_NAMESPACES: readonly string[] = SYSTEM_NAMESPACES;

/** What a policy's parameter and constraint functions see. */
export interface PolicyContext {
  readonly config: BulwarkConfig;
  /** Pod Security Standards version, `v<major>.<minor>` (default: the cluster's minor version). */
  readonly pssVersion: string;
  /** Namespaces every constraint excludes. */
  readonly exemptNamespaces: readonly string[];
}

/** One constraint of a policy. */
export interface ConstraintDeclaration<P extends object = Readonly<Record<string, unknown>>> {
  /**
   * `metadata.name` of the constraint.
   * @default the policy id
   */
  readonly name?: string;
  /**
   * `spec.parameters`.
   * @default the policy's `parameters(ctx)` (with `version` for PSS policies), or none
   */
  readonly parameters?: P;
  /**
   * Namespaces the constraint is limited to.
   * @default all namespaces
   */
  readonly namespaces?: readonly string[];
  /**
   * Namespaces excluded in addition to the exempt list.
   * @default none
   */
  readonly excludedNamespaces?: readonly string[];
  /**
   * Judge the exempt namespaces too (no exempt-namespace exclusion): for rules that must hold in the system
   * namespaces as well, such as bindings to anonymous users.
   * @default false
   */
  readonly judgeExemptNamespaces?: boolean;
  /**
   * Objects' labels the constraint is limited to.
   * @default every object
   */
  readonly labelSelector?: LabelSelector;
}

/**
 * What a policy folder's `index.ts` passes to {@link definePolicy}. `P` is the type of its constraint's
 * `spec.parameters`: the `<Kind>SpecParameters` that `cdk8s import` generated from the template's schema
 * (`imports/constraints.gatekeeper.sh.ts`), so a misspelt or mistyped parameter fails to compile.
 */
export interface PolicyDeclaration<P extends object = Readonly<Record<string, unknown>>> {
  /** The folder (`__dirname`); its name is the policy id. */
  readonly dir: string;
  /** Default `match.kinds` of its constraints. */
  readonly matchKinds: readonly MatchKind[];
  /**
   * The Pod Security Standards level this check belongs to.
   * @default none: a general policy (bundle `general`)
   */
  readonly podSecurityLevel?: PodSecurityLevel;
  /**
   * The constraint's `spec.parameters` from the stack config.
   * @default no parameters (PSS policies: `{ version }`)
   */
  readonly parameters?: (ctx: PolicyContext) => P | undefined;
  /**
   * Several constraints for the one template; each gets the exempt namespaces excluded.
   * @default one constraint named after the policy, with `parameters(ctx)`
   */
  readonly constraints?: (ctx: PolicyContext) => readonly ConstraintDeclaration<P>[];
}

/** A loaded, validated policy. */
export interface PolicyDefinition extends Omit<PolicyDeclaration, "dir"> {
  /** The policy id: its folder name. */
  readonly name: string;
  /** The constraint kind the template defines (`spec.crd.spec.names.kind`). */
  readonly kind: string;
  /** What the policy prevents and why: the template's `description` annotation. */
  readonly description: string;
  /** The template's `metadata.gatekeeper.sh/title` annotation, when it has one. */
  readonly title?: string;
  readonly dir: string;
  readonly templateFile: string;
  readonly bundles: readonly Bundle[];
  /** The template as parsed from `template.yaml`. */
  readonly template: Readonly<Record<string, unknown>>;
}

/** A constraint resolved against a stack: everything the construct needs. */
export interface ResolvedConstraint {
  readonly kind: string;
  readonly name: string;
  readonly enforcementAction: EnforcementAction;
  readonly match: ConstraintMatch;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A policy folder or declaration that is not valid; names the folder and the fix. */
export class PolicyDefinitionError extends Error {
  constructor(dir: string, problem: string) {
    super(`policy ${basename(dir)} (${dir}): ${problem}`);
    this.name = "PolicyDefinitionError";
  }
}

/** Declares a policy folder; validates the folder and its template at import. */
export function definePolicy<P extends object = Readonly<Record<string, unknown>>>(typed: PolicyDeclaration<P>): PolicyDefinition {
  // Past this point parameters are plain JSON: the constraint construct and the CRD schema take over.
  const declaration = typed as unknown as PolicyDeclaration;
  const dir = declaration.dir;
  const name = basename(dir);
  if (!DNS1123_LABEL.test(name)) throw new PolicyDefinitionError(dir, "the folder name must be a DNS-1123 label (it names the constraint)");
  const templateFile = join(dir, "template.yaml");
  if (!existsSync(templateFile)) throw new PolicyDefinitionError(dir, "template.yaml is missing; it holds the ConstraintTemplate");
  const template = parseYaml(readFileSync(templateFile, "utf8")) as Record<string, unknown>;
  const { name: templateName, kind } = celSourceOf(template);
  const annotations = ((template.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations ?? {}) as Record<string, unknown>;
  const description = annotations.description;
  if (typeof description !== "string" || description.trim() === "") {
    throw new PolicyDefinitionError(dir, "template.yaml must carry metadata.annotations.description: what the policy prevents and why");
  }
  const title = typeof annotations[TITLE_ANNOTATION] === "string" ? (annotations[TITLE_ANNOTATION] as string) : undefined;
  if (templateName !== kind.toLowerCase()) {
    throw new PolicyDefinitionError(dir, `template metadata.name must be ${kind.toLowerCase()} (Gatekeeper requires lowercase(kind)), not ${templateName}`);
  }
  if (template.apiVersion !== "templates.gatekeeper.sh/v1" || template.kind !== "ConstraintTemplate") {
    throw new PolicyDefinitionError(dir, "template.yaml must be a templates.gatekeeper.sh/v1 ConstraintTemplate");
  }
  const props = ((template.spec as Record<string, unknown>)?.crd as { spec?: { validation?: { openAPIV3Schema?: unknown } } })?.spec;
  if (!props?.validation?.openAPIV3Schema) {
    throw new PolicyDefinitionError(dir, "template.yaml must declare spec.crd.spec.validation.openAPIV3Schema (the parameters schema)");
  }
  // Compile now so a broken expression fails at import, naming template and expression.
  compileTemplate(template);
  const bundles: readonly Bundle[] =
    declaration.podSecurityLevel === "baseline"
      ? ["pss-baseline", "pss-restricted"]
      : declaration.podSecurityLevel === "restricted"
        ? ["pss-restricted"]
        : ["general"];
  return { ...declaration, name, kind, description: description.trim(), ...(title ? { title } : {}), dir, templateFile, bundles, template };
}

/** Gatekeeper's annotation for a template's human title (gatekeeper-library convention). */
const TITLE_ANNOTATION = "metadata.gatekeeper.sh/title";

/** The folder holding every policy. */
export const POLICIES_DIR = join(__dirname, "policies");

let cached: readonly PolicyDefinition[] | undefined;

/**
 * Every policy folder under `policies/`, sorted by id. A folder without `index.ts` is an error, so a
 * policy cannot be silently dropped.
 */
export function loadPolicies(dir: string = POLICIES_DIR): readonly PolicyDefinition[] {
  if (dir === POLICIES_DIR && cached) return cached;
  const policies: PolicyDefinition[] = [];
  const kinds = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    if (!existsSync(join(folder, "index.ts")) && !existsSync(join(folder, "index.js"))) {
      throw new PolicyDefinitionError(folder, "index.ts is missing; every policy folder declares itself with definePolicy()");
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- discovery of policy folders at run time
    const loaded = require(join(folder, "index")) as { default?: PolicyDefinition };
    const policy = loaded.default;
    if (!policy || policy.name !== entry.name) {
      throw new PolicyDefinitionError(folder, "index.ts must `export default definePolicy({ dir: __dirname, ... })`");
    }
    const other = kinds.get(policy.kind);
    if (other) throw new PolicyDefinitionError(folder, `kind ${policy.kind} is already defined by policy ${other}`);
    kinds.set(policy.kind, policy.name);
    policies.push(policy);
  }
  if (dir === POLICIES_DIR) cached = policies;
  return policies;
}

/** True when the policy belongs to the selection. */
export function inBundle(policy: PolicyDefinition, selection: BundleSelection): boolean {
  return selection === "all" || policy.bundles.includes(selection);
}

/** `"1.33"` → `"v1.33"`: the PSS version matching the cluster, like the PSA `enforce-version` label. */
export function defaultPssVersion(config: BulwarkConfig): string {
  return `v${config.cluster.kubernetesVersion}`;
}

/** The namespaces every constraint of this stack excludes. */
export function exemptNamespaces(config: BulwarkConfig): readonly string[] {
  return [...(config.policy.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES)].sort();
}

/** The context a stack gives policies; `pssVersion` overrides the cluster-derived default. */
export function policyContext(config: BulwarkConfig, pssVersion?: string): PolicyContext {
  return { config, pssVersion: pssVersion ?? defaultPssVersion(config), exemptNamespaces: exemptNamespaces(config) };
}

/** The enforcement action of a policy's constraints: per-policy override, else the stack default, else deny. */
export function enforcementActionFor(config: BulwarkConfig, policy: string): EnforcementAction {
  return config.policy.enforcementActions?.[policy] ?? config.policy.enforcementAction ?? "deny";
}

/** The constraints a policy yields for a stack. */
export function resolveConstraints(policy: PolicyDefinition, ctx: PolicyContext): ResolvedConstraint[] {
  const base = policy.parameters?.(ctx);
  const defaults = policy.podSecurityLevel ? { version: ctx.pssVersion, ...(base ?? {}) } : base;
  const declared = policy.constraints?.(ctx) ?? [{}];
  // A restricted-only check skips tenants the config allows to run at baseline.
  const baselineTenants = policy.podSecurityLevel === "restricted" ? ctx.config.tenants.filter((t) => t.podSecurity === "baseline").map((t) => t.name) : [];
  return declared.map((c) => {
    const exempt = c.judgeExemptNamespaces ? [] : ctx.exemptNamespaces;
    const excluded = [...new Set([...exempt, ...baselineTenants, ...(c.excludedNamespaces ?? [])])].sort();
    const match: ConstraintMatch = {
      kinds: policy.matchKinds,
      ...(c.namespaces ? { namespaces: [...c.namespaces] } : {}),
      excludedNamespaces: excluded,
      ...(c.labelSelector ? { labelSelector: c.labelSelector } : {}),
    };
    const parameters = c.parameters ?? defaults;
    return {
      kind: policy.kind,
      name: c.name ?? policy.name,
      enforcementAction: enforcementActionFor(ctx.config, policy.name),
      match,
      ...(parameters ? { parameters } : {}),
    };
  });
}
