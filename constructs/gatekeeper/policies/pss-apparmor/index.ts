import { definePolicy, POD_KINDS } from "../../policy";

/**
 * PSS baseline: AppArmor (Pod Security Standards, baseline level).
 * The CEL is in template.yaml; its `version` parameter is the standard's version (default: the cluster's).
 */
export default definePolicy({
  dir: __dirname,
  kind: "K8sPSSAppArmor",
  description: "The default AppArmor profile may not be disabled: appArmorProfile.type (pod and every container) must be unset, RuntimeDefault or Localhost, and the container.apparmor.security.beta.kubernetes.io/* annotations must be empty, runtime/default or localhost/*.",
  matchKinds: POD_KINDS,
  podSecurityLevel: "baseline",
});
