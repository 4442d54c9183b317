import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS restricted: Seccomp (Pod Security Standards, restricted level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSSeccompRestricted",
  description: "A seccomp profile must be set explicitly to RuntimeDefault or Localhost: at pod level (containers may leave it unset) or in every container; any other value anywhere is forbidden. Pods with spec.os.name=windows are exempt, as in Pod Security Admission.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "restricted",
});
