import { z } from "zod";
import { strictObject } from "./fields";

/**
 * Kubernetes minor versions Bulwark supports: maintained on EKS and covered by the Pod Security fixtures.
 * 1.27 and older are past end of support on EKS.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35", "1.36", "1.37"] as const;
export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

const kubernetesVersion = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  if (typeof value === "number") {
    ctx.addIssue({
      code: "custom",
      message: `must be a quoted string such as "1.33": YAML reads an unquoted ${value} as a number (1.30 becomes 1.3)`,
    });
  } else if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(value)) {
    ctx.addIssue({
      code: "custom",
      message: `must be one of the supported minor versions: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
    });
  }
}).transform((value) => value as KubernetesVersion);

/** EKS cluster names: 1-100 characters, alphanumerics, '-' and '_', starting with a letter or digit. */
const clusterName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, {
  error: "must be an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit",
});

/** Defaults for the EKS OIDC identity provider config (humans authenticate at the company IdP). */
export const IDENTITY_PROVIDER_DEFAULTS = {
  usernameClaim: "email",
  groupsClaim: "groups",
  /** Prefixes keep IdP names apart from Kubernetes' own (`system:`) and from IAM-mapped names. */
  usernamePrefix: "oidc:",
  groupsPrefix: "oidc:",
} as const;

const identityProvider = strictObject({
  /** The IdP's issuer URL (https). */
  issuerUrl: z.url({ protocol: /^https$/, error: "must be an https URL such as https://idp.example.com" }),
  /** The OIDC client id the cluster accepts tokens for. */
  clientId: z.string().min(1, { error: "must not be empty" }),
  usernameClaim: z.string().min(1).optional(),
  groupsClaim: z.string().min(1).optional(),
  usernamePrefix: z.string().min(1, { error: "must not be empty: an unprefixed IdP name could collide with system: names" }).optional(),
  groupsPrefix: z.string().min(1, { error: "must not be empty: an unprefixed IdP group could be named system:masters" }).optional(),
});

/** The cluster itself. The AWS-side settings are read by lib/ (HardenedEksCluster). */
export const clusterSchema = strictObject({
  name: clusterName,
  kubernetesVersion,
  identityProvider: identityProvider.optional(),
});

export type ClusterConfig = z.infer<typeof clusterSchema>;

/** The group name the API server sees for IdP group `group` (the OIDC groups prefix applied). */
export function idpGroupSubject(cluster: ClusterConfig, group: string): string {
  return `${cluster.identityProvider?.groupsPrefix ?? IDENTITY_PROVIDER_DEFAULTS.groupsPrefix}${group}`;
}
