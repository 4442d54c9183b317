import { definePolicy, POD_KINDS } from "../../policy";

/** No `:latest` and no untagged image; with `bulwark:policy.requireImageDigest`, every image pinned by digest. */
export default definePolicy({
  dir: __dirname,
  matchKinds: POD_KINDS,
  parameters: (ctx) => ({ requireDigest: ctx.config.policy.requireImageDigest ?? false }),
});
