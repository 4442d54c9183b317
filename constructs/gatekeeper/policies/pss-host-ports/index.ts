import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Host Ports (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSHostPorts",
  description: "HostPorts should be disallowed entirely: every ports[*].hostPort of every container must be unset or 0. Any single host port denies the Pod.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
