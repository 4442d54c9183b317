export * from "./cluster";
export * from "./addons/load-balancer-controller";
export * from "./addons/encrypted-storage-class";
export * from "./addons/tenant-workload-identity";
