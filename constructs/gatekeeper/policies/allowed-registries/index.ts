import { definePolicy, POD_KINDS } from "../../policy";
import type { BulwarkAllowedRegistriesSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/**
 * Images only from the stack's `bulwark:policy.allowedRegistries` (prefixes ending with '/'); an image with
 * no registry host counts as docker.io. Example policy: the shape every policy folder follows.
 */
export default definePolicy<BulwarkAllowedRegistriesSpecParameters>({
  dir: __dirname,
  matchKinds: POD_KINDS,
  parameters: (ctx) => ({ registries: [...ctx.config.policy.allowedRegistries] }),
});
