/**
 * Judge `differential-gator`: `check` (the library, dev stack) and the real `gator test` (the same
 * synthesized templates, constraints and ExpansionTemplates, from `npm run synth`) agree object by object
 * and violation by violation (constraint and enforcement action) over every suite sample, every Pod
 * Security fixture in every controller kind, and the generated corpus. Both read the same YAML text.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadStackFile } from "../../config/load";
import { createChecker } from "../../constructs/gatekeeper/check/checker";
import { readManifestFile } from "../../constructs/gatekeeper/check/manifests";
import { synthStack } from "../../stacks/synth";
import type { CorpusCase } from "../corpus";
import { toYamlDocument } from "../corpus";
import type { GatorResult } from "../gator";
import { parseGatorTest, runGator } from "../gator";
import { admissionView } from "../../constructs/gatekeeper/check/admission";
import { annotateCase, CASE_ANNOTATION, differentialCases } from "../inputs";
import type { Disagreement, JudgeResult } from "../judge";

/** Props of {@link runDifferential}. */
export interface DifferentialProps {
  readonly gator: string;
  readonly version: string;
  readonly projectDir: string;
  readonly policiesDir: string;
  /** A scratch folder for synth output and batch files (outside the tracked tree). */
  readonly workDir: string;
  /** Objects per `gator test` invocation (its time grows with the batch; 1000 keeps each run well bounded). @default 1000 */
  readonly batchSize?: number;
}

type Json = Record<string, unknown>;
const verdictKey = (policy: string, action: string) => `${policy}:${action}`;

/** The synthesized Gatekeeper files of the dev stack, and a check that the library evaluates the same objects. */
function synthGatekeeper(props: DifferentialProps): { files: string[]; drift?: Disagreement } {
  const outdir = join(props.workDir, "synth");
  const result = synthStack("dev", outdir, props.projectDir);
  const files = result.files.filter((f) => /gatekeeper-(templates|constraints)\.k8s\.yaml$/.test(f)).sort();
  const synthesized = files.flatMap((f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS() as Json));
  const checker = createChecker({ config: loadStackFile("dev", props.projectDir) });
  const same = JSON.stringify(sortByName(synthesized)) === JSON.stringify(sortByName(checker.gatekeeperObjects as Json[]));
  return { files, drift: same ? undefined : { case: "synth", detail: "createChecker evaluates other Gatekeeper objects than npm run synth writes" } };
}

function sortByName(objects: Json[]): Json[] {
  const key = (o: Json) => `${String(o.kind)}/${String((o.metadata as Json | undefined)?.name)}`;
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}

/** check's verdicts, keyed by case id; `check` reads the very text gator reads (its own reader, YAML and Lists). */
function checkVerdicts(cases: readonly CorpusCase[], workDir: string, projectDir: string): { verdicts: Map<string, string[]>; problems: Disagreement[] } {
  const file = join(workDir, "check-input.yaml");
  writeFileSync(file, cases.flatMap((c) => c.documents.map((d) => toYamlDocument(d as never))).join("\n---\n") + "\n");
  const problems: { file: string; line?: number; message: string }[] = [];
  const inputs = readManifestFile(file, problems);
  const checker = createChecker({ config: loadStackFile("dev", projectDir) });
  const report = checker.checkObjects(inputs);
  const verdicts = new Map<string, string[]>();
  report.results.forEach((result, i) => {
    const annotations = ((inputs[i].object.metadata as Json | undefined)?.annotations ?? {}) as Record<string, string>;
    const id = annotations[CASE_ANNOTATION] ?? `(unannotated object ${i})`;
    verdicts.set(id, [...new Set(result.violations.map((v) => verdictKey(v.policy, v.enforcementAction)))].sort());
  });
  return { verdicts, problems: problems.map((p) => ({ case: `check-input.yaml:${p.line ?? 0}`, detail: `check cannot read the input: ${p.message}` })) };
}

/**
 * The objects as the API server decodes them: written as YAML and read back the way kubectl reads manifests
 * (YAML 1.1 scalars; `check`'s reader, held to kubectl's own output by test/gatekeeper/kubectl-yaml.test.ts).
 */
