export * from "./cel";
export * from "./match";
export * from "./expansion";
export * from "./evaluator";
