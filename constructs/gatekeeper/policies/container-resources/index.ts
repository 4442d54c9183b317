import { definePolicy, POD_KINDS } from "../../policy";
import type { BulwarkContainerResourcesSpecParameters } from "../../imports/constraints.gatekeeper.sh";

/** Every container and initContainer sets CPU and memory requests and limits. */
export default definePolicy<BulwarkContainerResourcesSpecParameters>({
  dir: __dirname,
  matchKinds: POD_KINDS,
  parameters: () => ({ resources: ["cpu", "memory"] }),
});
