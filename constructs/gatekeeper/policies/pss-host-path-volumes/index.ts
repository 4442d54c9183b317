import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: HostPath Volumes (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSHostPathVolumes",
  description: "HostPath volumes must be forbidden: no spec.volumes[*].hostPath.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
