import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: SELinux (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSSELinuxOptions",
  description: "seLinuxOptions.type (pod and every container) must be empty, container_t, container_init_t, container_kvm_t or (from v1.31) container_engine_t; seLinuxOptions.user and .role must be empty.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
