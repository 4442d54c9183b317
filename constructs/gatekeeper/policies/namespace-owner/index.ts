import { definePolicy } from "../../policy";

/** The label key naming a namespace's owning team (TenantNamespace sets it from `bulwark:tenants[].owner`). */
export const OWNER_LABEL = "owner";

/** Every Namespace carries an `owner` label. */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Namespace"] }],
  parameters: () => ({ label: OWNER_LABEL }),
});
