/**
 * A corpus of bad stack files and command lines, as outsiders write them. Each must exit 2 with a message
 * that names the file and line (or the flag), the key path, the value and what is accepted; no stack trace;
 * nothing written to the output folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkMain } from "../../stacks/check";
import { main } from "../../stacks/main";
import { planMain } from "../../stacks/plan";
import { reportMain } from "../../stacks/report";
import { synthMain } from "../../stacks/synth";
import { REPO_ROOT, runStackCommand } from "../support/repo";

const DEV = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
const COMMANDS = { synth: synthMain, plan: planMain, report: reportMain, main, check: checkMain } as const;

/** `DEV` with `from` replaced by `to`; fails when `from` is not in the dev stack (so a case never goes stale). */
function devWith(from: string, to: string): string {
  if (!DEV.includes(from)) throw new Error(`the dev stack has no ${JSON.stringify(from)}`);
  return DEV.replace(from, to);
}

interface BadCase {
  /** The stack file's text, or a setup that prepares the project folder (a folder as stack file...). */
  readonly stack: string | ((project: string) => void);
  readonly command?: keyof typeof COMMANDS;
  /** Arguments after the command; `OUT` is the output folder. */
  readonly args?: readonly string[];
  /** What stderr must say: file:line, key path, value, what is accepted. */
  readonly says: readonly (string | RegExp)[];
}

