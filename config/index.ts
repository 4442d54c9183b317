export * from "./errors";
export * from "./fields";
export * from "./cluster";
export * from "./tenants";
export * from "./policy";
export * from "./model";
export * from "./cross-checks";
export * from "./load";
