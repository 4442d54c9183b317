import { definePolicy } from "../../policy";

/** No Service with externalIPs (CVE-2020-8554: traffic interception). */
export default definePolicy({
  dir: __dirname,
  matchKinds: [{ apiGroups: [""], kinds: ["Service"] }],
});
