export * from "./cluster";
export * from "./account";
export * from "./addons";
export * from "./kms";
export * from "./network";
export * from "./nodes";
export type { ClusterScope } from "./scope";
export { chartObjectsOf, hardenedClusterArgsFromConfig } from "./from-config";
