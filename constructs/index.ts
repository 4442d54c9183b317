export * from "./baseline/defaults";
export * from "./baseline/tenant-namespace";
export * from "./network/tenant-network-policies";
export * from "./rbac/tenant-roles";
export * from "./workload/hardened-workload";
export * from "./app";
export * from "./synthesize";
