import { definePolicy, POD_KINDS } from "../../policy";

/** No `:latest` and no untagged image; with `bulwark:policy.requireImageDigest`, every image pinned by digest. */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkImageTags",
  description: "Images name a version: no :latest, no untagged image; optionally every image pinned by digest.",
  matchKinds: POD_KINDS,
  parameters: (ctx) => ({ requireDigest: ctx.config.policy.requireImageDigest ?? false }),
});
