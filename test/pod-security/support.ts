import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { BulwarkConfig } from "../../config/model";
import type { Checker, Violation } from "../../constructs/gatekeeper/check";
import { createChecker } from "../../constructs/gatekeeper/check";
import { devConfig, REPO_ROOT } from "../support/repo";

/**
 * Kubernetes' own Pod Security Admission fixtures, vendored as test data with their licence and provenance
 * (test/fixtures/pod-security/README.md). Layout: `<level>/<version>/<pass|fail>/<check><N>.yaml`.
 */
export const FIXTURES_DIR = resolve(REPO_ROOT, "test", "fixtures", "pod-security");

export const LEVELS = ["baseline", "restricted"] as const;
export type Level = (typeof LEVELS)[number];

/** Every Pod Security Standards version the fixtures cover; the test fails if one is missing. */
export const VERSIONS = ["v1.30", "v1.31", "v1.32", "v1.33", "v1.34", "v1.35", "v1.36", "v1.37"] as const;

/** Namespace the fixtures are checked in: not exempt, not a tenant (so no tenant-level relaxation). */
export const FIXTURE_NAMESPACE = "pss-fixtures";

/**
 * The policy (folder / constraint name) that implements each PSA check, keyed by the fixture file prefix
 * (`hostpathvolumes1.yaml` breaks the HostPath Volumes check). A `fail/` fixture must be denied BY this
 * policy, not merely by some other check it happens to trip.
 */
export const POLICY_OF_CHECK: Readonly<Record<string, string>> = {
  allowprivilegeescalation: "pss-allow-privilege-escalation",
  apparmorprofile: "pss-apparmor",
  capabilities_baseline: "pss-capabilities-baseline",
  capabilities_restricted: "pss-capabilities-restricted",
  hostnamespaces: "pss-host-namespaces",
  hostpathvolumes: "pss-host-path-volumes",
  hostports: "pss-host-ports",
  hostprobesandhostlifecycle: "pss-host-probes",
  privileged: "pss-privileged",
  procmount: "pss-proc-mount",
  procmount_restricted: "pss-proc-mount-restricted",
  restrictedvolumes: "pss-restricted-volumes",
  runasnonroot: "pss-run-as-non-root",
  runasuser: "pss-run-as-user",
  seccompprofile_baseline: "pss-seccomp-baseline",
  seccompprofile_restricted: "pss-seccomp-restricted",
  selinuxoptions: "pss-selinux",
  sysctls: "pss-sysctls",
  windowshostprocess: "pss-windows-host-process",
};

/** `hostports2.yaml` → `hostports`. */
export function checkOfFixture(file: string): string {
  return file.replace(/\.yaml$/, "").replace(/[0-9]+$/, "");
}

/** The fixture files of one level, version and verdict, sorted; throws if the folder is missing. */
export function fixtureFiles(level: Level, version: string, verdict: "pass" | "fail"): string[] {
  const dir = join(FIXTURES_DIR, level, version, verdict);
  if (!existsSync(dir)) {
    throw new Error(`Pod Security fixtures not found at ${dir}: restore test/fixtures/pod-security (scripts/refresh-pss-fixtures.sh)`);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads one fixture Pod. */
export function readFixture(file: string): Record<string, unknown> {
  return parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/**
 * The dev stack's config with every constraint at `deny`: the fixture verdicts are about admission, so a
 * stack that rolls a policy out in `warn` or `dryrun` must not change them.
 */
export function denyConfig(overrides: Partial<BulwarkConfig["cluster"]> = {}): BulwarkConfig {
  const config = devConfig();
  return {
    ...config,
    cluster: { ...config.cluster, ...overrides },
    policy: { ...config.policy, enforcementAction: "deny", enforcementActions: undefined },
  };
}

const checkers = new Map<string, Checker>();

/** A checker for one PSS level and version, built (and its CEL compiled) once per test file. */
export function pssChecker(level: Level, version: string | undefined, config: BulwarkConfig = denyConfig()): Checker {
  const key = `${level}/${version ?? "default"}/${config.cluster.kubernetesVersion}`;
  let checker = checkers.get(key);
  if (!checker) {
    checker = createChecker({ config, bundle: `pss-${level}`, ...(version ? { pssVersion: version } : {}) });
    checkers.set(key, checker);
  }
  return checker;
}

/** The deny-level violations of one object, checked in {@link FIXTURE_NAMESPACE}. */
export function denials(checker: Checker, object: Record<string, unknown>): Violation[] {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const placed = { ...object, metadata: { ...meta, namespace: FIXTURE_NAMESPACE } };
  return checker.checkObject(placed).filter((v) => v.enforcementAction === "deny");
}

/** The policy ids (constraint names) among violations: `K8sPSSPrivileged/pss-privileged` → `pss-privileged`. */
export function policiesOf(violations: readonly Violation[]): string[] {
  return [...new Set(violations.map((v) => v.policy.slice(v.policy.indexOf("/") + 1)))].sort();
}
