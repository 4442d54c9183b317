import { definePolicy, POD_KINDS } from "../../policy";
import type { BulwarkImageTagsSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/** No `:latest` and no untagged image; with `bulwark:policy.requireImageDigest`, every image pinned by digest. */
export default definePolicy<BulwarkImageTagsSpecParameters>({
  dir: __dirname,
  matchKinds: POD_KINDS,
  parameters: (ctx) => ({ requireDigest: ctx.config.policy.requireImageDigest ?? false }),
});
