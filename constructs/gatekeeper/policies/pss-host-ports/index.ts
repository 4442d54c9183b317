import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Host Ports (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
