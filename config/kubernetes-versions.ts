/**
 * The one versions table: every Kubernetes minor version Bulwark accepts, its Amazon EKS lifecycle and the
 * pinned EKS add-on versions. Facts only, each with its source; a fact that could not be found is absent
 * (`undefined`) and says so, never guessed. Dates are UTC days (EKS bills extended support from the start
 * of the end-of-standard-support day, UTC: AWS, "Amazon EKS Kubernetes release calendar").
 *
 * An add-on with no sourced version for a Kubernetes version is created without `addonVersion`: EKS installs
 * its default version for that Kubernetes version at create, and `plan` and the report say so ("unpinned:
 * EKS default at create"); `bulwark:cluster.addonVersions` pins it. AWS publishes no per-Kubernetes-version
 * table of aws-ebs-csi-driver or eks-pod-identity-agent (it points to `aws eks describe-addon-versions`), so
 * those pins come from public infrastructure code that pins them for one Kubernetes version, cited by
 * repository, path and commit. Not in the table, because no source was found: a per-Kubernetes-version
 * compatibility table of the Gatekeeper chart (Gatekeeper's docs publish none; the one chart pin is
 * GATEKEEPER_CHART in lib/gatekeeper/release.ts). Kubernetes 1.37 is not accepted: no Amazon EKS release of
 * it was found.
 */
import type { AddonKey } from "./addons";

/** Sources, cited by the rows. */
const SOURCES = {
  /** AWS, "Understand the Kubernetes version lifecycle on EKS", release calendar (1.33, 1.34). */
  eksCalendar:
    "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc @ 013856044148)",
  /** endoflife.date's Amazon EKS page (1.35's dates; the AWS calendar version found stops at 1.34). */
  endOfLife: "https://endoflife.date/amazon-eks",
  /** A third-party article: "Kubernetes 1.36 reached Amazon EKS on June 2, 2026 and remains in standard support through August 2, 2027". */
  k136OnEks: "https://devopsdreams.blogspot.com/2026/08/kubernetes-136-on-amazon-eks-upgrade.html",
  /** Upstream Kubernetes 1.36 release date (22 April 2026). */
  k136Upstream: "https://www.pulse.bot/devops/news/what-to-expect-from-kubernetes-136-bdf0fde7-b418-4176-b6e5-81ced86db0f8",
  /** AWS, "Manage kube-proxy in Amazon EKS clusters", kube-proxy versions table (1.33-1.36). */
  kubeProxy: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md",
  /** AWS, "Manage CoreDNS for DNS in Amazon EKS clusters", CoreDNS versions table (1.34, 1.35). */
  coredns: "https://docs.amazonaws.cn/en_us/eks/latest/userguide/managing-coredns.md",
  /** The same CoreDNS table, an earlier revision (1.33; the later revision's 1.33 row was cut off in the copy found). */
  corednsEarlier: "https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-coredns.md",
  /**
   * Public Terraform that pins all five add-ons for EKS 1.33 (a staging cluster upgraded 1.32 -> 1.33 -> 1.34
   * on 2026-04-10, one commit per minor version).
   */
  piksel133: 'github.com/piksel-ina/piksel-infra staging/main.tf @ 17930e4dc9a52c0bb953865b6c3ab6d99b0cacec (eks-version "1.33")',
  /** The same cluster's next commit, on EKS 1.34. */
  piksel134: 'github.com/piksel-ina/piksel-infra staging/main.tf @ bc616c7bdb53b9da274cb3620363075b4b3167ca (eks-version "1.34")',
  /** Public Terraform that pins all five add-ons for an EKS 1.36 production cluster. */
  piksel136: 'github.com/piksel-ina/terraform-iac production/main.tf @ 302376a378c587e34e1b8c0402019d2390e1896d (eks_version "1.36")',
} as const;

/** A pinned EKS add-on version and where it comes from. */
export interface AddonPin {
  readonly version: string;
  readonly source: string;
}

/** One Kubernetes minor version on Amazon EKS. */
export interface KubernetesVersionRow {
  /** Upstream Kubernetes release day, when found. */
  readonly upstreamRelease?: string;
  /** Amazon EKS release day. */
  readonly eksRelease: string;
  /** First day outside EKS standard support (extended support, charged per cluster hour, starts). */
  readonly endOfStandardSupport: string;
  /** First day outside EKS extended support (EKS upgrades the control plane). */
  readonly endOfExtendedSupport: string;
  /** Where the lifecycle dates come from. */
  readonly lifecycleSource: string;
  /**
   * Pinned add-on versions; an add-on absent here has no sourced version: it is created without a version (EKS
   * installs its default at create) unless the stack pins it.
   */
  readonly addons: Readonly<Partial<Record<AddonKey, AddonPin>>>;
}

