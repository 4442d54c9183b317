import { z } from "zod";
import { strictObject } from "./fields";

/**
 * How much of the stack a `pulumi up` deploys. The API endpoint is private, so the in-cluster layer can
 * only be applied from inside the VPC (or an admin network): `cluster` deploys the AWS side from
 * anywhere; `full` adds Gatekeeper, the baselines and the policies.
 */
export const DEPLOY_PHASES = ["cluster", "full"] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** `new`: Bulwark makes the EKS cluster. `existing`: a cluster made elsewhere gets the in-cluster layer only. */
export const DEPLOY_TARGETS = ["new", "existing"] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

/** The `bulwark:cluster` keys that still mean something when the cluster is made elsewhere. */
export const EXISTING_CLUSTER_KEYS = ["acceptExtendedSupportCharges", "kubernetesVersion", "name"] as const;

const singleLine = (what: string) =>
  z
    .string()
    .min(1, { error: `must be a non-empty ${what}` })
    .regex(/^[^\n\r\0]+$/, { error: `must be a ${what} on one line` });

/** EKS cluster names: 1-100 characters, letters, digits, '-' and '_', starting with a letter or digit. */
const eksClusterName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, {
  error: "must be an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit",
});

/** Where a chart comes from: a directory on the deploying machine, or an OCI registry (ECR) at a version. */
const chartSource = strictObject({
  path: singleLine("path to an unpacked chart directory").optional(),
  oci: z
    .string()
    .regex(/^oci:\/\/[a-z0-9.-]+(:[0-9]{1,5})?(\/[a-z0-9._-]+)+$/, {
      error: "must be an OCI chart reference such as oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/gatekeeper (no tag: the version is its own key)",
    })
    .optional(),
  version: z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: "must be a chart version such as 3.21.1" })
    .optional(),
}).superRefine((source, ctx) => {
  const given = (["path", "oci"] as const).filter((key) => source[key] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: "custom",
      path: [],
      input: source,
      message: "must set exactly one of path (a local chart directory) or oci (an OCI registry reference)",
    });
  }
  if (source.oci !== undefined && source.version === undefined) {
    ctx.addIssue({ code: "custom", path: ["version"], input: undefined, message: "is required with oci: the chart version to pull" });
  }
  if (source.path !== undefined && source.version !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["version"],
      input: source.version,
      message: "applies to oci only: a local chart's version is the one in its Chart.yaml",
    });
  }
});
export type ChartSource = z.infer<typeof chartSource>;

/** An image digest: the only reference a mirror cannot swap under the same name. */
const imageDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "must be an image digest: sha256: and 64 lowercase hex digits" });

/**
 * The images the Gatekeeper chart runs, from a mirror, each pinned by digest: the manager (and audit), the
 * CRD-upgrade and namespace-label hooks (gatekeeper-crds) and the webhook probe hook (curl).
 */
const gatekeeperImages = strictObject({
  registry: z.string().regex(/^[a-z0-9.-]+(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/, {
    error: "must be a registry host and optional path such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror (no scheme, no tag)",
  }),
  digests: strictObject({ gatekeeper: imageDigest, gatekeeperCrds: imageDigest, curl: imageDigest }),
});
export type GatekeeperImages = z.infer<typeof gatekeeperImages>;

export const deploySchema = strictObject({
  phase: z.enum(DEPLOY_PHASES, { error: "must be cluster (AWS side only) or full (AWS side and in-cluster layer)" }).optional(),
  target: z
    .enum(DEPLOY_TARGETS, { error: "must be new (Bulwark makes the EKS cluster) or existing (a cluster made elsewhere gets the in-cluster layer)" })
    .optional(),
  /** target existing: the kubeconfig that reaches the cluster. */
  kubeconfig: strictObject({ path: singleLine("kubeconfig file path"), context: singleLine("kubeconfig context name").optional() }).optional(),
  /** target existing: the EKS cluster's name (a kubeconfig through `aws eks get-token`, and Pod Identity for the add-ons). */
  eksClusterName: eksClusterName.optional(),
  /** Air-gapped installs: chart sources; default the public chart repository at the pinned version. */
  charts: strictObject({ gatekeeper: chartSource.optional() }).optional(),
  /** Air-gapped installs: images from a mirror, pinned by digest; default the chart's public images. */
  images: strictObject({ gatekeeper: gatekeeperImages.optional() }).optional(),
}).superRefine((deploy, ctx) => {
  const issue = (path: PropertyKey[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  if (deploy.target === "existing") {
    if (deploy.kubeconfig === undefined && deploy.eksClusterName === undefined) {
      issue(["target"], deploy.target, "existing needs kubeconfig (path, optional context) or eksClusterName to reach the cluster");
    }
    if (deploy.phase !== undefined) issue(["phase"], deploy.phase, "applies to target new only: with target existing only the in-cluster layer is deployed");
    return;
  }
  for (const key of ["kubeconfig", "eksClusterName"] as const) {
    if (deploy[key] !== undefined)
      issue([key], deploy[key], "applies to target: existing only (a cluster made elsewhere); a new cluster's kubeconfig comes from the cluster");
  }
});
export type DeployConfig = z.infer<typeof deploySchema>;

/**
 * Settings a cluster made elsewhere (target existing) would silently ignore, each one a problem: the
 * `bulwark:cluster` keys that describe the AWS side (network, KMS, node groups, …), and tenant workload
 * identities (EKS Pod Identity) when no EKS cluster is named.
 */
export function existingTargetProblems(entries: Readonly<Record<string, unknown>>): { path: PropertyKey[]; value: unknown; message: string }[] {
  const deploy = entries["bulwark:deploy"] as { target?: unknown; eksClusterName?: unknown } | undefined;
  if (deploy?.target !== "existing") return [];
  const problems: { path: PropertyKey[]; value: unknown; message: string }[] = [];
  const cluster = entries["bulwark:cluster"];
  if (cluster !== null && typeof cluster === "object") {
    for (const key of Object.keys(cluster).sort()) {
      if ((EXISTING_CLUSTER_KEYS as readonly string[]).includes(key)) continue;
      const message = `does not apply to a cluster made elsewhere (bulwark:deploy.target: existing); accepted there: ${EXISTING_CLUSTER_KEYS.join(", ")}`;
      problems.push({ path: ["bulwark:cluster", key], value: (cluster as Record<string, unknown>)[key], message });
    }
  }
  if (deploy.eksClusterName !== undefined) return problems;
  const tenants = Array.isArray(entries["bulwark:tenants"]) ? (entries["bulwark:tenants"] as unknown[]) : [];
  tenants.forEach((tenant, index) => {
    const identities = (tenant as { workloadIdentities?: unknown } | null)?.workloadIdentities;
    if (identities === undefined) return;
    const message = "needs bulwark:deploy.eksClusterName on a cluster made elsewhere: workload identities are EKS Pod Identity associations of a named cluster";
    problems.push({ path: ["bulwark:tenants", index, "workloadIdentities"], value: identities, message });
  });
  return problems;
}

/**
 * Whether the stack deploys the AWS Load Balancer Controller (and so its IngressClasses, whose
 * IngressClassParams CRD the controller's chart brings): on a cluster Bulwark makes, and on one made
 * elsewhere when its EKS name is known; not onto a bare kubeconfig.
 */
export function deploysLoadBalancerController(deploy: DeployConfig | undefined): boolean {
  return deploy?.target !== "existing" || deploy.eksClusterName !== undefined;
}
