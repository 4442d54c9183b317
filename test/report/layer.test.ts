import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "../support/repo";

/**
 * report/ is pure over its input (config, plan, charts, policies, suite results): it reads no files, runs
 * nothing, and never reaches up into stacks/ (which plans, synthesizes and writes) or down into test/.
 */
const REPORT_DIR = join(REPO_ROOT, "report");

/** Every module specifier of a source: imports, re-exports, `import()` and `require()`; `type` marks type-only ones. */
function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const file = ts.createSourceFile("m.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) found.push({ specifier: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Why an import breaks the report's layer, or undefined when it is fine. */
function violation(fromFile: string, specifier: string, typeOnly: boolean): string | undefined {
  if (specifier.startsWith(".")) {
    const target = relative(REPO_ROOT, resolve(dirname(fromFile), specifier));
    if (/^(stacks|test|bench)(\/|$)/.test(target)) return `imports ${target}`;
    if (!typeOnly && /^(config\/load|constructs\/synthesize|constructs\/app|lib\/plan\/engine|lib\/plan\/mocks)$/.test(target))
      return `runs ${target} (a loader or the engine)`;
    return undefined;
  }
  if (!typeOnly && /^(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads)$/.test(specifier)) return `uses ${specifier}`;
  return undefined;
}

function violations(files: readonly string[], read: (file: string) => string): string[] {
  return files.flatMap((file) =>
    importsOf(read(file)).flatMap(({ specifier, typeOnly }) => {
      const why = violation(file, specifier, typeOnly);
      return why ? [`${relative(REPO_ROOT, file)} ${why}`] : [];
    }),
  );
}

describe("report/ is pure over its input", () => {
  const files = sourcesUnder(REPORT_DIR);

  it("has sources to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("imports nothing from stacks/, test/ or bench/, reads no files and runs no loader", () => {
    expect(violations(files, (f) => readFileSync(f, "utf8"))).toEqual([]);
  });

  it("would catch a planted import of stacks/, node:fs, a loader, require() and a re-export", () => {
    const planted = join(REPORT_DIR, "catalog", "planted.ts");
    const sources: Record<string, string> = {
      [planted]: [
        'import { planStack } from "../../stacks/plan";',
        'import { readFileSync } from "node:fs";',
        'import { loadStackFile } from "../../config/load";',
        'const cp = require("child_process");',
        'export { devConfig } from "../../test/support/repo";',
        'import type { Plan } from "../../lib/plan/engine";',
      ].join("\n"),
    };
    expect(violations([planted], (f) => sources[f])).toEqual([
      "report/catalog/planted.ts imports stacks/plan",
      "report/catalog/planted.ts uses node:fs",
      "report/catalog/planted.ts runs config/load (a loader or the engine)",
      "report/catalog/planted.ts uses child_process",
      "report/catalog/planted.ts imports test/support/repo",
    ]);
  });
});
