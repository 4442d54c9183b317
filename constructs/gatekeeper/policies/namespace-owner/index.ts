import { definePolicy } from "../../policy";
import type { BulwarkNamespaceOwnerSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/** The label key naming a namespace's owning team (TenantNamespace sets it from `bulwark:tenants[].owner`). */
export const OWNER_LABEL = "owner";

/** Every Namespace carries an `owner` label. */
export default definePolicy<BulwarkNamespaceOwnerSpecParameters>({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Namespace"] }],
  parameters: () => ({ label: OWNER_LABEL }),
});
