import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Privileged Containers (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSPrivileged",
  description: "Privileged Pods disable most security mechanisms. No container, init container or ephemeral container may set securityContext.privileged=true.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
