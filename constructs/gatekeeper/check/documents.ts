/**
 * The documents of a YAML text, found without parsing (by YAML's rule that `---` and `...` at column 0 are
 * document markers, never content), and the fast reading of one document: js-yaml with kubectl's scalar
 * rules. `check` reads a large file document by document, so it never holds the whole file's objects.
 */
import { loadAll } from "js-yaml";
import { KUBECTL_JS_YAML_SCHEMA } from "./yaml-1.1";

/** One document of a text: its first content line (1-based) and the text `[start, end)` that holds it. */
export interface DocumentRange {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The documents of a YAML text. A document is counted when `---` opens it (its range starts at the marker)
 * or when content precedes any marker; its line is its first content line.
 */
export function documentRanges(text: string): DocumentRange[] {
  const ranges: { line: number; start: number; end: number }[] = [];
  let open = false; // a document is open and counted
  let hasContent = false;
  let lineNumber = 0;
  for (let start = 0; ;) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    lineNumber++;
    // Inside a document with content, only a marker changes anything: other lines (most of a file) are
    // skipped by their first character, without slicing them.
    const first = text.charCodeAt(start);
    if (!(open && hasContent) || first === 0x2d || first === 0x2e) {
      const line = text.slice(start, end).replace(/\r$/, "");
      if (/^---(\s|$)/.test(line)) {
        const rest = line.slice(3).trim();
        if (ranges.length > 0) ranges[ranges.length - 1].end = start;
        ranges.push({ line: lineNumber, start, end: text.length });
        open = true;
        hasContent = rest !== "" && !rest.startsWith("#");
      } else if (/^\.\.\.(\s|$)/.test(line)) {
        open = false;
      } else if (line.trim() !== "" && !line.trimStart().startsWith("#") && !(line.startsWith("%") && !open)) {
        if (!open) {
          if (ranges.length > 0) ranges[ranges.length - 1].end = start;
          ranges.push({ line: lineNumber, start, end: text.length });
          open = true;
          hasContent = true;
        } else if (!hasContent) {
          ranges[ranges.length - 1].line = lineNumber;
          hasContent = true;
        }
      }
    }
    if (newline < 0) return ranges;
    start = newline + 1;
  }
}

/** Start line of each YAML document (see {@link documentRanges}). */
export function documentStartLines(text: string): number[] {
  return documentRanges(text).map((range) => range.line);
}

/** True when the text has a YAML directive (`%YAML`, `%TAG`), which only the exact path handles. */
export function hasDirective(text: string): boolean {
  return /^%/m.test(text);
}

/**
 * The value of one document (the text of one {@link DocumentRange}) by the fast path, js-yaml with kubectl's
 * scalar rules ({@link KUBECTL_JS_YAML_SCHEMA}; duplicate keys are errors), about ten times faster than the
 * exact parser. Returns undefined (the exact path must read the file) on any error, when the range does not
 * hold exactly one document, and for what only the exact path handles: lists, whose items need their own
 * lines, and aliases that expand to more nodes than the text could hold without them (an alias bomb). So
 * problems are always reported by the exact parser, with file, line and column.
 */
export function readDocumentFast(file: string, text: string): { value: unknown } | undefined {
  let values: unknown[];
  try {
    values = loadAll(text, undefined, { schema: KUBECTL_JS_YAML_SCHEMA, filename: file });
  } catch {
    return undefined;
  }
  if (values.length !== 1) return undefined;
  const value = values[0];
  if (value !== null && typeof value === "object" && "items" in value) return undefined;
  // js-yaml shares aliased nodes; walking them later expands them. Without aliases every node takes at
  // least one character of the text, so more nodes than characters means expansion. No `&`, no anchor:
  // nothing can be shared, nothing to count.
  if (text.includes("&") && !withinNodeBudget(value, 2 * text.length + 16)) return undefined;
  return { value };
}

/** Every document of a text by the fast path ({@link readDocumentFast}), or undefined when any needs the exact path. */
export function readYamlFast(file: string, text: string): { document: number; line: number; value: unknown }[] | undefined {
  if (hasDirective(text)) return undefined;
  const out: { document: number; line: number; value: unknown }[] = [];
  for (const range of documentRanges(text)) {
    const read = readDocumentFast(file, text.slice(range.start, range.end));
    if (!read) return undefined;
    out.push({ document: out.length + 1, line: range.line, value: read.value });
  }
  return out;
}

/** True when walking `value` (shared nodes counted each time they are reached) visits at most `budget` nodes. */
function withinNodeBudget(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (--left < 0) return false;
    if (node !== null && typeof node === "object") for (const child of Object.values(node)) stack.push(child);
  }
  return true;
}