/** The versions table, oldest first. */
export const KUBERNETES_VERSIONS = {
  "1.33": {
    upstreamRelease: "2025-04-23",
    eksRelease: "2025-05-29",
    endOfStandardSupport: "2026-07-29",
    endOfExtendedSupport: "2027-07-29",
    lifecycleSource: SOURCES.eksCalendar,
    addons: {
      // Not the AWS table's v1.20.1-eksbuild.3 for 1.33: ClusterNetworkPolicy needs the VPC CNI >= 1.21.1.
      vpcCni: { version: "v1.21.1-eksbuild.7", source: SOURCES.piksel133 },
      coredns: { version: "v1.13.2-eksbuild.4", source: SOURCES.corednsEarlier },
      kubeProxy: { version: "v1.33.10-eksbuild.13", source: SOURCES.kubeProxy },
      podIdentityAgent: { version: "v1.3.10-eksbuild.2", source: SOURCES.piksel133 },
      ebsCsiDriver: { version: "v1.57.1-eksbuild.1", source: SOURCES.piksel133 },
    },
  },
  "1.34": {
    upstreamRelease: "2025-08-27",
    eksRelease: "2025-10-02",
    endOfStandardSupport: "2026-12-02",
    endOfExtendedSupport: "2027-12-02",
    lifecycleSource: SOURCES.eksCalendar,
    addons: {
      vpcCni: { version: "v1.21.1-eksbuild.7", source: SOURCES.piksel134 },
      coredns: { version: "v1.13.2-eksbuild.7", source: SOURCES.coredns },
      kubeProxy: { version: "v1.34.6-eksbuild.13", source: SOURCES.kubeProxy },
      podIdentityAgent: { version: "v1.3.10-eksbuild.2", source: SOURCES.piksel134 },
      ebsCsiDriver: { version: "v1.57.1-eksbuild.1", source: SOURCES.piksel134 },
    },
  },
  "1.35": {
    // Upstream release day: not found in the sources searched.
    eksRelease: "2026-01-28",
    endOfStandardSupport: "2027-03-27",
    endOfExtendedSupport: "2028-03-27",
    lifecycleSource: SOURCES.endOfLife,
    // vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver: no citable source found for 1.35 (pins seen in
    // public code whose repository could not be identified are not used); unpinned: EKS default at create.
    addons: {
      coredns: { version: "v1.14.2-eksbuild.4", source: SOURCES.coredns },
      kubeProxy: { version: "v1.35.3-eksbuild.13", source: SOURCES.kubeProxy },
    },
  },
  "1.36": {
    upstreamRelease: "2026-04-22",
    eksRelease: "2026-06-02",
    endOfStandardSupport: "2027-08-02",
    // Not found as such: AWS's documented rule (extended support lasts the 12 months after the end of
    // standard support, SOURCES.eksCalendar) applied to 2027-08-02.
    endOfExtendedSupport: "2028-08-02",
    lifecycleSource: `${SOURCES.k136OnEks}; upstream ${SOURCES.k136Upstream}`,
    addons: {
      vpcCni: { version: "v1.22.3-eksbuild.1", source: SOURCES.piksel136 },
      coredns: { version: "v1.14.3-eksbuild.3", source: SOURCES.piksel136 },
      kubeProxy: { version: "v1.36.0-eksbuild.14", source: SOURCES.kubeProxy },
      podIdentityAgent: { version: "v1.3.10-eksbuild.3", source: SOURCES.piksel136 },
      ebsCsiDriver: { version: "v1.63.1-eksbuild.1", source: SOURCES.piksel136 },
    },
  },
} as const satisfies Readonly<Record<string, KubernetesVersionRow>>;

/** Kubernetes minor versions Bulwark accepts: the rows of the versions table. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];

/** How many days ahead `plan` warns that a version leaves EKS standard support. */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

/** Where a version stands on `today` (a UTC day). */
export type SupportPhase = "standard" | "extended" | "ended";

/** `today` as a UTC day, `YYYY-MM-DD`. */
export function utcDay(today: Date): string {
  return today.toISOString().slice(0, 10);
}

