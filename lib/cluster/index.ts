export * from "./access";
export * from "./args";
export * from "./control-plane";
export * from "./hardened-cluster";
export * from "./kubeconfig";
export * from "./policies";
