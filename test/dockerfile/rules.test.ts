/**
 * The Dockerfile rules against the corpus test/fixtures/dockerfiles/<rule>/{allowed,disallowed}/: every
 * disallowed case gets a finding of its rule on an instruction of the kind the rule is about; no allowed
 * case gets one. At least 3 of each per rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DOCKERFILE_RULES, checkDockerfileText, isDockerfileName, parseImageReference } from "../../constructs/dockerfile";

const CORPUS = join(__dirname, "..", "fixtures", "dockerfiles");
const OPTIONS = { allowedRegistries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/"], allowedBaseImages: ["node", "gcr.io/distroless/"] };
/** The instructions each rule reports on. */
const REPORTED_ON: Record<string, readonly string[]> = {
  DockerfileUntaggedImage: ["FROM"],
  DockerfileLatestTag: ["FROM"],
  DockerfileAllowedRegistry: ["FROM"],
  DockerfileUnresolvedImage: ["FROM"],
  DockerfileRootUser: ["USER", "FROM"],
  DockerfileSensitiveVolume: ["VOLUME"],
  DockerfileIntegrityBypass: ["RUN"],
  DockerfileSecretInLayer: ["COPY", "ADD"],
};

function cases(rule: string, kind: "allowed" | "disallowed"): [string, string][] {
  const dir = join(CORPUS, rule, kind);
  return readdirSync(dir)
    .sort()
    .map((file) => [file, readFileSync(join(dir, file), "utf8")]);
}

const RULE_IDS = Object.values(DOCKERFILE_RULES).map((r) => r.id);

test("the corpus has a folder for every rule and nothing else", () => {
  expect(
    readdirSync(CORPUS)
      .filter((f) => f !== "README.md")
      .sort(),
  ).toEqual([...RULE_IDS].sort());
  expect(Object.keys(REPORTED_ON).sort()).toEqual([...RULE_IDS].sort());
});

describe.each(RULE_IDS)("%s", (rule) => {
  test("has at least 3 allowed and 3 disallowed cases", () => {
    expect(cases(rule, "allowed").length).toBeGreaterThanOrEqual(3);
    expect(cases(rule, "disallowed").length).toBeGreaterThanOrEqual(3);
  });

  test.each(cases(rule, "disallowed"))("disallowed: %s", (_file, text) => {
    const findings = checkDockerfileText(text, OPTIONS).filter((f) => f.rule === rule);
    expect(findings.length).toBeGreaterThan(0);
    const lines = text.split("\n");
    for (const finding of findings) {
      const keyword = lines[finding.line - 1].trim().split(/\s+/)[0].toUpperCase();
      expect(REPORTED_ON[rule]).toContain(keyword);
    }
  });

  test.each(cases(rule, "allowed"))("allowed: %s", (_file, text) => {
    expect(checkDockerfileText(text, OPTIONS).filter((f) => f.rule === rule)).toEqual([]);
  });
});

test("each rule names hadolint's id where it overlaps hadolint", () => {
  expect(Object.values(DOCKERFILE_RULES).flatMap((r) => ("hadolint" in r ? [`${r.id}=${r.hadolint}`] : []))).toEqual([
    "DockerfileUntaggedImage=DL3006",
    "DockerfileLatestTag=DL3007",
    "DockerfileAllowedRegistry=DL3026",
    "DockerfileRootUser=DL3002",
  ]);
});

test.each([
  ["node:20", "docker.io/library/node:20"],
  ["node", "docker.io/library/node"],
  ["bitnami/redis:7", "docker.io/bitnami/redis:7"],
  ["index.docker.io/library/node:20", "docker.io/library/node:20"],
  ["localhost:5000/app", "localhost:5000/app"],
  ["localhost/app:1", "localhost/app:1"],
  ["ghcr.io/acme/app:1.2@sha256:" + "b".repeat(64), "ghcr.io/acme/app:1.2@sha256:" + "b".repeat(64)],
])("docker's reference normalisation: %s is %s", (raw, normalized) => {
  expect(parseImageReference(raw)?.normalized).toBe(normalized);
});

test.each(["Node:20", "node:", "node@sha256:short", "a b", ""])("%j is not an image reference", (raw) => {
  expect(parseImageReference(raw)).toBeUndefined();
});

test.each([
  ["Dockerfile", true],
  ["api.Dockerfile", true],
  ["Dockerfile.prod", true],
  ["dockerfile", true],
  ["Dockerfiles.yaml", false],
  ["my-dockerfile.txt", false],
])("%s is a Dockerfile's name: %s", (name, expected) => {
  expect(isDockerfileName(join("some", "dir", name))).toBe(expected);
});

test("findings are sorted by line and carry the instruction's 1-based line", () => {
  const text = "# syntax=docker/dockerfile:1\nFROM node:latest\nVOLUME /proc\nCOPY .env /app/\n";
  expect(checkDockerfileText(text, OPTIONS).map((f) => `${f.line} ${f.rule}`)).toEqual([
    "2 DockerfileLatestTag",
    "2 DockerfileRootUser",
    "3 DockerfileSensitiveVolume",
    "4 DockerfileSecretInLayer",
  ]);
});