/** Whole days from UTC day `from` to UTC day `to`. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The EKS support phase of `version` on `today`, with the days left in standard support (negative once out). */
export function supportPhase(version: KubernetesVersion, today: Date): { phase: SupportPhase; daysOfStandardLeft: number } {
  const row: KubernetesVersionRow = KUBERNETES_VERSIONS[version];
  const day = utcDay(today);
  const phase = day < row.endOfStandardSupport ? "standard" : day < row.endOfExtendedSupport ? "extended" : "ended";
  return { phase, daysOfStandardLeft: daysBetween(day, row.endOfStandardSupport) };
}

/** The accepted versions in EKS standard support on `today`. */
export function standardSupportVersions(today: Date): KubernetesVersion[] {
  return SUPPORTED_KUBERNETES_VERSIONS.filter((v) => supportPhase(v, today).phase === "standard");
}

/** The cluster settings the support rule reads. */
export interface SupportSettings {
  readonly kubernetesVersion: KubernetesVersion;
  readonly upgradePolicy?: "STANDARD" | "EXTENDED";
  readonly acceptExtendedSupportCharges?: boolean;
}

/**
 * Why the cluster may not be built on `today`, or undefined: a version out of EKS standard support needs
 * the risk-named opt-in (extended support is charged per cluster hour) and upgrade policy EXTENDED; a
 * version past extended support is not offered at all.
 */
export function supportProblem(
  cluster: SupportSettings,
  today: Date,
): { key: "kubernetesVersion" | "upgradePolicy"; value: unknown; message: string } | undefined {
  const version = cluster.kubernetesVersion;
  const row: KubernetesVersionRow = KUBERNETES_VERSIONS[version];
  const { phase } = supportPhase(version, today);
  const standard = standardSupportVersions(today).join(", ") || "none in the versions table";
  if (phase === "ended") {
    return {
      key: "kubernetesVersion",
      value: version,
      message: `is past Amazon EKS extended support since ${row.endOfExtendedSupport}; use a version in standard support: ${standard}`,
    };
  }
  if (phase === "standard") return undefined;
  if (cluster.acceptExtendedSupportCharges !== true) {
    return {
      key: "kubernetesVersion",
      value: version,
      message: `is out of Amazon EKS standard support since ${row.endOfStandardSupport} (extended support, charged per cluster hour, until ${row.endOfExtendedSupport}); use a version in standard support: ${standard}, or set acceptExtendedSupportCharges: true`,
    };
  }
  if (cluster.upgradePolicy === "STANDARD") {
    return {
      key: "upgradePolicy",
      value: "STANDARD",
      message: `must be EXTENDED (or omitted) for Kubernetes ${version} in extended support: STANDARD has EKS upgrade the control plane`,
    };
  }
  return undefined;
}

/** The upgrade policy to build with: EXTENDED only when asked for or when the opted-in version needs it. */
export function resolvedUpgradePolicy(cluster: SupportSettings, today: Date): "STANDARD" | "EXTENDED" {
  if (cluster.upgradePolicy) return cluster.upgradePolicy;
  return supportPhase(cluster.kubernetesVersion, today).phase === "standard" ? "STANDARD" : "EXTENDED";
}

/**
 * What `plan` warns about on `today`, or undefined: the version leaves EKS standard support within
 * {@link STANDARD_SUPPORT_WARNING_DAYS} days, or is already in (charged) extended support.
 */
export function supportNotice(version: KubernetesVersion, today: Date): string | undefined {
  const row: KubernetesVersionRow = KUBERNETES_VERSIONS[version];
  const { phase, daysOfStandardLeft } = supportPhase(version, today);
  const next = standardSupportVersions(today).filter((v) => v > version);
  const upgrade = next.length > 0 ? `upgrade to ${next.join(" or ")}` : "plan the upgrade";
  if (phase === "extended") {
    return `Kubernetes ${version} is in Amazon EKS extended support (charged per cluster hour) until ${row.endOfExtendedSupport}; ${upgrade}`;
  }
  if (phase === "standard" && daysOfStandardLeft <= STANDARD_SUPPORT_WARNING_DAYS) {
    return `Kubernetes ${version} leaves Amazon EKS standard support on ${row.endOfStandardSupport} (in ${daysOfStandardLeft} day${daysOfStandardLeft === 1 ? "" : "s"}); ${upgrade}`;
  }
  return undefined;
}
