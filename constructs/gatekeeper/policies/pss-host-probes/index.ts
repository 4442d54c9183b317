import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Host Probes / Lifecycle Hooks (v1.34+) (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSHostProbesAndLifecycle",
  description: "From v1.34, the host field of httpGet and tcpSocket handlers in liveness, readiness and startup probes and in postStart / preStop lifecycle hooks must be unset or empty, so the kubelet cannot be used to reach other hosts.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
