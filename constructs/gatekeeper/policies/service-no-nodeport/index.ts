import { definePolicy } from "../../policy";

/** No Service of type NodePort. */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkServiceNoNodePort",
  description: "No Service of type NodePort: it opens the port on every node.",
  matchKinds: [{ apiGroups: [""], kinds: ["Service"] }],
});
