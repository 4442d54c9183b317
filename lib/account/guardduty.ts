import * as aws from "@pulumi/aws";
import type { ClusterScope } from "../scope";

/**
 * GuardDuty EKS audit-log and runtime monitoring on the region's detector (created unless one is named);
 * GuardDuty manages its runtime agent add-on. Nothing when monitoring is off.
 */
export function createGuardDuty(scope: ClusterScope): void {
  const { name, parent, settings, tags } = scope;
  if (!settings.guardDuty.enabled) return;
  const opts = { parent };
  const detectorId = settings.guardDuty.detectorId ?? new aws.guardduty.Detector(`${name}-guardduty`, { enable: true, tags }, opts).id;
  new aws.guardduty.DetectorFeature(`${name}-guardduty-eks-audit-logs`, { detectorId, name: "EKS_AUDIT_LOGS", status: "ENABLED" }, opts);
  new aws.guardduty.DetectorFeature(
    `${name}-guardduty-runtime`,
    {
      detectorId,
      name: "RUNTIME_MONITORING",
      status: "ENABLED",
      additionalConfigurations: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
    },
    opts,
  );
}
