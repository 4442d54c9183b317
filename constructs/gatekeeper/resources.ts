import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import type { EnforcementAction } from "../../config/policy";
import { ENFORCEMENT_ACTIONS } from "../../config/policy";
import { compileTemplate } from "./engine/cel";
import type { ExpansionTemplateSpec } from "./engine/expansion";
import type { ConstraintMatch } from "./engine/match";
import type { ConstraintTemplateSpec, ConstraintTemplateSpecTargetsOperations } from "./imports/templates.gatekeeper.sh";
import { ConstraintTemplate } from "./imports/templates.gatekeeper.sh";
import { ExpansionTemplateV1Beta1 } from "./imports/expansion.gatekeeper.sh";
import type { Bundle } from "./policy";

/** Annotation naming the bundles a template belongs to; `check --bundle` selects on it. */
export const BUNDLES_ANNOTATION = "bulwark.dev/bundles";
/** Annotation naming the policy (folder) a template comes from. */
export const POLICY_ANNOTATION = "bulwark.dev/policy";
/** The API group and version of Gatekeeper constraints. */
export const CONSTRAINT_API_VERSION = "constraints.gatekeeper.sh/v1beta1";

/** Props of {@link GatekeeperConstraintTemplate}. */
export interface GatekeeperConstraintTemplateProps {
  /** The complete ConstraintTemplate from a policy's `template.yaml`; synthesized as-is. */
  readonly template: Readonly<Record<string, unknown>>;
  /** The policy id (folder name), recorded as an annotation. */
  readonly policy: string;
  /** Bundles the policy belongs to, recorded as an annotation. */
  readonly bundles: readonly Bundle[];
}

/** A ConstraintTemplate's `spec` as written in YAML (Kubernetes field names). */
interface ConstraintTemplateYamlSpec {
  readonly crd?: {
    readonly spec?: {
      readonly names?: { readonly kind?: string; readonly shortNames?: string[] };
      readonly validation?: { readonly legacySchema?: boolean; readonly openAPIV3Schema?: unknown };
    };
  };
  readonly targets?: readonly {
    readonly target?: string;
    readonly rego?: string;
    readonly libs?: string[];
    readonly operations?: string[];
    readonly code?: readonly { readonly engine: string; readonly source: unknown }[];
  }[];
}

/**
 * The YAML spec as the props of the generated binding (`imports/`, from Gatekeeper's CRD): field by field,
 * so a field the CRD does not define cannot pass unnoticed (a test compares the synthesized spec with the YAML).
 */
export function constraintTemplateSpec(spec: ConstraintTemplateYamlSpec): ConstraintTemplateSpec {
  const crd = spec.crd?.spec;
  return {
    crd: crd && {
      spec: {
        names: crd.names && { kind: crd.names.kind, shortNames: crd.names.shortNames },
        validation: crd.validation && { legacySchema: crd.validation.legacySchema, openApiv3Schema: crd.validation.openAPIV3Schema },
      },
    },
    targets: spec.targets?.map((t) => ({
      target: t.target,
      rego: t.rego,
      libs: t.libs,
      operations: t.operations as ConstraintTemplateSpecTargetsOperations[] | undefined,
      code: t.code?.map((c) => ({ engine: c.engine, source: c.source })),
    })),
  };
}

/**
 * A `templates.gatekeeper.sh/v1` ConstraintTemplate, synthesized from the policy's own YAML through the typed
 * binding generated from Gatekeeper's CRD. Its CEL is compiled at construction, so a template that cannot run
 * offline cannot be synthesized either.
 */
export class GatekeeperConstraintTemplate extends ConstraintTemplate {
  constructor(scope: Construct, id: string, props: GatekeeperConstraintTemplateProps) {
    compileTemplate(props.template);
    const template = props.template as {
      metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
      spec: ConstraintTemplateYamlSpec;
    };
    super(scope, id, {
      metadata: {
        name: template.metadata.name,
        labels: template.metadata.labels,
        annotations: {
          ...(template.metadata.annotations ?? {}),
          [POLICY_ANNOTATION]: props.policy,
          [BUNDLES_ANNOTATION]: props.bundles.join(","),
        },
      },
      spec: constraintTemplateSpec(template.spec),
    });
  }
}

