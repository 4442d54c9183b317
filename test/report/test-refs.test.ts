import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTROLS } from "../../report/catalog";
import { REPO_ROOT } from "../support/repo";
import { declaresTest, testTitles } from "../support/test-titles";

describe("the test each control cites", () => {
  const cited = CONTROLS.filter((c) => c.test).map((c) => [c.id, c.test!.file, c.test!.name] as const);

  it("every enforceable control cites one, in a test file", () => {
    expect(CONTROLS.filter((c) => c.enforcement.mechanism !== "organizational" && !c.test).map((c) => c.id)).toEqual([]);
    expect(cited.filter(([, file]) => !/^test\/.+\.test\.ts$/.test(file) || !existsSync(join(REPO_ROOT, file))).map(([id]) => id)).toEqual([]);
  });

  it("every cited test title is declared in its file (lists the ones that are not)", () => {
    const titles = new Map<string, string[][]>();
    const unknown = cited.filter(([, file, name]) => {
      if (!titles.has(file)) titles.set(file, testTitles(readFileSync(join(REPO_ROOT, file), "utf8"), file));
      return !declaresTest(titles.get(file)!, name);
    });
    expect(unknown.map(([id, file, name]) => `${id}: ${file} › ${name}`)).toEqual([]);
  });
});

describe("reading test titles from a test file", () => {
  const source = `
    describe("outer", () => {
      it("plain", () => {});
      test.each([[1]])("value %p is rejected", () => {});
      describe.each(["a", "b"])("tenant %s", (t) => {
        test(\`template \${t} case\`, () => {});
        it.only('single quotes', () => {});
      });
    });
    it("top level", () => {});
    test.skip(\`no substitution\`, () => {});
    it.each([["AWS-X", "the key", () => 1], ["K8S-Y", "the policy", () => 2]])("%s without %s", () => {});
    it.each(computedRows)("row %s", () => {});
    const helper = (x: string) => expect(x).toBe("describe");
  `;
  const titles = testTitles(source);

  it("nests describe blocks, reads .each (literal tables row by row), .only, .skip and template literals", () => {
    expect(titles).toEqual([
      ["outer", "plain"],
      ["outer", "value %p is rejected"],
      ["outer", "tenant a", "template ${…} case"],
      ["outer", "tenant a", "single quotes"],
      ["outer", "tenant b", "template ${…} case"],
      ["outer", "tenant b", "single quotes"],
      ["top level"],
      ["no substitution"],
      ["AWS-X without the key"],
      ["K8S-Y without the policy"],
      ["row %s"],
    ]);
  });

  it("matches a full path exactly, or through placeholders", () => {
    expect(declaresTest(titles, "outer › plain")).toBe(true);
    expect(declaresTest(titles, "outer › value 6 is rejected")).toBe(true);
    expect(declaresTest(titles, "outer › tenant b › template b case")).toBe(true);
    expect(declaresTest(titles, "outer › tenant a › single quotes")).toBe(true);
    expect(declaresTest(titles, "row 7")).toBe(true);
  });

  it("rejects a wrong title, a partial path, a path with the wrong parent, and an empty placeholder", () => {
    expect(declaresTest(titles, "outer › plan")).toBe(false);
    expect(declaresTest(titles, "plain")).toBe(false);
    expect(declaresTest(titles, "top level › plain")).toBe(false);
    expect(declaresTest(titles, "outer › value  is rejected")).toBe(false);
    expect(declaresTest(titles, "outer › tenant web")).toBe(false);
    expect(declaresTest(titles, "outer › tenant c › single quotes")).toBe(false);
    // A literal each-table is expanded row by row: only its own rows match.
    expect(declaresTest(titles, "AWS-X without the key")).toBe(true);
    expect(declaresTest(titles, "AWS-X without the policy")).toBe(false);
    expect(declaresTest(titles, "%s without %s")).toBe(false);
  });
});
