import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A Kubernetes object as cdk8s synthesizes it (`chart.toJson()`). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Record<string, unknown>;
  readonly [field: string]: unknown;
}

/**
 * Apply stages, in order: each stage's objects are registered only after every object of the stages
 * before it. Definitions come before what uses them: CRDs before custom resources, namespaces before
 * namespaced objects, Gatekeeper templates before the constraints whose CRDs they create.
 */
export const APPLY_STAGES = ["definitions", "namespaces", "templates", "objects", "constraints"] as const;
export type ApplyStage = (typeof APPLY_STAGES)[number];

/** The stage an object is applied in. */
export function applyStage(object: Pick<KubernetesObject, "apiVersion" | "kind">): ApplyStage {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
  if (object.kind === "CustomResourceDefinition") return "definitions";
  if (object.kind === "Namespace" && group === "") return "namespaces";
  if (group === "templates.gatekeeper.sh" || group === "expansion.gatekeeper.sh") return "templates";
  if (group === "constraints.gatekeeper.sh") return "constraints";
  return "objects";
}

/**
 * Gatekeeper creates a constraint's CRD asynchronously after its ConstraintTemplate is accepted. The
 * Kubernetes provider waits on this condition before the template counts as created, so constraints
 * (which depend on the template stage) never race their CRD.
 */
export const TEMPLATE_READY_ANNOTATION = { "pulumi.com/waitFor": "jsonpath={.status.created}=true" } as const;

export interface Cdk8sChartResourcesArgs {
  /** The synthesized objects of one cdk8s chart (`chart.toJson()`), deployed as they are. */
  readonly objects: readonly KubernetesObject[];
  /** Provider of the target cluster. Required: never fall back to an ambient kubeconfig. */
  readonly provider: k8s.Provider;
  /**
   * Resources every object of the chart is applied after (e.g. Gatekeeper before the policies).
   * @default none
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * Deploys the objects of a cdk8s chart as `@pulumi/kubernetes` resources: one `yaml.ConfigGroup` per
 * apply stage, each depending on the stages before it. Objects pass through unchanged except that
 * ConstraintTemplates get {@link TEMPLATE_READY_ANNOTATION}.
 */
export class Cdk8sChartResources extends pulumi.ComponentResource {
  /** The ConfigGroup of each non-empty stage, in apply order. */
  readonly stages: readonly { readonly stage: ApplyStage; readonly group: k8s.yaml.ConfigGroup }[];

  constructor(name: string, args: Cdk8sChartResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    const seen = new Set<string>();
    for (const [index, object] of args.objects.entries()) {
      if (!object || typeof object.apiVersion !== "string" || typeof object.kind !== "string" || typeof object.metadata?.name !== "string") {
        throw new Error(`Cdk8sChartResources ${name}: objects[${index}] is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
      }
      const key = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
      if (seen.has(key)) throw new Error(`Cdk8sChartResources ${name}: objects[${index}] duplicates ${key}; object names must be unique`);
      seen.add(key);
    }
    super("bulwark:bridge:Cdk8sChart", name, {}, opts);

    const stages: { stage: ApplyStage; group: k8s.yaml.ConfigGroup }[] = [];
    let previous: pulumi.Resource[] = [...(args.dependsOn ?? [])];
    for (const stage of APPLY_STAGES) {
      // Deep copies by JSON round trip (the objects are plain JSON), so transformations never touch the
      // caller's objects. Not structuredClone: its arrays can come from another realm and then fail the
      // `instanceof Array` checks of Pulumi's serializer.
      const objs = args.objects.filter((object) => applyStage(object) === stage).map((object) => JSON.parse(JSON.stringify(object)) as KubernetesObject);
      if (objs.length === 0) continue;
      const after = previous;
      // Every object of the stage depends on the stages before it, explicitly, so the order holds
      // object by object and shows in the plan.
      const dependOnEarlierStages = (_object: unknown, opts: pulumi.CustomResourceOptions) => {
        opts.dependsOn = after;
      };
      const group = new k8s.yaml.ConfigGroup(
        `${name}-${stage}`,
        {
          objs,
          resourcePrefix: name,
          transformations: stage === "templates" ? [annotateTemplateReadiness, dependOnEarlierStages] : [dependOnEarlierStages],
        },
        { parent: this, provider: args.provider, dependsOn: after },
      );
      stages.push({ stage, group });
      previous = [group];
    }
    this.stages = stages;
    this.registerOutputs({});
  }
}

function annotateTemplateReadiness(object: { kind?: string; metadata?: { annotations?: Record<string, string> } }): void {
  if (object.kind !== "ConstraintTemplate" || !object.metadata) return;
  object.metadata.annotations = { ...object.metadata.annotations, ...TEMPLATE_READY_ANNOTATION };
}