const egress = "        - cidr: 203.0.113.0/24\n";
const CASES: Readonly<Record<string, BadCase>> = {
  "tenant egress to 0.0.0.0/0": {
    stack: devWith("cidr: 203.0.113.0/24", "cidr: 0.0.0.0/0"),
    says: [/Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.egress = .*0\.0\.0\.0\/0/, "acceptEgressToWholeInternet: true"],
  },
  "tenant egress to ::/0": { stack: devWith("cidr: 203.0.113.0/24", "cidr: ::/0"), says: [/bulwark:tenants\[0\]\.egress = .*::\/0/, "every IPv6 address"] },
  "tenant egress halves that cover the internet": {
    stack: devWith(egress, "        - cidr: 0.0.0.0/1\n        - cidr: 128.0.0.0/1\n"),
    says: [/Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.egress = .*128\.0\.0\.0\/1/, "together cover every IPv4 address"],
  },
  "metadata endpoint as IPv4-mapped IPv6": {
    stack: devWith("cidr: 203.0.113.0/24", "cidr: ::ffff:169.254.169.254/128"),
    says: [
      /Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.egress\[0\]\.cidr = "::ffff:169\.254\.169\.254\/128": is inside ::ffff:0:0\/96/,
      "write the IPv4 CIDR",
    ],
  },
  "metadata endpoint as mapped hex": {
    stack: devWith("cidr: 203.0.113.0/24", "cidr: ::ffff:a9fe:a9fe/128"),
    says: [/egress\[0\]\.cidr = "::ffff:a9fe:a9fe\/128"/],
  },
  "metadata endpoint as NAT64": {
    stack: devWith("cidr: 203.0.113.0/24", "cidr: 64:ff9b::a9fe:a9fe/128"),
    says: [/egress\[0\]\.cidr = .*is inside 64:ff9b::\/96/],
  },
  "IPv6 metadata endpoint, long form": {
    stack: devWith("cidr: 203.0.113.0/24", "cidr: fd00:0ec2:0000:0000:0000:0000:0000:0254/128"),
    says: [/egress\[0\]\.cidr = .*instance metadata/],
  },
  "a tenant namespace exempt from the policies": {
    stack: devWith("exemptNamespaces: [gatekeeper-system", "exemptNamespaces: [web, gatekeeper-system"),
    says: [/Pulumi\.dev\.yaml:\d+: bulwark:policy\.exemptNamespaces\[0\] = "web": is a tenant namespace/],
  },
  "cluster admin also a tenant principal": {
    stack: devWith(
      "      owner: team-web\n",
      "      owner: team-web\n      awsPrincipals:\n        view: [arn:aws:iam::123456789012:role/bulwark-platform-admin]\n",
    ),
    says: [
      /Pulumi\.dev\.yaml:\d+: bulwark:tenants\[1\]\.awsPrincipals\.view\[0\] = "arn:aws:iam::123456789012:role\/bulwark-platform-admin": is also in bulwark:cluster\.adminPrincipals/,
    ],
  },
  "node group maxSize 1e9": {
    stack: devWith("maxSize: 6", "maxSize: 1e9"),
    says: [/Pulumi\.dev\.yaml:30: bulwark:cluster\.nodeGroups\[0\]\.maxSize = 1000000000: must be at most 450 nodes/],
  },
  "node group maxSize .inf": { stack: devWith("maxSize: 6", "maxSize: .inf"), says: [/nodeGroups\[0\]\.maxSize = Infinity: must be a number/] },
  "KMS window .nan": { stack: devWith("deletionWindowInDays: 30", "deletionWindowInDays: .nan"), says: [/kms\.deletionWindowInDays = NaN/] },
  "an alias bomb": {
    stack: `config:\n  aws:region: &a eu-west-1\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    says: [/Pulumi\.dev\.yaml:1: invalid YAML: Excessive alias count/, "at most 100 alias expansions"],
  },
  "the stack file is a folder": {
    stack: (project) => mkdirSync(join(project, "Pulumi.dev.yaml")),
    says: [/--stack = "dev": .*Pulumi\.dev\.yaml is not a regular file/],
  },
  "an empty stack file": { stack: "", says: [/Pulumi\.dev\.yaml:1: config = \(missing\): the stack file must have a `config:` mapping/] },
  "a list at the top level": { stack: "- config\n- aws:region\n", says: [/Pulumi\.dev\.yaml:1: config = \(missing\)/] },
  "tabs for indentation": {
    stack: devWith("    name: bulwark-dev", "\tname: bulwark-dev"),
    says: [/Pulumi\.dev\.yaml:6: invalid YAML \(column \d+\): Tabs are not allowed/],
  },
  "a duplicate key": {
    stack: devWith("  aws:region: eu-west-1\n", "  aws:region: eu-west-1\n  aws:region: us-east-1\n"),
    says: [/Pulumi\.dev\.yaml:5: invalid YAML \(column \d+\): Map keys must be unique/],
  },
  "a Cyrillic look-alike in a key": {
    stack: devWith("  bulwark:policy:", "  bulw\u0430rk:policy:"),
    says: [/Pulumi\.dev\.yaml:\d+: bulw\u0430rk:policy = .*contains U\+0430/],
  },
  "a zero-width space in a tenant name": {
    stack: devWith("name: payments", "name: pay\u200bments"),
    says: [/bulwark:tenants\[0\]\.name = "pay\u200bments": must be a DNS-1123 label/],
  },
  "a string where a boolean goes": {
    stack: devWith("enabled: true", 'enabled: "yes"'),
    says: [/bulwark:cluster\.guardDuty\.enabled = "yes": must be a boolean, not a string/],
  },
  "a second YAML document": { stack: `${DEV}---\nconfig: {}\n`, says: [/Pulumi\.dev\.yaml:\d+: invalid YAML \(column \d+\): .*multiple documents/] },
  "a byte-order mark and a bad value": {
    stack: `\ufeff${devWith("name: payments", "name: Payments")}`,
    says: [/Pulumi\.dev\.yaml:\d+: bulwark:tenants\[0\]\.name = "Payments"/],
  },
  "synth --out naming a file": { stack: DEV, args: ["--out", "FILE"], says: [/--out .*FILE: is a file; name a folder/] },
  "synth --out under a file": { stack: DEV, args: ["--out", "FILE/sub"], says: [/--out .*FILE\/sub: is under .*FILE, which is a file/] },
  "npm start --out naming a file": { stack: DEV, command: "main", args: ["--out", "FILE"], says: [/--out .*FILE: is a file/] },
  "plan --out naming a folder": { stack: DEV, command: "plan", args: ["--out", "OUT"], says: [/--out .*OUT: is a folder; name a file/] },
  "report --out naming a folder": { stack: DEV, command: "report", args: ["--out", "OUT"], says: [/--out .*OUT: is a folder/] },
  "check on an empty folder": { stack: DEV, command: "check", args: ["OUT"], says: [/OUT: no Kubernetes objects found/] },
  "check on comment-only YAML": {
    stack: (p) => (writeFileSync(join(p, "Pulumi.dev.yaml"), DEV), writeFileSync(join(p, "OUT", "c.yaml"), "# nothing\n---\n")),
    command: "check",
    args: ["OUT"],
    says: ["no Kubernetes objects found"],
  },
  "check on a symlink loop": {
    stack: (p) => (writeFileSync(join(p, "Pulumi.dev.yaml"), DEV), symlinkSync(".", join(p, "OUT", "loop"))),
    command: "check",
    args: ["OUT"],
    says: [/OUT\/loop: symlink loop/],
  },
  "check on two symlink loops (2^40 paths without loop detection)": {
    stack: (p) => (writeFileSync(join(p, "Pulumi.dev.yaml"), DEV), symlinkSync(".", join(p, "OUT", "loop")), symlinkSync(".", join(p, "OUT", "loop2"))),
    command: "check",
    args: ["OUT"],
    says: [/OUT\/loop: symlink loop/, /OUT\/loop2: symlink loop/],
  },
  "check on a symlink to itself": {
    stack: (p) => (writeFileSync(join(p, "Pulumi.dev.yaml"), DEV), symlinkSync("self.yaml", join(p, "OUT", "self.yaml"))),
    command: "check",
    args: ["OUT/self.yaml"],
    says: [/self\.yaml: cannot read: ELOOP/],
  },
  "check on a YAML alias bomb": {
    stack: (p) => (
      writeFileSync(join(p, "Pulumi.dev.yaml"), DEV),
      writeFileSync(
        join(p, "OUT", "bomb.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: &a [y,y,y,y,y,y,y,y,y]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
      )
    ),
    command: "check",
    args: ["OUT/bomb.yaml"],
    says: [/bomb\.yaml:1: invalid YAML: Excessive alias count/],
  },
  "npm start --stack-file not named Pulumi.<stack>.yaml": {
    stack: DEV,
    command: "main",
    args: ["--stack-file", "FILE", "--out", "OUT"],
    says: [/--stack-file = ".*FILE": must name a stack file Pulumi\.<stack>\.yaml/],
  },
  "plan --stack and --stack-file together": {
    stack: DEV,
    command: "plan",
    args: ["--stack", "dev", "--stack-file", "Pulumi.dev.yaml", "--out", "OUT/plan.json"],
    says: [/give --stack or --stack-file, not both/],
  },
  "synth --stack-file with a bad value, in another folder": {
    stack: (p) => (mkdirSync(join(p, "elsewhere")), writeFileSync(join(p, "elsewhere", "Pulumi.prod.yaml"), DEV.replace("minSize: 3", "minSize: three"))),
    args: ["--stack-file", "elsewhere/Pulumi.prod.yaml", "--out", "OUT"],
    says: [/elsewhere\/Pulumi\.prod\.yaml:\d+: bulwark:cluster\.nodeGroups\[0\]\.minSize = "three": must be a number/],
  },
  "check on a YAML 1.2 directive": {
    stack: (p) => (
      writeFileSync(join(p, "Pulumi.dev.yaml"), DEV),
      writeFileSync(join(p, "OUT", "d.yaml"), "%YAML 1.2\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n")
    ),
    command: "check",
    args: ["OUT/d.yaml"],
    says: [/d\.yaml:\d+: YAML directives/],
  },
};

/** Runs a command in-process in `project` (as the CLI does: runCommand sets the exit code). */
async function runIn(project: string, command: keyof typeof COMMANDS, args: readonly string[]) {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const cwd = process.cwd();
  process.exitCode = undefined;
  try {
    process.chdir(project);
    await COMMANDS[command](args);
    return { code: process.exitCode, stdout, stderr };
  } finally {
    process.chdir(cwd);
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
  }
}

function project(stack: BadCase["stack"]): string {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-bad-"));
  mkdirSync(join(dir, "OUT"));
  writeFileSync(join(dir, "FILE"), "a file, not a folder\n");
  if (typeof stack === "string") writeFileSync(join(dir, "Pulumi.dev.yaml"), stack);
  else stack(dir);
  return dir;
}

describe("bad input exits 2, says where and what is accepted, prints no stack trace, writes nothing", () => {
  it.each(Object.entries(CASES))("%s", async (_name, badCase) => {
    const dir = project(badCase.stack);
    const command = badCase.command ?? "synth";
    const args = badCase.args ?? (command === "check" ? [] : ["--out", "OUT"]);
    const result = await runIn(dir, command, args);
    expect([result.code, result.stdout]).toEqual([2, ""]);
    for (const expected of badCase.says) expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // Only what the case itself put there: the out folder gets nothing.
    const left = readdirSync(join(dir, "OUT")).filter(
      (f) => !f.startsWith("loop") && f !== "self.yaml" && f !== "c.yaml" && f !== "d.yaml" && f !== "bomb.yaml",
    );
    expect(left).toEqual([]);
  });
});

describe("the same, as processes (real exit codes)", () => {
  it.each([
    ["the stack file is a folder", "synth.ts", ["--out", "OUT"]],
    ["an alias bomb", "synth.ts", ["--out", "OUT"]],
    ["synth --out naming a file", "synth.ts", ["--out", "FILE"]],
    ["check on a symlink loop", "check.ts", ["OUT"]],
  ] as const)("%s", (name, script, args) => {
    const dir = project(CASES[name].stack);
    const result = runStackCommand(script, args, dir);
    expect(result.status).toBe(2);
    for (const expected of CASES[name].says) expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
