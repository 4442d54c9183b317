import { definePolicy } from "../../policy";

/** Every Ingress terminates TLS for every host it serves. */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: ["networking.k8s.io"], kinds: ["Ingress"] }],
});
