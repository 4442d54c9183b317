/**
 * `check` as a library (the package's `bulwark/gatekeeper` entry): read manifests, evaluate them against a
 * stack's synthesized Gatekeeper objects, render the outcome as text, JSON or SARIF.
 */
export * from "./checker";
export * from "./manifests";
export * from "./admission";
export * from "./formats";
