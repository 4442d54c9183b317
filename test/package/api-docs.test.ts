/**
 * docs/api.md stays in sync with the source: every prop of every exported `…Props` / `…Args` interface of
 * the library has a row under its interface's heading, optional props document their default and required
 * ones say so, and no row documents a prop that no longer exists.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const LIBRARY_DIRS = ["config", "constructs", "lib"];

interface SourceProp {
  readonly name: string;
  readonly optional: boolean;
  readonly hasDefaultTag: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Exported interfaces named `…Props` or `…Args`, with their property signatures, read with the TS parser. */
function documentedInterfaces(): Map<string, { file: string; props: SourceProp[] }> {
  const found = new Map<string, { file: string; props: SourceProp[] }>();
  for (const file of LIBRARY_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement) || !/(Props|Args)$/.test(statement.name.text)) continue;
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      const props = statement.members.filter(ts.isPropertySignature).map((member) => ({
        name: member.name.getText(source),
        optional: member.questionToken !== undefined,
        hasDefaultTag: ts.getJSDocTags(member).some((tag) => tag.tagName.text === "default"),
      }));
      found.set(statement.name.text, { file: relative(ROOT, file), props });
    }
  }
  return found;
}

/** The `#### \`Name\`` sections of docs/api.md: prop name → the row's default column. */
function docSections(markdown: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^#{1,6} /.test(line) ? /^#### `(\w+)`\s*$/.exec(line) : null;
    if (/^#{1,6} /.test(line)) {
      current = heading ? new Map() : undefined;
      if (heading && current) sections.set(heading[1], current);
      continue;
    }
    const row = /^\| `(\w+)` \|([^|]*)\|([^|]*)\|/.exec(line.replace(/\\\|/g, "/"));
    if (current && row) current.set(row[1], row[3].trim());
  }
  return sections;
}

const interfaces = documentedInterfaces();
const sections = docSections(readFileSync(join(ROOT, "docs", "api.md"), "utf8"));

test("the library has the public props interfaces this page documents", () => {
  // Guards the scan itself: if it found nothing, every check below would pass vacuously.
  expect([...interfaces.keys()]).toEqual(expect.arrayContaining(["HardenedWorkloadProps", "TenantNamespaceProps", "HardenedEksClusterArgs", "GatekeeperReleaseArgs"]));
});

describe.each([...interfaces.entries()])("docs/api.md documents %s", (name, { file, props }) => {
  test("under its own heading, every prop with a row; no row for a prop that does not exist", () => {
    const section = sections.get(name);
    if (!section) throw new Error(`docs/api.md has no "#### \`${name}\`" section (interface in ${file})`);
    expect({ interface: name, missing: props.map((p) => p.name).filter((p) => !section.has(p)) }).toEqual({ interface: name, missing: [] });
    const known = new Set(props.map((p) => p.name));
    expect({ interface: name, stale: [...section.keys()].filter((p) => !known.has(p)) }).toEqual({ interface: name, stale: [] });
  });

  test("optional props carry an @default in source and a default in the docs; required props say required", () => {
    const section = sections.get(name) ?? new Map<string, string>();
    const problems = props.flatMap((p) => {
      const documented = section.get(p.name) ?? "";
      if (p.optional && !p.hasDefaultTag) return [`${p.name}: optional in ${file} without an @default`];
      if (p.optional && (documented === "" || documented === "required")) return [`${p.name}: optional, but the docs give no default`];
      if (!p.optional && documented !== "required") return [`${p.name}: required, but the docs say "${documented}"`];
      return [];
    });
    expect(problems).toEqual([]);
  });
});
