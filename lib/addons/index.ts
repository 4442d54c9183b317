export * from "./addons";
