import { definePolicy } from "../../policy";

/** No hostPath PersistentVolume: a claim bound to one would mount a node directory past Pod Security. */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkPersistentVolumeNoHostPath",
  description: "No PersistentVolume uses hostPath, which any bound claim would mount past Pod Security.",
  matchKinds: [{ apiGroups: [""], kinds: ["PersistentVolume"] }],
});
