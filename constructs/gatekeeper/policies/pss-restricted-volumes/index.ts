import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS restricted: Volume Types (Pod Security Standards, restricted level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSRestrictedVolumes",
  description: "Volumes may only use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret: every other inline source of the Kubernetes API (hostPath, nfs, iscsi, gitRepo, awsElasticBlockStore, ...) is forbidden. A volume with no source is the API's default emptyDir and is admitted.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "restricted",
});
