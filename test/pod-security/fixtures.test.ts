/**
 * Kubernetes' own Pod Security Admission fixtures, v1.30–v1.37, through the synthesized Gatekeeper
 * templates and constraints of the dev stack (`check --bundle pss-<level> --pss-version <version>`):
 * every `pass/` Pod admitted, every `fail/` Pod denied — by the very check its file name says it breaks.
 * 100% agreement is required; the counts are printed.
 */
import { basename, relative } from "node:path";
import type { Level } from "./support";
import { checkOfFixture, denials, FIXTURES_DIR, fixtureFiles, LEVELS, POLICY_OF_CHECK, policiesOf, pssChecker, readFixture, VERSIONS } from "./support";

interface Row {
  readonly level: Level;
  readonly version: string;
  passAdmitted: number;
  passTotal: number;
  failDenied: number;
  failTotal: number;
  /** `fail/` Pods denied by the policy named by the file (not only by another one). */
  failByNamedCheck: number;
}

const rows: Row[] = [];

afterAll(() => {
  if (rows.length === 0) return;
  const table = rows.map((r) => ({
    level: r.level,
    version: r.version,
    "pass admitted": `${r.passAdmitted}/${r.passTotal}`,
    "fail denied": `${r.failDenied}/${r.failTotal}`,
    "fail denied by named check": `${r.failByNamedCheck}/${r.failTotal}`,
    agreement: `${(((r.passAdmitted + r.failDenied) / (r.passTotal + r.failTotal)) * 100).toFixed(1)}%`,
  }));
  const objects = rows.reduce((n, r) => n + r.passTotal + r.failTotal, 0);
  const agreed = rows.reduce((n, r) => n + r.passAdmitted + r.failDenied, 0);
  console.log(`Pod Security fixture agreement (${FIXTURES_DIR}): ${agreed}/${objects} objects`);
  console.table(table);
});

describe.each(LEVELS)("Pod Security fixtures, level %s", (level) => {
  test.each(VERSIONS)(`bundle pss-${level} agrees with PSA on every fixture at %s`, (version) => {
    const checker = pssChecker(level, version);
    const row: Row = { level, version, passAdmitted: 0, passTotal: 0, failDenied: 0, failTotal: 0, failByNamedCheck: 0 };
    const mismatches: string[] = [];
    const where = (file: string) => relative(FIXTURES_DIR, file);

    for (const file of fixtureFiles(level, version, "pass")) {
      row.passTotal++;
      const violations = denials(checker, readFixture(file));
      if (violations.length === 0) row.passAdmitted++;
      else mismatches.push(`${where(file)}: PSA admits it, we deny it: ${violations.map((v) => `${v.policy}: ${v.message}`).join(" | ")}`);
    }
    for (const file of fixtureFiles(level, version, "fail")) {
      row.failTotal++;
      const violations = denials(checker, readFixture(file));
      const check = checkOfFixture(basename(file));
      const expected = POLICY_OF_CHECK[check];
      if (violations.length > 0) row.failDenied++;
      else mismatches.push(`${where(file)}: PSA denies it, we admit it`);
      if (expected === undefined) {
        mismatches.push(`${where(file)}: no Bulwark policy is mapped to the PSA check "${check}"`);
      } else if (policiesOf(violations).includes(expected)) {
        row.failByNamedCheck++;
      } else if (violations.length > 0) {
        mismatches.push(`${where(file)}: denied, but not by ${expected} (the check it breaks); only by ${policiesOf(violations).join(", ")}`);
      }
    }
    rows.push(row);

    expect(row.passTotal + row.failTotal).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
    expect(row.passAdmitted).toBe(row.passTotal);
    expect(row.failDenied).toBe(row.failTotal);
    expect(row.failByNamedCheck).toBe(row.failTotal);
  });
});
