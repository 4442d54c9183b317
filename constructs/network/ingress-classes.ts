import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { MANAGED_BY_LABEL } from "../baseline/defaults";

/**
 * The AWS Load Balancer Controller's IngressClassParams API. Schema: `config/crd/bases/elbv2.k8s.aws_ingressclassparams.yaml`
 * of kubernetes-sigs/aws-load-balancer-controller at v3.5.0 (the chart Bulwark pins), vendored as test data in
 * `test/fixtures/crds/`. The controller's IngressClass controller name is `ingress.k8s.aws/alb`
 * (helm/aws-load-balancer-controller/templates/ingressclass.yaml and docs/guide/ingress/ingress_class.md, same tag).
 */
export const INGRESS_CLASS_PARAMS_API = { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams" } as const;
export const ALB_INGRESS_CONTROLLER = "ingress.k8s.aws/alb";

/** The IngressClasses Bulwark creates, by what their ALBs are. */
export const INGRESS_CLASS_NAMES = {
  /** The default class: its IngressClassParams force internal ALBs. */
  internal: "alb",
  /** Internet-facing ALBs, only for Ingresses in the namespaces the stack config names public. */
  internetFacing: "alb-internet-facing",
} as const;

/**
 * The TLS policy of every HTTPS listener: TLS 1.3 and 1.2 only, the policy AWS recommends and gives console
 * listeners (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * The controller's own default is ELBSecurityPolicy-2016-08, which still accepts TLS 1.0
 * (docs/guide/ingress/annotations.md at v3.5.0, `ssl-policy`); IngressClassParams win over the annotation.
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface AlbIngressClassesProps {
  /**
   * Namespaces whose Ingresses may use the internet-facing class (`bulwark:policy.publicLoadBalancerNamespaces`).
   * @default [] (no internet-facing class exists)
   */
  readonly publicNamespaces?: readonly string[];
}

/**
 * The ALB IngressClasses, each bound to IngressClassParams whose settings win over any Ingress annotation:
 * - `alb`, the cluster's default class: scheme `internal`, for every namespace;
 * - both: HTTPS listeners with {@link ALB_SSL_POLICY};
 * - `alb-internet-facing` (only when some namespace is public): scheme `internet-facing`, and a
 *   `namespaceSelector` on the immutable `kubernetes.io/metadata.name` label so the controller refuses it
 *   for an Ingress in any other namespace.
 * Created after the controller's chart, which installs the IngressClassParams CRD (the chart itself
 * advises creating IngressClassParams separately, after the controller runs).
 */
export class AlbIngressClasses extends Construct {
  constructor(scope: Construct, id: string, props: AlbIngressClassesProps = {}) {
    super(scope, id);
    const publicNamespaces = [...new Set(props.publicNamespaces ?? [])].sort();
    this.ingressClass("internal", INGRESS_CLASS_NAMES.internal, { scheme: "internal", sslPolicy: ALB_SSL_POLICY }, true);
    if (publicNamespaces.length > 0) {
      this.ingressClass(
        "internet-facing",
        INGRESS_CLASS_NAMES.internetFacing,
        {
          scheme: "internet-facing",
          sslPolicy: ALB_SSL_POLICY,
          namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: publicNamespaces }] },
        },
        false,
      );
    }
  }

  private ingressClass(id: string, name: string, paramsSpec: Record<string, unknown>, isDefault: boolean): void {
    const labels = { ...MANAGED_BY_LABEL };
    new ApiObject(this, `${id}-params`, { ...INGRESS_CLASS_PARAMS_API, metadata: { name, labels }, spec: paramsSpec });
    new ApiObject(this, id, {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name, labels, ...(isDefault ? { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } } : {}) },
      spec: {
        controller: ALB_INGRESS_CONTROLLER,
        parameters: { apiGroup: INGRESS_CLASS_PARAMS_API.apiVersion.split("/")[0], kind: INGRESS_CLASS_PARAMS_API.kind, name },
      },
    });
  }
}
