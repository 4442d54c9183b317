import { definePolicy } from "../../policy";

/** No Service with externalIPs (CVE-2020-8554: traffic interception). */
export default definePolicy({
  dir: __dirname,
  kind: "BulwarkServiceNoExternalIPs",
  description: "No Service with externalIPs: they let a tenant intercept traffic for any address (CVE-2020-8554).",
  matchKinds: [{ apiGroups: [""], kinds: ["Service"] }],
});
