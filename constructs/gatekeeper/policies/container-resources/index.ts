import { definePolicy, POD_KINDS } from "../../policy";

/** Every container and initContainer sets CPU and memory requests and limits. */
export default definePolicy({
  dir: __dirname,
  matchKinds: POD_KINDS,
  parameters: () => ({ resources: ["cpu", "memory"] }),
});
