import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS restricted: Running as Non-root user (Pod Security Standards, restricted level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSRunAsUser",
  description: "Containers must not set runAsUser to 0, at pod level or in any container.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "restricted",
});
