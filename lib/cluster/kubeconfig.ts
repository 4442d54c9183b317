/** Inputs of a kubeconfig for one EKS cluster. */
export interface KubeconfigInputs {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 certificate authority data, as EKS returns it. */
  readonly certificateAuthorityData: string;
  readonly region: string;
}

/**
 * A kubeconfig that holds no credential: kubectl runs `aws eks get-token` for a short-lived token of the
 * caller's own IAM identity, which the cluster's access entries then authorize.
 */
export function eksKubeconfig({ clusterName, endpoint, certificateAuthorityData, region }: KubeconfigInputs) {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": certificateAuthorityData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    preferences: {},
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  };
}
