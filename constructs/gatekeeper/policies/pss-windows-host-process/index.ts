import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: HostProcess (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSWindowsHostProcess",
  description: "Windows HostProcess containers have privileged access to the Windows host: securityContext.windowsOptions.hostProcess must be unset or false at pod level and in every container.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
