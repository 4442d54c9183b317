/**
 * The inputs of `check` beyond manifest files: standard input (`-`), Dockerfiles (by name or given
 * explicitly), and objects with a pod template no ExpansionTemplate covers (reported as not checked).
 */
import { readFileSync } from "node:fs";
import type { DockerfileFinding, DockerfileRuleOptions } from "../../dockerfile";
import { DockerfileSyntaxError, checkDockerfileText } from "../../dockerfile";
import type { ExpansionTemplateObject } from "../engine/expansion";
import { expandObject } from "../engine/expansion";
import type { InputProblem } from "./manifests";

/** The path that means standard input. */
export const STDIN = "-";

/** One Dockerfile's outcome. */
export interface DockerfileResult {
  readonly file: string;
  readonly findings: readonly DockerfileFinding[];
}

/** Where `check` reads from. */
export interface CheckInputs {
  /** Manifest files and folders; `-` is standard input (YAML or JSON). */
  readonly paths: readonly string[];
  /**
   * Files checked as Dockerfiles whatever their names; `-` is standard input.
   * @default []
   */
  readonly dockerfiles?: readonly string[];
}

/** Reads standard input once (it cannot be read twice); `read` is replaceable for tests. */
export function readStdin(read: () => string = () => readFileSync(0, "utf8")): string {
  return read();
}

/** Checks each Dockerfile; a file docker could not build is a problem. */
export function checkDockerfiles(
  dockerfiles: readonly { file: string; text: string }[],
  options: DockerfileRuleOptions,
  problems: InputProblem[],
): DockerfileResult[] {
  const results: DockerfileResult[] = [];
  for (const { file, text } of dockerfiles) {
    try {
      results.push({ file, findings: checkDockerfileText(text, options) });
    } catch (error) {
      if (!(error instanceof DockerfileSyntaxError)) throw error;
      problems.push({ file, line: error.line, message: error.message });
    }
  }
  return results;
}

/** `spec.template.spec.containers`: the pod template of a controller, Argo Rollout, Knative Service... */
function hasPodTemplate(object: Readonly<Record<string, unknown>>): boolean {
  const spec = object.spec as { template?: { spec?: { containers?: unknown } } } | undefined;
  return Array.isArray(spec?.template?.spec?.containers);
}

/**
 * Why an object is not checked, or undefined: it has a pod template but no ExpansionTemplate applies to its
 * kind, so no constraint sees its containers (the cluster's Gatekeeper would not either).
 */
export function uncheckedReason(object: Readonly<Record<string, unknown>>, expansions: readonly ExpansionTemplateObject[]): string | undefined {
  if (!hasPodTemplate(object)) return undefined;
  if (expandObject(object as Record<string, unknown>, expansions).length > 0) return undefined;
  return `${String(object.apiVersion)} ${String(object.kind)} has a pod template (spec.template.spec.containers) that no ExpansionTemplate covers: its containers were not checked; check the Pods it creates, or add an ExpansionTemplate for the kind`;
}
