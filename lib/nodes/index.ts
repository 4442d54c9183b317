export * from "./node-groups";
