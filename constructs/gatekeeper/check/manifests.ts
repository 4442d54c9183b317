/**
 * Reading manifests for `check`: files and folders to objects, each with its file, document and line; every
 * problem collected as an {@link InputProblem} (the CLI exits 2 on any).
 */
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { Document } from "yaml";
import { LineCounter, isMap, parseAllDocuments } from "yaml";
import { kubectlYamlTags } from "./yaml-1.1";
import { readYamlFast } from "./documents";

export { documentStartLines, readYamlFast } from "./documents";
import { isDockerfileName } from "../../dockerfile";

/** One problem with the input: file, line, what is wrong. */
export interface InputProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Unreadable files, invalid YAML/JSON, or documents that are not Kubernetes objects. Exit code 2. */
export class CheckInputError extends Error {
  constructor(readonly problems: readonly InputProblem[]) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`).join("\n"));
    this.name = "CheckInputError";
  }
}

/** An object read from a file, with where it came from. */
export interface InputObject {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly object: Record<string, unknown>;
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * Lists the manifest files and Dockerfiles of the given paths (folders recursively, sorted); missing paths,
 * special files and symlink loops are problems. A folder reached again through a symlink elsewhere is read once.
 */
export function collectFiles(paths: readonly string[], problems: InputProblem[]): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (path: string, explicit: boolean, ancestors: readonly string[]): void => {
    let stat;
    let real;
    try {
      stat = statSync(path);
      real = realpathSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ELOOP" ? "ELOOP (a symlink loop)" : (code ?? (error as Error).message);
      problems.push({ file: path, message: `cannot read: ${reason}` });
      return;
    }
    if (stat.isDirectory()) {
      if (ancestors.includes(real)) {
        problems.push({ file: path, message: `symlink loop: ${path} is ${real}, a folder already being read; remove the link or name the files` });
        return;
      }
      if (visited.has(real)) return;
      visited.add(real);
      for (const entry of readdirSync(path).sort()) walk(join(path, entry), false, [...ancestors, real]);
    } else if (!stat.isFile()) {
      // A FIFO or device would block or never end: only regular files are manifests.
      if (explicit) problems.push({ file: path, message: "is not a regular file or folder; name manifest files (.yaml, .yml, .json) or folders" });
    } else if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase()) || isDockerfileName(path)) {
      files.push(path);
    }
  };
  for (const path of paths) walk(path, true, []);
  return files;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Offset of the first JSON syntax error (a small recursive-descent scan; Node does not always say). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (offset) {
    return offset as number;
  }
  return text.length;
}

/** The line of a JSON syntax error. */
function jsonErrorLine(text: string, error: Error): number {
  const match = /position (\d+)/.exec(error.message);
  return lineOf(text, match ? Number(match[1]) : jsonErrorOffset(text));
}

/** `yaml` messages end with "at line L, column C:" and a code excerpt; the problem carries the position already. */
function yamlMessage(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/** Line of list item `index` of a document, when the parser kept positions. */
type ItemLine = (index: number) => number | undefined;

/**
 * Adds a document's object, or each item of a list. As kubectl decides (unstructured `IsList`), any object
 * whose `items` is an array is a list, whatever its kind (List, PodList, DeploymentList...); a list inside a
 * list is refused, as kubectl refuses it.
 */
export function pushObject(
  out: InputObject[],
  problems: InputProblem[],
  file: string,
  document: number,
  line: number,
  value: unknown,
  itemLine?: ItemLine,
): void {
  if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push({ file, line, message: `document ${document} is not a Kubernetes object (a mapping with apiVersion and kind)` });
    return;
  }
  const object = value as Record<string, unknown>;
  if ("items" in object && !Array.isArray(object.items)) {
    problems.push({
      file,
      line,
      message: `document ${document}: items = ${JSON.stringify(object.items)}: must be a list of objects (kubectl reads any object with items as a list)`,
    });
    return;
  }
  if (!Array.isArray(object.items)) {
    pushSingle(out, problems, { file, document, line, object }, `document ${document}`);
    return;
  }
  object.items.forEach((item, index) => {
    const at = itemLine?.(index) ?? line;
    const where = `document ${document} items[${index}]`;
    if (item !== null && typeof item === "object" && !Array.isArray(item) && "items" in item) {
      problems.push({ file, line: at, message: `${where} is a list inside a list; kubectl refuses it: flatten the items` });
    } else if (item === null || typeof item !== "object" || Array.isArray(item)) {
      problems.push({ file, line: at, message: `${where} is not a Kubernetes object (a mapping with apiVersion and kind)` });
    } else {
      pushSingle(out, problems, { file, document, line: at, object: item as Record<string, unknown> }, where);
    }
  });
}

function pushSingle(out: InputObject[], problems: InputProblem[], input: InputObject, where: string): void {
  if (typeof input.object.apiVersion !== "string" || typeof input.object.kind !== "string") {
    problems.push({ file: input.file, line: input.line, message: `${where} has no apiVersion and kind; it is not a Kubernetes object` });
    return;
  }
  out.push(input);
}

/** Item lines of a parsed `yaml` document (the list's `items` sequence). */
function yamlItemLines(doc: Document.Parsed, lineCounter: LineCounter): ItemLine {
  return (index) => {
    const node = isMap(doc.contents) ? doc.getIn(["items", index], true) : undefined;
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
}

/** Reads every object of one file; YAML and JSON errors become problems with line numbers. */
export function readManifestFile(file: string, problems: InputProblem[]): InputObject[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    problems.push({ file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    return [];
  }
  return readManifestText(file, text, problems);
}

/** True when `file` is read as JSON (by its extension), else as YAML. */
export function isJsonFile(file: string): boolean {
  return extname(file).toLowerCase() === ".json";
}

/** Every object of one file's text (see {@link readManifestFile}). */
export function readManifestText(file: string, text: string, problems: InputProblem[]): InputObject[] {
  const out: InputObject[] = [];
  if (isJsonFile(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.push({ file, line: jsonErrorLine(text, error as Error), message: `invalid JSON: ${(error as Error).message.split("\n")[0]}` });
      return out;
    }
    // JSON is YAML: the yaml parser gives the line of each list item.
    const lineCounter = new LineCounter();
    const itemLine = hasItems(value) ? yamlItemLines(parseAllDocuments(text, { lineCounter })[0] as Document.Parsed, lineCounter) : undefined;
    pushObject(out, problems, file, 1, 1, value, itemLine);
    return out;
  }
  const fast = readYamlFast(file, text);
  if (fast) {
    fast.forEach((doc) => pushObject(out, problems, file, doc.document, doc.line, doc.value));
    return out;
  }
  readYamlExact(file, text, out, problems);
  return out;
}

export function hasItems(value: unknown): boolean {
  return value !== null && typeof value === "object" && "items" in value;
}

/** Anchors and aliases a document may use: enough for any real manifest, far too few for an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/**
 * The exact path: the `yaml` parser with kubectl's YAML 1.1 scalar rules ({@link kubectlYamlTags}) and
 * line counting; every syntax error becomes a problem.
 */
export function readYamlExact(file: string, text: string, out: InputObject[], problems: InputProblem[]): void {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, version: "1.1", merge: true, customTags: kubectlYamlTags });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, i) => {
    const start = doc.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    const { yaml, tags } = doc.directives;
    if (yaml.explicit || Object.keys(tags).length > 1 || tags["!!"] !== "tag:yaml.org,2002:") {
      // kubectl splits a file at `---` lines before parsing, so a directive ends up alone: "did not find
      // expected <document start>". A %YAML 1.2 directive would also switch this parser to YAML 1.2.
      problems.push({ file, line, message: "YAML directives (%YAML, %TAG) are not accepted: kubectl cannot read a file with them; remove the directive" });
      return;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const at = error.linePos?.[0];
        problems.push({ file, line: at?.line ?? line, message: `invalid YAML (column ${at?.col ?? 1}): ${yamlMessage(error.message)}` });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push({ file, line, message: `invalid YAML: ${(error as Error).message} (at most ${MAX_ALIAS_COUNT} alias expansions per document)` });
      return;
    }
    // Skip past leading comments/blank lines to the document's first content line.
    const contentStart = doc.contents?.range?.[0] ?? start;
    pushObject(out, problems, file, i + 1, lineCounter.linePos(contentStart).line, value, yamlItemLines(doc, lineCounter));
  });
}
