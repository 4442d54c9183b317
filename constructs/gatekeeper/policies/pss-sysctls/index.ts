import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Sysctls (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSSysctls",
  description: "Only the safe, namespaced sysctls of the Pod Security Standards version may be set in spec.securityContext.sysctls. The safe set grew in v1.32 (tcp_rmem, tcp_wmem) and v1.37 (tcp_slow_start_after_idle, tcp_notsent_lowat).",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
