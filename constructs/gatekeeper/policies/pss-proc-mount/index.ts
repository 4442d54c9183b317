import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: /proc Mount Type (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSProcMount",
  description: "The default /proc masks are required: securityContext.procMount of every container must be unset or Default. From v1.35 the baseline level allows any procMount in a Pod with its own user namespace (spec.hostUsers: false).",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
