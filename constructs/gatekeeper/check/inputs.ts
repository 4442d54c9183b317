/**
 * The inputs of `check` beyond manifest files: standard input (`-`), Dockerfiles (by name or given
 * explicitly), and objects with a pod template no ExpansionTemplate covers (reported as not checked).
 */
import { readFileSync } from "node:fs";
import type { DockerfileFinding, DockerfileRuleOptions } from "../../dockerfile";
import { DockerfileSyntaxError, checkDockerfileText, isDockerfileName } from "../../dockerfile";
import type { ExpansionTemplateObject } from "../engine/expansion";
import { expandObject } from "../engine/expansion";
import type { InputObject, InputProblem } from "./manifests";
import { decodableObjects } from "./kubernetes-types";
import { collectFiles, readManifestFile, readYamlExact } from "./manifests";

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

/** Reads every input: manifests (objects) and Dockerfiles (their text), collecting problems. */
export function readInputs(
  inputs: CheckInputs,
  problems: InputProblem[],
  stdin: () => string = readStdin,
): { objects: InputObject[]; dockerfiles: { file: string; text: string }[] } {
  const objects: InputObject[] = [];
  const dockerfiles: { file: string; text: string }[] = [];
  const readText = (file: string): string | undefined => {
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      problems.push({ file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return undefined;
    }
  };
  const explicitDockerfiles = inputs.dockerfiles ?? [];
  if ([...inputs.paths, ...explicitDockerfiles].filter((p) => p === STDIN).length > 1) {
    problems.push({ file: "(arguments)", message: "standard input (-) can be read only once; name it once" });
    return { objects, dockerfiles };
  }
  for (const file of explicitDockerfiles) {
    const text = file === STDIN ? stdin() : readText(file);
    if (text !== undefined) dockerfiles.push({ file: file === STDIN ? "(stdin)" : file, text });
  }
  const files = collectFiles(inputs.paths.filter((p) => p !== STDIN), problems);
  for (const file of files) {
    if (isDockerfileName(file)) {
      const text = readText(file);
      if (text !== undefined) dockerfiles.push({ file, text });
    } else {
      objects.push(...readManifestFile(file, problems));
    }
  }
  if (inputs.paths.includes(STDIN)) readYamlExact("(stdin)", stdin(), objects, problems);
  // Read as kubectl reads, then decoded as the API server decodes: a value of the wrong type is bad input.
  return { objects: decodableObjects(objects, problems), dockerfiles };
}

/** Checks each Dockerfile; a file docker could not build is a problem. */
export function checkDockerfiles(dockerfiles: readonly { file: string; text: string }[], options: DockerfileRuleOptions, problems: InputProblem[]): DockerfileResult[] {
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
