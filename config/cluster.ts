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

/** The cluster itself. The AWS-side settings are read by lib/ (HardenedEksCluster). */
export const clusterSchema = strictObject({
  name: clusterName,
  kubernetesVersion,
});

export type ClusterConfig = z.infer<typeof clusterSchema>;