/** Props of {@link GatekeeperConstraint}. */
export interface GatekeeperConstraintProps {
  /** The constraint kind (the template's `spec.crd.spec.names.kind`). */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /** What Gatekeeper does with a violation: deny, warn or dryrun (audit only). */
  readonly enforcementAction: EnforcementAction;
  /** `spec.match`. Must exclude namespaces explicitly; wildcards are refused. */
  readonly match: ConstraintMatch;
  /**
   * `spec.parameters`, validated by the template's schema in the cluster and in tests.
   * @default none
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A Gatekeeper constraint (`constraints.gatekeeper.sh/v1beta1`). */
export class GatekeeperConstraint extends ApiObject {
  constructor(scope: Construct, id: string, props: GatekeeperConstraintProps) {
    if (!(ENFORCEMENT_ACTIONS as readonly string[]).includes(props.enforcementAction)) {
      throw new Error(
        `GatekeeperConstraint ${props.kind}/${props.name}: enforcementAction ${JSON.stringify(props.enforcementAction)} is not one of ${ENFORCEMENT_ACTIONS.join(", ")}`,
      );
    }
    for (const ns of props.match.excludedNamespaces ?? []) {
      if (ns.includes("*")) {
        throw new Error(
          `GatekeeperConstraint ${props.kind}/${props.name}: excludedNamespaces entry ${JSON.stringify(ns)} is a wildcard; list each exempt namespace by name`,
        );
      }
    }
    super(scope, id, {
      apiVersion: CONSTRAINT_API_VERSION,
      kind: props.kind,
      metadata: { name: props.name },
      spec: {
        enforcementAction: props.enforcementAction,
        match: props.match,
        ...(props.parameters ? { parameters: props.parameters } : {}),
      },
    });
  }
}

/** The pod-template locations Gatekeeper expands into Pods, one ExpansionTemplate each. */
export const POD_EXPANSIONS: readonly { readonly name: string; readonly spec: ExpansionTemplateSpec }[] = [
  {
    name: "expand-apps-workloads",
    spec: {
      applyTo: [{ groups: ["apps"], kinds: ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"], versions: ["v1"] }],
      templateSource: "spec.template",
      generatedGVK: { group: "", version: "v1", kind: "Pod" },
    },
  },
  {
    name: "expand-jobs-and-replication-controllers",
    spec: {
      applyTo: [
        { groups: ["batch"], kinds: ["Job"], versions: ["v1"] },
        { groups: [""], kinds: ["ReplicationController"], versions: ["v1"] },
      ],
      templateSource: "spec.template",
      generatedGVK: { group: "", version: "v1", kind: "Pod" },
    },
  },
  // A core/v1 PodTemplate runs nothing itself, but whatever instantiates it (a controller or a tool copying
  // its template) creates Pods a policy would deny; judging it at admission and in `check` fails early.
  {
    name: "expand-pod-templates",
    spec: {
      applyTo: [{ groups: [""], kinds: ["PodTemplate"], versions: ["v1"] }],
      templateSource: "template",
      generatedGVK: { group: "", version: "v1", kind: "Pod" },
    },
  },
  {
    name: "expand-cronjobs",
    spec: {
      applyTo: [{ groups: ["batch"], kinds: ["CronJob"], versions: ["v1"] }],
      templateSource: "spec.jobTemplate.spec.template",
      generatedGVK: { group: "", version: "v1", kind: "Pod" },
    },
  },
];

/**
 * Gatekeeper ExpansionTemplates (`expansion.gatekeeper.sh/v1beta1`) that make every Pod constraint apply
 * to the pod templates of Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and
 * CronJob at admission of the workload, not only when its Pods are created.
 */
export class PodExpansionTemplate extends ExpansionTemplateV1Beta1 {
  constructor(scope: Construct, id: string, props: { readonly name: string; readonly spec: ExpansionTemplateSpec }) {
    const { applyTo, templateSource, generatedGVK, enforcementAction } = props.spec;
    super(scope, id, {
      metadata: { name: props.name },
      spec: {
        applyTo: applyTo.map((a) => ({ groups: [...a.groups], kinds: [...a.kinds], versions: [...a.versions] })),
        templateSource,
        generatedGvk: generatedGVK,
        enforcementAction,
      },
    });
  }
}
