import { z } from "zod";
import { cidr, cidrBounds, cidrContains, dns1123Label, labelKey, labelValue, quantity, strictObject } from "./fields";
import { RESERVED_NAMESPACES, isReservedNamespace } from "./namespaces";
import { tenantService } from "./services";

/** The instance metadata endpoints: never reachable from tenant pods (node credentials live there). */
export const INSTANCE_METADATA_CIDRS = { ipv4: "169.254.169.254/32", ipv6: "fd00:ec2::254/128" } as const;

/** RBAC tiers every tenant gets, from most to least privileged. */
export const TENANT_TIERS = ["admin", "edit", "view"] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];

/**
 * The Kubernetes group that EKS access entries put a tenant tier's IAM principals in. The tenant's
 * RoleBinding for that tier binds this group, so IAM principals and IdP users share one RBAC model.
 */
export function tenantTierGroup(tenant: string, tier: TenantTier): string {
  return `bulwark:${tenant}:${tier}`;
}

const tenantName = dns1123Label.refine((name) => !isReservedNamespace(name), {
  error: `is reserved; a tenant may not be named ${RESERVED_NAMESPACES.join(", ")} or start with kube-`,
});

const idpGroup = z
  .string()
  .min(1, { error: "must not be empty" })
  .refine((group) => !group.startsWith("system:"), {
    error: "must be an identity-provider group; 'system:' groups are Kubernetes' own and would grant their privileges",
  });

const groupList = z.array(idpGroup).refine((groups) => new Set(groups).size === groups.length, {
  error: "must not list a group twice",
});

/** An IAM role or user ARN (no wildcards: access entries name exact principals). */
const iamPrincipalArn = z.string().regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)\/[A-Za-z0-9+=,.@_\-/]+$/, {
  error: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/payments-admin",
});

const principalList = z.array(iamPrincipalArn).refine((arns) => new Set(arns).size === arns.length, {
  error: "must not list a principal twice",
});

/**
 * IPv6 ranges whose addresses stand for IPv4 ones: IPv4-mapped (RFC 4291), IPv4-compatible (deprecated,
 * RFC 4291) and NAT64 (RFC 6052 well-known prefix, RFC 8215 local use). A grant inside one of them is an
 * IPv4 grant in disguise (`::ffff:169.254.169.254` is the metadata endpoint), so it must be written as IPv4.
 */
export const IPV4_EMBEDDING_IPV6_RANGES = ["::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48"] as const;

/** Why a tenant may not be granted egress to `value` (a canonical CIDR), or undefined. */
export function egressCidrProblem(value: string): string | undefined {
  const embedding = IPV4_EMBEDDING_IPV6_RANGES.find((range) => cidrContains(range, value));
  if (embedding)
    return `is inside ${embedding}, IPv6 addresses that stand for IPv4 ones; write the IPv4 CIDR (IPv4-mapped ::ffff:169.254.169.254 is the metadata endpoint)`;
  if (Object.values(INSTANCE_METADATA_CIDRS).some((imds) => cidrContains(imds, value))) {
    return "must not target the instance metadata endpoint; it is always excluded from tenant egress";
  }
  return undefined;
}

/** True when the CIDRs together cover every address of one family (the whole internet, for egress). */
export function cidrsCoverFamily(cidrs: readonly string[], family: 4 | 6): boolean {
  const ranges = cidrs
    .map(cidrBounds)
    .filter((range) => range.family === family)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const last = (1n << (family === 4 ? 32n : 128n)) - 1n;
  let next = 0n; // the first address not yet covered
  for (const range of ranges) {
    if (range.first > next) return false;
    if (range.last + 1n > next) next = range.last + 1n;
  }
  return next > last;
}

