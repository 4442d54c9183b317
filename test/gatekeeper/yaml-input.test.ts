import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { InputObject, InputProblem } from "../../constructs/gatekeeper/check";
import { readYamlExact, readYamlFast } from "../../constructs/gatekeeper/check";
import { POLICIES_DIR } from "../../constructs/gatekeeper/policy";
import { createChecker } from "../../constructs/gatekeeper/check";
import { loadStackFile } from "../../config/load";

function exact(text: string): { document: number; line: number; value: unknown }[] {
  const out: InputObject[] = [];
  const problems: InputProblem[] = [];
  readYamlExact("t.yaml", text, out, problems);
  expect(problems).toEqual([]);
  return out.map((o) => ({ document: o.document, line: o.line, value: o.object }));
}

/** The fast path's reading; where it declines (anchors, directives, lists), the exact path's. */
function fast(text: string) {
  const read = readYamlFast("t.yaml", text) ?? exact(text);
  return read.filter((d) => d.value !== null && d.value !== undefined);
}

const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
const tricky: Record<string, string> = {
  "single document": POD,
  "leading comment and marker": `# header\n\n---\n${POD}`,
  "empty documents between": `${POD}---\n---\n# only a comment\n---\n${POD}`,
  "end markers": `${POD}...\n---\n${POD}...\n`,
  "block scalar with indented dashes": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: |\n    ---\n    not a marker\n---\n${POD}`,
  "trailing marker": `${POD}---\n`,
  CRLF: POD.replace(/\n/g, "\r\n") + "---\r\n" + POD.replace(/\n/g, "\r\n"),
  "numbers and strings":
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  a: '012'\nspec:\n  replicas: 3\n  ratio: 0.5\n  date: 2024-01-01\n  yes: yes\n",
};

describe("the fast YAML path agrees with the exact parser (values, document numbers, lines)", () => {
  it.each(Object.entries(tricky))("%s", (_name, text) => {
    expect(fast(text)).toEqual(exact(text).filter((d) => d.value !== null && d.value !== undefined));
  });

  const samples = readdirSync(POLICIES_DIR).flatMap((policy) => {
    const dir = join(POLICIES_DIR, policy, "samples");
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
  it(`on every policy sample (${samples.length} files)`, () => {
    expect(samples.length).toBeGreaterThan(100);
    for (const file of samples) {
      const text = readFileSync(file, "utf8");
      expect([file, fast(text)]).toEqual([file, exact(text).filter((d) => d.value !== null)]);
    }
  });

  it("declines alias bombs, directives and lists, which only the exact path handles", () => {
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    expect(readYamlFast("t.yaml", bomb)).toBeUndefined();
    expect(readYamlFast("t.yaml", `metadata: &m {name: a}\nspec: *m\n`)).toBeDefined();
    expect(readYamlFast("t.yaml", `%YAML 1.1\n---\n${POD}`)).toBeUndefined();
    expect(readYamlFast("t.yaml", "apiVersion: v1\nkind: PodList\nitems: []\n")).toBeUndefined();
    expect(readYamlFast("t.yaml", POD)).toBeDefined();
  });

  it("leaves errors to the exact parser", () => {
    expect(readYamlFast("t.yaml", "a: 1\na: 2\n")).toBeUndefined();
    expect(readYamlFast("t.yaml", "a: [\n")).toBeUndefined();
  });
});

describe("YAML 1.1 booleans, as kubectl (sigs.k8s.io/yaml) reads them", () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: yes\n  hostPID: On\n  hostIPC: n\n  quoted: "yes"\n  word: yesterday\n';
  const expected = { hostNetwork: true, hostPID: true, hostIPC: false, quoted: "yes", word: "yesterday" };

  it("both parsers read unquoted yes/on/n as booleans, quoted ones as text", () => {
    expect(fast(text)[0].value).toMatchObject({ spec: expected });
    expect(exact(text)[0].value).toMatchObject({ spec: expected });
  });

  it("check denies `privileged: yes` as the cluster would", () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: payments\nspec:\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        privileged: yes\n";
    const checker = createChecker({ config: loadStackFile("dev", join(__dirname, "../..")) });
    const value = fast(pod)[0].value as Record<string, unknown>;
    expect(checker.checkObject(value).map((v) => v.policy)).toContain("K8sPSSPrivileged/pss-privileged");
  });
});
