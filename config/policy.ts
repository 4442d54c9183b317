import { z } from "zod";
import { dns1123Label, labelKey, strictObject } from "./fields";

/**
 * An allowed image registry prefix. It must end with '/', so `registry.example.com/` can never match
 * `registry.example.com.attacker.net/...`.
 */
const registryPrefix = z
  .string()
  .min(2, { error: "must be a registry prefix such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/" })
  .refine((value) => value.endsWith("/"), {
    error: "must end with '/' so the prefix cannot match a look-alike host (e.g. registry.example.com/)",
  })
  .refine((value) => !/[*?\s]/.test(value), { error: "must be a literal prefix: no wildcards or spaces" });

export const ENFORCEMENT_ACTIONS = ["deny", "warn", "dryrun"] as const;
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number];

/** Cluster-wide policy settings: what Gatekeeper enforces and the baseline requires. */
export const policySchema = strictObject({
  allowedRegistries: z
    .array(registryPrefix)
    .min(1, { error: "must list at least one registry prefix; images are only admitted from these" }),
  requiredLabels: z.array(labelKey).optional(),
  exemptNamespaces: z.array(dns1123Label).optional(),
  enforcementAction: z.enum(ENFORCEMENT_ACTIONS, { error: "must be deny, warn or dryrun" }).optional(),
});

export type PolicyConfig = z.infer<typeof policySchema>;
