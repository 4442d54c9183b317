import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS restricted: /proc Mount Type (Pod Security Standards, restricted level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSProcMountRestricted",
  description: "At the restricted level every container's securityContext.procMount must be unset or Default, even in a Pod with its own user namespace (the baseline relaxation of v1.35 does not apply).",
  matchKinds: POD_KINDS,
  podSecurityLevel: "restricted",
});
