export { INTERFACE_ENDPOINT_SERVICES, createNetwork } from "./vpc";
export type { ClusterNetwork } from "./vpc";
export { createVpcEndpoints } from "./endpoints";
export { CONTROL_PLANE_TO_NODE_PORTS, createSecurityGroups } from "./security-groups";
export type { ClusterSecurityGroups } from "./security-groups";
export { ipv4Subnet, vpcLayout } from "./subnets";
