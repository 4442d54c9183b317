import { definePolicy } from "../../policy";

/** No hostPath PersistentVolume: a claim bound to one would mount a node directory past Pod Security. */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["PersistentVolume"] }],
});
