/**
 * The test titles a jest file declares, read from its syntax tree (TypeScript's parser), so a citation of
 * a test can be checked without running it. Each title is the path of `describe` blocks down to the
 * `it`/`test`, joined by ` › ` as jest prints it. Titles computed at run time stay patterns: printf
 * placeholders of `.each` tables (`%s`, `%p`, …), `$variable` and template-literal substitutions match
 * any text.
 */
import ts from "typescript";

const BLOCKS = new Set(["describe", "it", "test"]);
const MODIFIERS = new Set(["only", "skip", "concurrent", "failing"]);

/** `describe`, `it.only`, `test.each(table)`, … : the block name, or undefined for any other call. */
function blockOf(callee: ts.Expression): string | undefined {
  let current = callee;
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === "each")
    current = current.expression.expression;
  while (ts.isPropertyAccessExpression(current) && MODIFIERS.has(current.name.text)) current = current.expression;
  return ts.isIdentifier(current) && BLOCKS.has(current.text) ? current.text : undefined;
}

/** A literal cell of an each-table as jest prints it for `%s`, or undefined when it is computed. */
function cellText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return node.text;
  return undefined;
}

/**
 * The rows of a literal `.each([...])` table (arrays of cells, or single cells), or undefined when the
 * table is computed. A computed cell stays undefined: its placeholder remains a pattern.
 */
function eachRows(callee: ts.Expression): (string | undefined)[][] | undefined {
  if (!ts.isCallExpression(callee) || !ts.isPropertyAccessExpression(callee.expression) || callee.expression.name.text !== "each") return undefined;
  const table = callee.arguments[0];
  if (!table || !ts.isArrayLiteralExpression(table)) return undefined;
  return table.elements.map((row) => (ts.isArrayLiteralExpression(row) ? row.elements.map(cellText) : [cellText(row)]));
}

/** `title` with its `%s`/`%d`/`%i` placeholders filled from one row, in order (jest's printf). */
function fill(title: string, row: readonly (string | undefined)[]): string {
  let index = 0;
  return title.replace(/%[sdi]/g, (placeholder) => row[index++] ?? placeholder);
}

/** The title as written; template substitutions become `${…}` (a wildcard when matching). */
function titleOf(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `\${…}${span.literal.text}`).join("");
  return undefined;
}

/** Every test of `source` as its title path (segments from the outermost describe). */
export function testTitles(source: string, fileName = "test.ts"): string[][] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[][] = [];
  const visit = (node: ts.Node, path: readonly string[]): void => {
    if (ts.isCallExpression(node)) {
      const block = blockOf(node.expression);
      const title = block ? titleOf(node.arguments[0]) : undefined;
      if (block && title !== undefined) {
        const titles = eachRows(node.expression)?.map((row) => fill(title, row)) ?? [title];
        for (const t of titles) {
          if (block !== "describe") found.push([...path, t]);
          else node.arguments.slice(1).forEach((arg) => visit(arg, [...path, t]));
        }
        if (block !== "describe") node.arguments.slice(1).forEach((arg) => visit(arg, path));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, path));
  };
  visit(file, []);
  return found;
}

const PLACEHOLDER = /%[spdifjo#%]|\$\{…\}|\$[A-Za-z_][\w.]*/g;

/** Does one cited title segment match one declared segment (exactly, or through its placeholders)? */
function segmentMatches(declared: string, cited: string): boolean {
  if (declared === cited) return true;
  const parts = declared.split(PLACEHOLDER).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return parts.length > 1 && new RegExp(`^${parts.join(".+")}$`).test(cited);
}

/** Does `name` (`describe › it`) name one of the declared tests? */
export function declaresTest(titles: readonly (readonly string[])[], name: string): boolean {
  const cited = name.split(" › ");
  return titles.some((path) => path.length === cited.length && path.every((segment, i) => segmentMatches(segment, cited[i])));
}