const egressRule = strictObject({
  /** Destination CIDR, canonical form; never the metadata endpoint, in any spelling. */
  cidr: cidr.superRefine((value, ctx) => {
    const problem = egressCidrProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  /** Ports allowed to that CIDR; all ports when omitted. */
  ports: z
    .array(
      strictObject({
        port: z.number().int().min(1).max(65535, { error: "must be a port number from 1 to 65535" }),
        protocol: z.enum(["TCP", "UDP", "SCTP"], { error: "must be TCP, UDP or SCTP" }).optional(),
      }),
    )
    .min(1, { error: "must list at least one port, or be omitted to allow all ports" })
    .optional(),
});

const port = strictObject({
  port: z.number().int().min(1).max(65535, { error: "must be a port number from 1 to 65535" }),
  protocol: z.enum(["TCP", "UDP", "SCTP"], { error: "must be TCP, UDP or SCTP" }).optional(),
});

/** Public-internet CIDRs: never an ingress source for a tenant's pods (expose a load balancer instead). */
const WHOLE_INTERNET = ["0.0.0.0/0", "::/0"];

/**
 * Where traffic into a tenant's pods may come from. Every key is optional, but at least one must be set:
 * a grant names its sources.
 */
const ingressSources = strictObject({
  /** Pods of the tenant's own namespace. */
  sameNamespace: z.boolean().optional(),
  /** Pods of these other tenants' namespaces (their egress to these pods is opened too). */
  tenants: z.array(dns1123Label).min(1, { error: "must list at least one tenant, or be omitted" }).optional(),
  /**
   * The load balancers of the AWS Load Balancer Controller in IP target mode: they connect from addresses
   * of the VPC, so this admits the VPC CIDR (`bulwark:cluster.network.vpcCidr`) on the grant's ports.
   */
  loadBalancers: z.boolean().optional(),
  /** Networks outside the cluster, e.g. a corporate range reaching NLB IP targets with client IPs preserved. */
  cidrs: z
    .array(
      cidr.refine((value) => !WHOLE_INTERNET.includes(value), { error: "must not be the whole internet; expose a load balancer (from.loadBalancers) instead" }),
    )
    .min(1, { error: "must list at least one CIDR, or be omitted" })
    .optional(),
}).refine((from) => from.sameNamespace === true || from.tenants !== undefined || from.loadBalancers === true || from.cidrs !== undefined, {
  error: "must name at least one source: sameNamespace: true, tenants, loadBalancers: true or cidrs",
});

/** One way into a tenant's pods: which pods, on which ports, from where. */
const ingressGrant = strictObject({
  /** Names the grant and its NetworkPolicy (`allow-ingress-<name>`). */
  name: dns1123Label,
  /** Labels selecting the pods that receive the traffic; every pod of the namespace when omitted. */
  pods: z.record(labelKey, labelValue).optional(),
  /** Ports opened: at least one, never all. */
  ports: z.array(port).min(1, { error: "must list at least one port; a grant never opens every port" }),
  from: ingressSources,
});

/** IAM managed policies a tenant workload may never be given: they grant the account, not a workload. */
export const FORBIDDEN_WORKLOAD_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"] as const;

const managedPolicyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\/[A-Za-z0-9+=,.@_\-/]+$/, {
    error: "must be an IAM managed policy ARN such as arn:aws:iam::123456789012:policy/payments-s3-read",
  })
  .refine((arn) => !(FORBIDDEN_WORKLOAD_POLICIES as readonly string[]).includes(arn.split("/").pop() ?? ""), {
    error: `must not be ${FORBIDDEN_WORKLOAD_POLICIES.join(", ")}: a workload gets the permissions it needs, never the account's`,
  });

/**
 * An AWS identity for a tenant's workload, through EKS Pod Identity: a service account of that name in the
 * tenant's namespace, an IAM role only that service account of this cluster can assume, and the managed
 * policies listed here (the platform grants them; tenants cannot).
 */
const workloadIdentity = strictObject({
  /** The service account (DNS-1123 label); pods opt in with it and the label `bulwark.dev/workload-identity: <name>`. */
  name: dns1123Label,
  managedPolicyArns: z
    .array(managedPolicyArn)
    .min(1, { error: "must list at least one managed policy; a workload identity without permissions is not needed" }),
});

/** One tenant: a namespace with its owner, its identity-provider groups and its resource envelope. */
export const tenantSchema = strictObject({
  name: tenantName,
  owner: labelValue,
  /** Identity-provider groups per RBAC tier (humans authenticate at the IdP through the cluster's OIDC config). */
  groups: strictObject({ admin: groupList.optional(), edit: groupList.optional(), view: groupList.optional() }),
  /** IAM principals per RBAC tier, given namespace-scoped EKS access entries in the tier's Kubernetes group. */
  awsPrincipals: strictObject({
    admin: principalList.optional(),
    edit: principalList.optional(),
    view: principalList.optional(),
  }).optional(),
  podSecurity: z
    .enum(["restricted", "baseline"], {
      error: "must be restricted (the default) or baseline; privileged is never allowed for a tenant",
    })
    .optional(),
  quota: strictObject({
    requestsCpu: quantity.optional(),
    requestsMemory: quantity.optional(),
    limitsCpu: quantity.optional(),
    limitsMemory: quantity.optional(),
    requestsStorage: quantity.optional(),
    pods: z.number().int().min(0).optional(),
    services: z.number().int().min(0).optional(),
    servicesLoadBalancers: z.number().int().min(0).optional(),
    servicesNodePorts: z.number().int().min(0).optional(),
    persistentVolumeClaims: z.number().int().min(0).optional(),
    configMaps: z.number().int().min(0).optional(),
    secrets: z.number().int().min(0).optional(),
  }).optional(),
  limits: strictObject({
    defaultCpuRequest: quantity.optional(),
    defaultMemoryRequest: quantity.optional(),
    defaultCpuLimit: quantity.optional(),
    defaultMemoryLimit: quantity.optional(),
    maxCpu: quantity.optional(),
    maxMemory: quantity.optional(),
  }).optional(),
  egress: z.array(egressRule).optional(),
  workloadIdentities: z
    .array(workloadIdentity)
    .refine((ids) => new Set(ids.map((i) => i.name)).size === ids.length, { error: "must not name two workload identities alike" })
    .refine((ids) => ids.every((i) => i.name !== "default"), { error: "must not use the default service account, which every pod without one runs as" })
    .optional(),
  ingress: z
    .array(ingressGrant)
    .refine((grants) => new Set(grants.map((g) => g.name)).size === grants.length, { error: "must not name two grants alike" })
    .optional(),
  /** Services run as HardenedWorkloads; an exposed one gets an Ingress on the ALB IngressClass of its scheme. */
  services: z
    .array(tenantService)
    .refine((services) => new Set(services.map((s) => s.name)).size === services.length, { error: "must not name two services alike" })
    .optional(),
  /**
   * Accepts egress grants that together cover a whole address family (e.g. `0.0.0.0/0`): the tenant's pods
   * can then reach, and send data to, any host on the internet. Default false: such grants are an error.
   */
  acceptEgressToWholeInternet: z.boolean().optional(),
}).superRefine((tenant, ctx) => {
  (tenant.services ?? []).forEach((service, index) => {
    // An invalid port is reported at its own key; no second problem about the grant that cannot match it.
    const validPort = Number.isInteger(service.port) && service.port >= 1 && service.port <= 65535;
    if (!service.ingress || !validPort || loadBalancersReach(tenant.ingress ?? [], service.name, service.port)) return;
    ctx.addIssue({
      code: "custom",
      path: ["services", index, "ingress"],
      input: service.ingress,
      message: `exposes ${service.name} through an ALB, but no ingress grant admits the load balancers to its pods on port ${service.port}, so under default deny the ALB could not reach them; add an ingress grant with pods {app.kubernetes.io/name: ${service.name}} (or none), ports [{port: ${service.port}}] and from.loadBalancers: true`,
    });
  });
  if (tenant.acceptEgressToWholeInternet === true || !tenant.egress) return;
  const cidrs = tenant.egress.map((rule) => rule.cidr);
  for (const family of [4, 6] as const) {
    if (!cidrsCoverFamily(cidrs, family)) continue;
    ctx.addIssue({
      code: "custom",
      path: ["egress"],
      input: cidrs,
      message: `together cover every IPv${family} address: egress to the whole internet; list the networks the tenant needs, or set acceptEgressToWholeInternet: true to accept the risk`,
    });
  }
});

/** Whether some grant admits the load balancers (from.loadBalancers) to the pods of service `name` on TCP `port`. */
function loadBalancersReach(grants: readonly z.infer<typeof ingressGrant>[], name: string, port: number): boolean {
  const podLabels: Record<string, string> = { "app.kubernetes.io/name": name };
  return grants.some(
    (grant) =>
      grant.from.loadBalancers === true &&
      Object.entries(grant.pods ?? {}).every(([key, value]) => podLabels[key] === value) &&
      grant.ports.some((p) => p.port === port && (p.protocol ?? "TCP") === "TCP"),
  );
}

export type TenantConfig = z.infer<typeof tenantSchema>;
export type EgressRuleConfig = z.infer<typeof egressRule>;
export type IngressGrantConfig = z.infer<typeof ingressGrant>;
export type WorkloadIdentityConfig = z.infer<typeof workloadIdentity>;

export const tenantsSchema = z
  .array(tenantSchema)
  .min(1, { error: "must list at least one tenant" })
  .superRefine((tenants, ctx) => {
    const seen = new Map<string, number>();
    tenants.forEach((tenant, index) => {
      const first = seen.get(tenant.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index, "name"],
          input: tenant.name,
          message: `duplicates tenant ${first} (bulwark:tenants[${first}]); tenant names must be unique`,
        });
      } else {
        seen.set(tenant.name, index);
      }
    });
    tenants.forEach((tenant, index) => {
      (tenant.ingress ?? []).forEach((grant, g) => {
        (grant.from.tenants ?? []).forEach((source, t) => {
          const path = [index, "ingress", g, "from", "tenants", t];
          if (source === tenant.name) {
            ctx.addIssue({ code: "custom", path, input: source, message: "is this tenant itself; use from.sameNamespace: true" });
          } else if (!seen.has(source)) {
            ctx.addIssue({ code: "custom", path, input: source, message: `is not a tenant of this stack; accepted: ${[...seen.keys()].sort().join(", ")}` });
          }
        });
      });
    });
  });
