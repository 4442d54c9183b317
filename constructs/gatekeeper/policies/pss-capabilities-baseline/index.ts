import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: Capabilities (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSCapabilitiesBaseline",
  description: "Adding capabilities beyond the default set is forbidden: capabilities.add of every container may only hold AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (exact spelling; NET_RAW is not in the set).",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
