import { definePolicy } from "../../policy";

/** No Service of type NodePort. */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Service"] }],
});
