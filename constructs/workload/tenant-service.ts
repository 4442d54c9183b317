import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { MANAGED_BY_LABEL } from "../baseline/defaults";
import { INGRESS_CLASS_NAMES } from "../network/ingress-classes";
import type { HardenedWorkloadProps } from "./hardened-workload";
import { HardenedWorkload } from "./hardened-workload";

/** How a service is reached through an ALB. */
export interface TenantServiceIngress {
  /** The host the ALB serves, with TLS (the controller finds the ACM certificate by this host). */
  readonly host: string;
  /**
   * URL path prefix routed to the service.
   * @default "/"
   */
  readonly path?: string;
  /**
   * `internal` (IngressClass `alb`) or `internet-facing` (`alb-internet-facing`, whose IngressClassParams admit
   * only the public namespaces).
   * @default "internal"
   */
  readonly scheme?: "internal" | "internet-facing";
}

export interface TenantServiceProps extends Omit<HardenedWorkloadProps, "port" | "allowIngressFrom"> {
  /** The container port; a ClusterIP Service of the same name exposes it. */
  readonly port: number;
  /**
   * An Ingress on the ALB IngressClass of `scheme`, HTTPS only, IP targets (the ALB connects to the pods from
   * VPC addresses, which the tenant's `from.loadBalancers` ingress grant admits).
   * @default no Ingress: reachable only inside the cluster, as the tenant's ingress grants allow
   */
  readonly ingress?: TenantServiceIngress;
}

/** Annotations of every Ingress: HTTPS on 443 only (no clear-text listener), IP targets. Source: docs/guide/ingress/annotations.md, v3.5.0. */
export const TENANT_INGRESS_ANNOTATIONS = {
  "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
  "alb.ingress.kubernetes.io/target-type": "ip",
} as const;

/**
 * A tenant's service: a {@link HardenedWorkload} with its port and ClusterIP Service, and, when exposed, an
 * Ingress on the ALB IngressClass (TLS for its host, HTTPS listener only, IP targets). Who may connect is
 * not decided here but by the tenant's ingress grants, so the stack config lists every way in.
 */
export class TenantService extends Construct {
  readonly workload: HardenedWorkload;
  /** The Ingress, when the service is exposed. */
  readonly ingress?: ApiObject;

  constructor(scope: Construct, id: string, props: TenantServiceProps) {
    super(scope, id);
    const { ingress, ...workload } = props;
    this.workload = new HardenedWorkload(this, "workload", workload);
    if (!ingress) return;
    const className = (ingress.scheme ?? "internal") === "internal" ? INGRESS_CLASS_NAMES.internal : INGRESS_CLASS_NAMES.internetFacing;
    this.ingress = new ApiObject(this, "ingress", {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels, "app.kubernetes.io/name": props.name, ...MANAGED_BY_LABEL },
        annotations: { ...TENANT_INGRESS_ANNOTATIONS },
      },
      spec: {
        ingressClassName: className,
        tls: [{ hosts: [ingress.host] }],
        rules: [
          {
            host: ingress.host,
            http: { paths: [{ path: ingress.path ?? "/", pathType: "Prefix", backend: { service: { name: props.name, port: { number: props.port } } } }] },
          },
        ],
      },
    });
  }
}
