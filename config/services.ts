/**
 * A tenant's services in the stack config (`tenants[].services[]`): each becomes a `HardenedWorkload` with its
 * ClusterIP Service and, when exposed, an Ingress on the ALB IngressClass. Who may connect stays with the
 * tenant's ingress grants (`tenants[].ingress[]`), so the stack file shows every way in at one place.
 */
import { z } from "zod";
import { dns1123Label, strictObject } from "./fields";

/** CPU as millicores (`250m`) or whole/decimal cores (`1`, `1.5`). */
const cpu = z.string().regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, { error: "must be CPU as millicores (250m) or cores (1, 1.5)" });
/** Memory in binary units. */
const memory = z.string().regex(/^[1-9][0-9]*(Ki|Mi|Gi|Ti)$/, { error: "must be memory in Ki, Mi, Gi or Ti, such as 256Mi or 1Gi" });

/** A DNS host name an ALB serves (and finds its ACM certificate by); no wildcard, no trailing dot. */
const hostName = z
  .string()
  .max(253, { error: "must be at most 253 characters" })
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    error: "must be a lowercase DNS host name with a domain, such as orders.internal.example.com (no wildcard, no trailing dot)",
  });

/** An image reference pinned by a tag other than `latest`, or by digest. */
const pinnedImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/, {
    error: "must be an image reference with a registry, pinned by a tag or by digest (registry/repo:1.2.3 or registry/repo@sha256:...)",
  })
  .refine((image) => !/:latest$/.test(image), { error: "must not use the latest tag; pin a version or a digest" });

/** Where the service is reached from outside the cluster. */
const serviceIngress = strictObject({
  /** The host the ALB serves; the Ingress terminates TLS for it (the controller finds the ACM certificate by host). */
  host: hostName,
  /**
   * URL path prefix routed to the service.
   * @default "/"
   */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, { error: "must be a URL path starting with /" })
    .optional(),
  /**
   * `internal` (the default IngressClass `alb`) or `internet-facing` (`alb-internet-facing`, only for a tenant
   * listed in bulwark:policy.publicLoadBalancerNamespaces).
   * @default "internal"
   */
  scheme: z.enum(["internal", "internet-facing"], { error: "must be internal or internet-facing" }).optional(),
});

/** One service of a tenant. */
export const tenantService = strictObject({
  /** The Deployment, Service and Ingress name; its pods carry `app.kubernetes.io/name: <name>`. */
  name: dns1123Label,
  image: pinnedImage,
  /** The container port, exposed by a ClusterIP Service of the same number. */
  port: z.number().int().min(1).max(65535, { error: "must be a port number from 1 to 65535" }),
  /** @default 2 */
  replicas: z.number().int().min(0).optional(),
  /** CPU and memory requests and limits: all four required. */
  resources: strictObject({ cpuRequest: cpu, cpuLimit: cpu, memoryRequest: memory, memoryLimit: memory }),
  ingress: serviceIngress.optional(),
});

export type TenantServiceConfig = z.infer<typeof tenantService>;

/** The IngressClass a service's Ingress uses. */
export function serviceScheme(service: TenantServiceConfig): "internal" | "internet-facing" {
  return service.ingress?.scheme ?? "internal";
}
