import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { MANAGED_BY_LABEL } from "./defaults";

/**
 * Where the EKS Pod Identity agent serves credentials to pods (its link-local addresses, port 80; EKS User
 * Guide, "Set up the Amazon EKS Pod Identity Agent"). The agent runs on the host network and calls the EKS
 * Auth API itself, so a pod needs no other egress to get its credentials.
 */
export const POD_IDENTITY_AGENT = { ipv4: "169.254.170.23/32", ipv6: "fd00:ec2::23/128", port: 80 } as const;

/** The label a pod carries to use a workload identity (its value: the identity's service account). */
export const WORKLOAD_IDENTITY_LABEL = "bulwark.dev/workload-identity";

export interface WorkloadIdentityAccessProps {
  /** The tenant namespace. */
  readonly namespace: string;
  /** The service account the IAM role is associated with (never `default`). */
  readonly serviceAccountName: string;
}

/**
 * The in-cluster side of a tenant workload's AWS identity: its service account (no API token mounted: Pod
 * Identity injects its own token, for the agent's audience only) and egress to the Pod Identity agent,
 * opened only for the pods labelled `bulwark.dev/workload-identity: <name>`. The IAM role and its Pod
 * Identity association are `TenantWorkloadIdentity` in lib/.
 */
export class WorkloadIdentityAccess extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadIdentityAccessProps) {
    super(scope, id);
    if (props.serviceAccountName === "default") {
      throw new Error(`WorkloadIdentityAccess ${props.namespace}: the default service account would give the identity to every pod; name one`);
    }
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...MANAGED_BY_LABEL } });
    new k8s.KubeServiceAccount(this, "service-account", { metadata: metadata(props.serviceAccountName), automountServiceAccountToken: false });
    new k8s.KubeNetworkPolicy(this, "agent-egress", {
      metadata: metadata(`allow-pod-identity-${props.serviceAccountName}`),
      spec: {
        podSelector: { matchLabels: { [WORKLOAD_IDENTITY_LABEL]: props.serviceAccountName } },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.ipv4 } }, { ipBlock: { cidr: POD_IDENTITY_AGENT.ipv6 } }],
            ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT.port) }],
          },
        ],
      },
    });
  }
}
