import { z } from "zod";
import { dns1123Label, labelKey, strictObject } from "./fields";

/**
 * An allowed image registry prefix. It must end with '/', so `registry.example.com/` can never match
 * `registry.example.com.attacker.net/...`.
 */
const registryPrefix = z
  .string()
  .min(2, { error: "must be a registry prefix such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/" })
  .refine((value) => value.endsWith("/"), {
    error: "must end with '/' so the prefix cannot match a look-alike host (e.g. registry.example.com/)",
  })
  .refine((value) => !/[*?\s]/.test(value), { error: "must be a literal prefix: no wildcards or spaces" });

export const ENFORCEMENT_ACTIONS = ["deny", "warn", "dryrun"] as const;
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number];

/** Cluster-wide policy settings: what Gatekeeper enforces and the baseline requires. */
export const policySchema = strictObject({
  allowedRegistries: z.array(registryPrefix).min(1, { error: "must list at least one registry prefix; images are only admitted from these" }),
  requiredLabels: z.array(labelKey).optional(),
  exemptNamespaces: z.array(dns1123Label).optional(),
  enforcementAction: z.enum(ENFORCEMENT_ACTIONS, { error: "must be deny, warn or dryrun" }).optional(),
  /**
   * Per-policy enforcement, keyed by policy id (a folder of constructs/gatekeeper/policies), so a rollout
   * can go dryrun → warn → deny one policy at a time. Unknown ids are rejected when the charts are built.
   */
  enforcementActions: z.record(dns1123Label, z.enum(ENFORCEMENT_ACTIONS, { error: "must be deny, warn or dryrun" })).optional(),
  /** Require every image to be pinned by digest (`@sha256:...`). Default false: a non-latest tag suffices. */
  requireImageDigest: z.boolean().optional(),
  /**
   * Service accounts (`namespace/name`) whose pods may mount an API token. Every other pod in a policed
   * namespace must set `automountServiceAccountToken: false`.
   */
  serviceAccountTokenAllowlist: z
    .array(
      z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
        error: "must be namespace/serviceaccount, e.g. payments/metrics-reader",
      }),
    )
    .optional(),
  /** Namespaces whose LoadBalancer Services may be internet-facing. Default none: internal only. */
  publicLoadBalancerNamespaces: z.array(dns1123Label).optional(),
  /**
   * Names of the (Cluster)RoleBindings allowed to grant cluster-admin: the break-glass list. Default none.
   */
  breakGlassClusterAdminBindings: z.array(z.string().min(1)).optional(),
  /**
   * Kubernetes usernames (as the API server authenticates them, e.g. the deployer that upgrades Gatekeeper's
   * chart) whose RBAC writes the RBAC policies do not judge. Members of `system:masters` (the API server's own
   * loopback identity, which reconciles Kubernetes' default roles) are always exempt. Default none.
   */
  rbacExemptRequesters: z.array(z.string().min(1)).optional(),
  /**
   * Bindings allowed to name public subjects (system:anonymous, system:unauthenticated, system:authenticated,
   * system:serviceaccounts[:<namespace>]): `ClusterRoleBinding/<name>` or `RoleBinding/<namespace>/<name>`.
   * Default none.
   */
  publicSubjectBindings: z
    .array(
      z.string().regex(/^(ClusterRoleBinding\/[^/\s]+|RoleBinding\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[^/\s]+)$/, {
        error: "must be ClusterRoleBinding/<name> or RoleBinding/<namespace>/<name>",
      }),
    )
    .optional(),
});

export type PolicyConfig = z.infer<typeof policySchema>;
