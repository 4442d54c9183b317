/**
 * `check` streams its input (constructs/gatekeeper/check/stream.ts) and may check it on worker threads
 * (parallel.ts): the report must be exactly the one of reading every object first and checking them on
 * one thread, whatever the mode, the batch boundaries and the order of Namespaces and the objects in them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { benchObject } from "../../bench/check";
import type { Checker, InputObject, InputProblem } from "../../constructs/gatekeeper/check";
import { CheckInputError, createCheckerFromObjects, readManifestFile, synthesizeGatekeeperObjects, workerCount } from "../../constructs/gatekeeper/check";
import { BATCH_DOCUMENTS } from "../../constructs/gatekeeper/check/parallel";
import { devConfig } from "../support/repo";
import { goodPodSpec, podWith } from "./fixtures";

type Json = Record<string, unknown>;

/** The dev bundle, with the image-tags constraint limited to namespaces labelled tier=strict. */
function bundleWithNamespaceSelector(): Json[] {
  return synthesizeGatekeeperObjects({ config: devConfig(), bundle: "all" }).map((object) => {
    if (object.kind !== "BulwarkImageTags") return object;
    const spec = object.spec as { match?: Json };
    return { ...object, spec: { ...spec, match: { ...spec.match, namespaceSelector: { matchLabels: { tier: "strict" } } } } };
  });
}

const dir = mkdtempSync(join(tmpdir(), "bulwark-stream-"));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const latestPod = (namespace: string, name: string) =>
  podWith({ ...goodPodSpec(), containers: [{ ...(goodPodSpec().containers as Json[])[0], image: "nginx:latest" }] }, namespace, name);

// More documents than two batches, the labelled Namespace after the Pods in it, one spelled with an escape.
const many = write(
  "many.yaml",
  [
    ...Array.from({ length: 2 * BATCH_DOCUMENTS + 17 }, (_, i) => stringify(benchObject(i))),
    stringify(latestPod("late", "in-late")),
    stringify(latestPod("escaped", "in-escaped")),
    stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "late", labels: { tier: "strict" } } }),
    'apiVersion: v1\nkind: "Namesp\\x61ce"\nmetadata:\n  name: escaped\n  labels:\n    tier: strict\n',
  ].join("---\n"),
);
// A List (read whole by the exact path, for its items' lines) and a JSON file.
const list = write("list.yaml", stringify({ apiVersion: "v1", kind: "List", items: [latestPod("late", "listed"), benchObject(3)] }));
const json = write("pod.json", JSON.stringify(latestPod("late", "from-json")));
const files = [many, list, json];

let checker: Checker;
beforeAll(() => {
  checker = createCheckerFromObjects(bundleWithNamespaceSelector());
});

/** The report of the old way: every object read first, then checked. */
function heldReport() {
  const problems: InputProblem[] = [];
  const objects: InputObject[] = files.flatMap((file) => readManifestFile(file, problems));
  expect(problems).toEqual([]);
  return checker.checkObjects(objects);
}

const imageTagsOf = (report: ReturnType<Checker["checkPaths"]>, name: string) =>
  report.results.filter((r) => r.name === name).flatMap((r) => r.violations.filter((v) => v.policy.startsWith("BulwarkImageTags/")));

describe("streaming check", () => {
  it("gives the report of reading every object first, on one thread", () => {
    const streamed = checker.checkPaths(files, { workers: 0 });
    expect(streamed.summary.objects).toBe(2 * BATCH_DOCUMENTS + 17 + 4 + 2 + 1);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(heldReport()));
  });

  it("gives a Namespace's labels to the objects before it, also when its kind is spelled with an escape", () => {
    const report = checker.checkPaths(files, { workers: 0 });
    for (const name of ["in-late", "in-escaped", "listed", "from-json"]) expect(imageTagsOf(report, name)).toHaveLength(1);
    // Not vacuous: without the label, the constraint does not select the Pod.
    const unlabelled = checker.checkPaths([write("alone.yaml", stringify(latestPod("late", "alone")))], { workers: 0 });
    expect(imageTagsOf(unlabelled, "alone")).toEqual([]);
  });

  it("on two worker threads gives the same report, in the same order", () => {
    const one = checker.checkPaths(files, { workers: 0 });
    const two = checker.checkPaths(files, { workers: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it("on worker threads reports bad input as one thread does: every problem, with its line", () => {
    const bad = write("bad.yaml", [stringify(benchObject(0)), "kind: [unclosed\n", stringify(benchObject(1))].join("---\n"));
    const problemsOf = (workers: number) => {
      try {
        checker.checkPaths([many, bad], { workers });
      } catch (error) {
        if (error instanceof CheckInputError) return error.problems;
        throw error;
      }
      throw new Error("bad input passed");
    };
    const one = problemsOf(0);
    expect(one.length).toBeGreaterThan(0);
    expect(one[0]).toMatchObject({ file: bad, line: expect.any(Number) });
    expect(problemsOf(2)).toEqual(one);
  });

  it("uses workers on its own only for large inputs", () => {
    expect(workerCount(undefined, 100)).toBe(0);
    expect(workerCount(undefined, 1_000_000)).toBeGreaterThanOrEqual(1);
    expect(workerCount(3, 100)).toBe(3);
  });
});
