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
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === "each") current = current.expression.expression;
  while (ts.isPropertyAccessExpression(current) && MODIFIERS.has(current.name.text)) current = current.expression;
  return ts.isIdentifier(current) && BLOCKS.has(current.text) ? current.text : undefined;
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
        if (block !== "describe") found.push([...path, title]);
        node.arguments.slice(1).forEach((arg) => visit(arg, block === "describe" ? [...path, title] : path));
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
