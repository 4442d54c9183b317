/**
 * The EKS managed add-ons every Bulwark cluster runs and their pins: the sourced versions of the versions table
 * (`kubernetes-versions.ts`), the explicit pins of `bulwark:cluster.addonVersions`, and which stay unpinned.
 */
import type { KubernetesVersion } from "./kubernetes-versions";
import { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from "./kubernetes-versions";

/** The EKS managed add-ons every Bulwark cluster runs, by their key in `addonVersions`. */
export const ADDON_NAMES = {
  vpcCni: "vpc-cni",
  coredns: "coredns",
  kubeProxy: "kube-proxy",
  podIdentityAgent: "eks-pod-identity-agent",
  ebsCsiDriver: "aws-ebs-csi-driver",
} as const;
export type AddonKey = keyof typeof ADDON_NAMES;
/** Resolved add-on versions; an absent add-on is created unpinned (EKS installs its default at create). */
export type AddonVersions = Readonly<Partial<Record<AddonKey, string>>>;

/** The pinned add-on versions of each Kubernetes version: the sourced ones of the versions table. */
export const PINNED_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, AddonVersions>> = Object.fromEntries(
  SUPPORTED_KUBERNETES_VERSIONS.map((version) => [
    version,
    Object.fromEntries(Object.entries(KUBERNETES_VERSIONS[version].addons).map(([key, pin]) => [key, pin.version])),
  ]),
) as Record<KubernetesVersion, AddonVersions>;

/** EKS add-on versions look like `v1.19.5-eksbuild.3`. */
export const ADDON_VERSION = /^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$/;

/** Why an explicit add-on pin does not fit Kubernetes `version`, or undefined: kube-proxy must match the minor version. */
export function addonPinProblem(version: string, pins: Partial<Record<AddonKey, string>>): { key: AddonKey; value: unknown; message: string } | undefined {
  const kubeProxy = pins.kubeProxy ?? PINNED_ADDON_VERSIONS[version as KubernetesVersion]?.kubeProxy;
  if (kubeProxy !== undefined && !kubeProxy.startsWith(`v${version}.`)) {
    return { key: "kubeProxy", value: kubeProxy, message: `must match the cluster's Kubernetes version ${version} (v${version}.x-eksbuild.N)` };
  }
  return undefined;
}

/**
 * The add-ons of `version` with neither an explicit pin nor a sourced version in the versions table: they are
 * created without a version, so EKS installs its default for that Kubernetes version at create.
 */
export function unpinnedAddons(version: KubernetesVersion, pins: Partial<Record<AddonKey, string>> = {}): AddonKey[] {
  return (Object.keys(ADDON_NAMES) as AddonKey[]).filter((key) => pins[key] === undefined && PINNED_ADDON_VERSIONS[version][key] === undefined);
}

/** What `plan` says about add-ons created unpinned, or undefined when all five are pinned. */
export function unpinnedAddonsNotice(version: KubernetesVersion, pins: Partial<Record<AddonKey, string>> = {}): string | undefined {
  const unpinned = unpinnedAddons(version, pins);
  if (unpinned.length === 0) return undefined;
  return `Kubernetes ${version}: ${unpinned.map((key) => ADDON_NAMES[key]).join(", ")} unpinned: EKS default at create (the versions table, config/kubernetes-versions.ts, has no sourced version; pin with bulwark:cluster.addonVersions.${unpinned.join("/")}, listed by aws eks describe-addon-versions --kubernetes-version ${version})`;
}
