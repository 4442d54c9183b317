export * from "./args";
export * from "./hardened-cluster";
export * from "./kubeconfig";
export * from "./policies";
export { INTERFACE_ENDPOINT_SERVICES } from "./network";
export { ipv4Subnet, vpcLayout } from "./subnets";
