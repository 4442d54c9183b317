export * from "./addons";
export * from "./load-balancer-controller";
export * from "./encrypted-storage-class";
export * from "./tenant-workload-identity";
export * from "./network-policy-logs";
