import { createHash } from "node:crypto";
import { readManifestFile } from "../../constructs/gatekeeper/check/manifests";
import { generateCorpus, POD_FORMS, setPath, toYamlDocument } from "../../conformance/corpus";
import { FIELD_CATALOGUE, REMOVE } from "../../conformance/corpus/mutations";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const digest = (cases: ReturnType<typeof generateCorpus>) =>
  createHash("sha256")
    .update(cases.map((c) => c.id + c.label + c.documents.map((d) => toYamlDocument(d as never)).join("\n")).join("\n"))
    .digest("hex");

describe("differential corpus", () => {
  const corpus = generateCorpus();
  const objects = corpus.flatMap((c) => c.objects);

  it("has at least 10,000 objects, every id unique", () => {
    expect(objects.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
  });

  it("is deterministic for a seed, and another seed changes the random combinations only", () => {
    expect(digest(generateCorpus())).toBe(digest(corpus));
    const other = generateCorpus({ seed: 2 });
    expect(digest(other)).not.toBe(digest(corpus));
    const singles = corpus.filter((c) => !c.label.includes(" + "));
    expect(other.slice(0, singles.length).map((c) => c.label)).toEqual(singles.map((c) => c.label));
  });

  it("nests every Pod mutation in every controller kind and in a List", () => {
    const label = "app.securityContext.privileged=yes";
    const forms = corpus.filter((c) => c.label.startsWith(`${label} in `)).map((c) => c.label.slice(label.length + 4));
    expect(forms.sort()).toEqual([...POD_FORMS, "a List"].sort());
  });

  it("mutates every catalogued field: each value, null and removed", () => {
    for (const field of FIELD_CATALOGUE.filter((f) => !f.required)) {
      const at = `${field.kind ?? field.target}.${field.path}`;
      expect(corpus.some((c) => c.label.startsWith(`${at} removed`))).toBe(true);
      expect(corpus.some((c) => c.label.startsWith(`${at}=null`))).toBe(true);
    }
  });

  it("writes unquoted YAML 1.1 tokens that check's reader reads as text, and Lists check reads item by item", () => {
    const list = corpus.find((c) => c.label === "app.securityContext.privileged=yes in a List")!;
    const file = join(mkdtempSync(join(tmpdir(), "corpus-")), "list.yaml");
    writeFileSync(file, toYamlDocument(list.documents[0] as never));
    expect(toYamlDocument(list.documents[0] as never)).toContain('"privileged":yes');
    const read = readManifestFile(file, []);
    expect(read.map((o) => (o.object.metadata as { name: string }).name)).toEqual(list.objects.map((o) => (o.metadata as { name: string }).name));
  });

  it("setPath creates, replaces and removes (list items spliced)", () => {
    const root: Record<string, never> = {};
    setPath(root, "a.b[0].c", 1 as never);
    expect(root).toEqual({ a: { b: { 0: { c: 1 } } } });
    const withList = { l: [{ x: 1 }, { x: 2 }] };
    setPath(withList as never, "l[0]", REMOVE);
    expect(withList).toEqual({ l: [{ x: 2 }] });
    setPath(withList as never, "missing.deep", REMOVE);
    expect(withList).toEqual({ l: [{ x: 2 }] });
  });
});
