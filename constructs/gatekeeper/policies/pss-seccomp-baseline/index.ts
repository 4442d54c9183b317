import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Seccomp (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSSeccompBaseline",
  description: "The seccomp profile must not be explicitly set to Unconfined, at pod level or in any container.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
