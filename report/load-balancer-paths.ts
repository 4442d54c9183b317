/**
 * Ways in through the AWS Load Balancer Controller, from the synthesized objects (never hard-coded): each
 * Ingress of a tenant namespace, the IngressClass it names and the scheme that class's IngressClassParams
 * force, the Service it routes to and that Service's pods, and whether a NetworkPolicy of the namespace lets
 * the ALB's IP targets (the VPC CIDR) reach those pods on the target port. A path without that policy is
 * shown as blocked: under default deny the ALB would get no answer.
 */
import { cidrContains, cidrNetwork } from "../config/fields";
import type { SynthesizedChart } from "../constructs/synthesize";
import { asLabelSelector, selectorMatches } from "../constructs/label-selector";
import type { K8sObject } from "./evidence";
import { asArray, field, nameOf, namespaceOf, objectsOfKind } from "./evidence";

/** One Ingress → Service → pods path. */
export interface LoadBalancerPath {
  readonly namespace: string;
  readonly ingress: string;
  /** The IngressClass the Ingress names (`(default)` resolved to the default class). */
  readonly ingressClass: string;
  /** The scheme its IngressClassParams force; `unknown` when no IngressClassParams decide it. */
  readonly scheme: string;
  readonly hosts: readonly string[];
  /** `<service>:<port>`. */
  readonly service: string;
  /** The pods' port (the Service's targetPort) and their selector, as `key=value` pairs. */
  readonly pods: string;
  /** The NetworkPolicies admitting the VPC CIDR to those pods on that port; empty: blocked. */
  readonly admittedBy: readonly string[];
}

const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

/** The class an Ingress gets: its ingressClassName, else the cluster's default class (as the API server defaults it). */
function classOf(ingress: K8sObject, classes: readonly K8sObject[]): string {
  const named = field(ingress, "spec", "ingressClassName");
  if (typeof named === "string") return named;
  const defaults = classes.filter((c) => field(c, "metadata", "annotations", DEFAULT_CLASS_ANNOTATION) === "true");
  return defaults.length === 1 ? nameOf(defaults[0]) : "(none)";
}

function schemeOf(className: string, classes: readonly K8sObject[], params: readonly K8sObject[]): string {
  const ingressClass = classes.find((c) => nameOf(c) === className);
  if (!ingressClass || field(ingressClass, "spec", "parameters", "kind") !== "IngressClassParams") return "unknown";
  const found = params.find((p) => nameOf(p) === field(ingressClass, "spec", "parameters", "name"));
  const scheme = found ? field(found, "spec", "scheme") : undefined;
  return typeof scheme === "string" ? scheme : "unknown";
}

/** The NetworkPolicies of `namespace` whose ingress admits `vpcCidr` to pods with `labels` on `port`. */
function admitting(
  policies: readonly K8sObject[],
  namespace: string,
  labels: Readonly<Record<string, string>>,
  port: number,
  vpcCidr: string | undefined,
): string[] {
  const vpc = vpcCidr ? cidrNetwork(vpcCidr)?.canonical : undefined;
  if (!vpc) return [];
  return policies
    .filter((p) => namespaceOf(p) === namespace && selectorMatches(asLabelSelector(field(p, "spec", "podSelector")) ?? {}, labels))
    .filter((p) =>
      asArray(field(p, "spec", "ingress")).some((rule) => {
        const ports = asArray(field(rule, "ports"));
        const portOk = ports.length === 0 || ports.some((q) => Number(field(q, "port")) === port && String(field(q, "protocol") ?? "TCP") === "TCP");
        const fromOk = asArray(field(rule, "from")).some((peer) => {
          const block = field(peer, "ipBlock", "cidr");
          return (
            typeof block === "string" && cidrNetwork(block) !== undefined && cidrContains(block, vpc) && asArray(field(peer, "ipBlock", "except")).length === 0
          );
        });
        return portOk && fromOk;
      }),
    )
    .map(nameOf)
    .sort();
}

/** Every Ingress → Service → pods path of the tenant namespaces in `charts`, sorted. */
export function loadBalancerPaths(charts: readonly SynthesizedChart[], vpcCidr: string | undefined): LoadBalancerPath[] {
  const tenants = new Set(objectsOfKind(charts, "Namespace").map(nameOf));
  const classes = objectsOfKind(charts, "IngressClass");
  const params = objectsOfKind(charts, "IngressClassParams");
  const services = objectsOfKind(charts, "Service");
  const policies = objectsOfKind(charts, "NetworkPolicy");
  const paths: LoadBalancerPath[] = [];
  for (const ingress of objectsOfKind(charts, "Ingress")) {
    const namespace = namespaceOf(ingress) ?? "default";
    if (!tenants.has(namespace)) continue;
    const ingressClass = classOf(ingress, classes);
    const scheme = schemeOf(ingressClass, classes, params);
    for (const rule of asArray(field(ingress, "spec", "rules"))) {
      for (const httpPath of asArray(field(rule, "http", "paths"))) {
        const serviceName = String(field(httpPath, "backend", "service", "name"));
        const servicePort = Number(field(httpPath, "backend", "service", "port", "number"));
        const service = services.find((s) => nameOf(s) === serviceName && namespaceOf(s) === namespace);
        const port = asArray(field(service, "spec", "ports")).find((p) => Number(field(p, "port")) === servicePort);
        const targetPort = Number(field(port, "targetPort") ?? servicePort);
        const selector = (field(service, "spec", "selector") ?? {}) as Record<string, string>;
        paths.push({
          namespace,
          ingress: nameOf(ingress),
          ingressClass,
          scheme,
          hosts: [String(field(rule, "host") ?? "*")],
          service: `${serviceName}:${servicePort}`,
          pods: service
            ? `${targetPort}/TCP on ${Object.entries(selector)
                .map(([k, v]) => `${k}=${v}`)
                .sort()
                .join(",")}`
            : "(no such Service)",
          admittedBy: service && Object.keys(selector).length > 0 ? admitting(policies, namespace, selector, targetPort, vpcCidr) : [],
        });
      }
    }
  }
  return paths.sort((a, b) => `${a.namespace}/${a.ingress}/${a.service}`.localeCompare(`${b.namespace}/${b.ingress}/${b.service}`));
}