function decodedAsKubectl(objects: readonly CorpusCase["objects"][number][], workDir: string): Json[] {
  const file = join(workDir, "gator-decode.yaml");
  writeFileSync(file, objects.map((o) => toYamlDocument(o as never)).join("\n---\n") + "\n");
  const problems: { file: string; line?: number; message: string }[] = [];
  const decoded = readManifestFile(file, problems).map((o) => o.object);
  if (problems.length > 0) throw new Error(`the corpus cannot be decoded: ${problems.map((p) => p.message).join("; ")}`);
  return decoded;
}

/** gator's verdicts, keyed by case id, from batched `gator test -o json` runs. */
async function gatorVerdicts(props: DifferentialProps, gatekeeperFiles: string[], cases: readonly CorpusCase[]): Promise<Map<string, string[]>> {
  // gator judges objects as written; the cluster's Gatekeeper judges them after the API server decoded them
  // into typed objects (explicit nulls dropped, requests defaulted from limits). `check` applies the same
  // view (constructs/gatekeeper/check/admission.ts), so gator gets it too: the judge compares the engines on
  // what admission sees, and the gatekeeper-admission judge checks the view itself against a real API server.
  const objects = decodedAsKubectl(
    cases.flatMap((c) => c.objects),
    props.workDir,
  ).map(admissionView);
  const size = props.batchSize ?? 1000;
  const verdicts = new Map<string, Set<string>>();
  const batches: string[] = [];
  for (let start = 0; start < objects.length; start += size) {
    const file = join(props.workDir, `gator-batch-${batches.length}.yaml`);
    writeFileSync(
      file,
      objects
        .slice(start, start + size)
        .map((o) => toYamlDocument(o as never))
        .join("\n---\n") + "\n",
    );
    batches.push(file);
  }
  const runBatch = async (file: string) => {
    const run = await runGator(props.gator, ["test", "-o", "json", ...gatekeeperFiles.flatMap((f) => ["-f", f]), "-f", file], 900_000);
    for (const result of parseGatorTest(run) as GatorResult[]) {
      const id = result.violatingObject?.metadata?.annotations?.[CASE_ANNOTATION];
      if (!id) continue; // a violation of the Gatekeeper objects themselves, not of an input
      const set = verdicts.get(id) ?? new Set<string>();
      set.add(verdictKey(`${result.constraint.kind}/${result.constraint.metadata.name}`, result.enforcementAction));
      verdicts.set(id, set);
    }
  };
  // Two gator processes at a time (one per core of the CI machine); each batch is independent.
  const queue = [...batches];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) await runBatch(file);
  };
  await Promise.all([worker(), worker()]);
  return new Map([...verdicts].map(([id, set]) => [id, [...set].sort()]));
}

/** Runs the judge. */
export async function runDifferential(props: DifferentialProps): Promise<JudgeResult & { readonly fixturesDir?: string }> {
  mkdirSync(props.workDir, { recursive: true });
  const { files, drift } = synthGatekeeper(props);
  const { cases, fixturesDir } = differentialCases(props.projectDir, props.policiesDir);
  const byId = new Map<string, { object: Json; label: string }>();
  for (const c of cases) for (const [id, object] of annotateCase(c)) byId.set(id, { object, label: c.label });
  const { verdicts: fromCheck, problems } = checkVerdicts(cases, props.workDir, props.projectDir);
  const fromGator = await gatorVerdicts(props, files, cases);
  const disagreements: Disagreement[] = [...(drift ? [drift] : []), ...problems];
  let failed = disagreements.length;
  for (const [id, { object, label }] of byId) {
    const mine = fromCheck.get(id);
    const theirs = fromGator.get(id) ?? [];
    if (mine && JSON.stringify(mine) === JSON.stringify(theirs)) continue;
    failed++;
    const detail = mine ? `check: [${mine.join(", ")}]; gator: [${theirs.join(", ")}]` : `check did not report this object; gator: [${theirs.join(", ")}]`;
    disagreements.push({ case: `${id} (${label})`, detail, object });
  }
  const total = byId.size + (drift ? 1 : 0) + problems.length;
  return { name: "differential-gator", version: props.version, cases: total, passed: total - failed, failed, disagreements, fixturesDir };
}
