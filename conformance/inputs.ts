/**
 * The objects the differential judge gives both engines: every suite sample, every Pod Security fixture
 * (also nested in each controller kind), and the generated corpus. Each object carries its case id in an
 * annotation, so gator's violations (which name the violating object) join back to `check`'s.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { InputProblem } from "../constructs/gatekeeper/check/manifests";
import { readManifestFile } from "../constructs/gatekeeper/check/manifests";
import type { CorpusCase, PodForm } from "./corpus";
import { generateCorpus, POD_FORMS, wrapPod } from "./corpus";

type Json = Record<string, unknown>;
type CorpusDocument = CorpusCase["documents"][number];

/** The annotation holding an object's case id. */
export const CASE_ANNOTATION = "conformance.bulwark.dev/case";

/** The Pod Security fixtures: `$BULWARK_PSS_FIXTURES`, `test/fixtures/pod-security`, or `../shared/…`. */
export function findPodSecurityFixtures(projectDir: string): string | undefined {
  const candidates = [
    process.env.BULWARK_PSS_FIXTURES,
    join(projectDir, "test/fixtures/pod-security"),
    join(projectDir, "../shared/fixtures/pod-security"),
    join(projectDir, "../../shared/fixtures/pod-security"),
  ].filter((c): c is string => typeof c === "string" && c !== "");
  return candidates.map((c) => resolve(c)).find((c) => existsSync(c));
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

function readObjects(file: string): CorpusDocument[] {
  const problems: InputProblem[] = [];
  const objects = readManifestFile(file, problems).map((o) => o.object as CorpusDocument);
  if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join("; ")}`);
  return objects;
}

/** Every object of every suite sample (constraint files excluded), one case per object. */
export function suiteSampleCases(policiesDir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of yamlFiles(policiesDir).filter((f) => f.includes("/samples/") && !/constraint[^/]*\.ya?ml$/.test(f))) {
    readObjects(file).forEach((object, n) => {
      const id = `sample:${relative(policiesDir, file)}#${n + 1}`;
      cases.push({ id, label: id, documents: [object], objects: [object] });
    });
  }
  return cases;
}

/** Every distinct Pod Security fixture Pod, as a Pod and nested in each controller kind. */
export function podSecurityFixtureCases(fixturesDir: string): CorpusCase[] {
  const seen = new Set<string>();
  const cases: CorpusCase[] = [];
  for (const file of yamlFiles(fixturesDir)) {
    const text = readFileSync(file, "utf8");
    const digest = createHash("sha256").update(text).digest("hex");
    if (seen.has(digest)) continue; // the same Pod recurs across versions; its verdicts cannot differ
    seen.add(digest);
    for (const pod of readObjects(file)) {
      const metadata = { ...((pod.metadata as Json | undefined) ?? {}), namespace: "payments" };
      for (const form of POD_FORMS) {
        const id = `fixture:${relative(fixturesDir, file)}@${form}`;
        const object = wrapPod(form as PodForm, structuredClone(metadata), structuredClone(pod.spec as Json) as never);
        cases.push({ id, label: id, documents: [object], objects: [object] });
      }
    }
  }
  return cases;
}

/** Sets the case annotation on every object of a case (`<id>` or `<id>#<n>` for several). */
export function annotateCase(c: CorpusCase): Map<string, Json> {
  const byId = new Map<string, Json>();
  c.objects.forEach((object, n) => {
    const id = c.objects.length === 1 ? c.id : `${c.id}#${n}`;
    const o = object as Json;
    if (o.metadata === null || typeof o.metadata !== "object" || Array.isArray(o.metadata)) o.metadata = {};
    const meta = o.metadata as Json;
    if (meta.annotations === null || typeof meta.annotations !== "object" || Array.isArray(meta.annotations)) meta.annotations = {};
    (meta.annotations as Record<string, string>)[CASE_ANNOTATION] = id;
    byId.set(id, o);
  });
  return byId;
}

/** All differential cases: samples, fixtures (when found), corpus. */
export function differentialCases(projectDir: string, policiesDir: string): { cases: CorpusCase[]; fixturesDir?: string } {
  const fixturesDir = findPodSecurityFixtures(projectDir);
  const cases = [
    ...suiteSampleCases(policiesDir),
    ...(fixturesDir ? podSecurityFixtureCases(fixturesDir) : []),
    ...generateCorpus({ seed: 1, minObjects: 10_000 }),
  ];
  return { cases, fixturesDir };
}
