/**
 * Integrity bypasses in a RUN command: flags that turn off package signature or TLS verification, and
 * scripts downloaded and executed unverified (`curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget …)`).
 * The command is tokenised with shell-quote (operators, quoting) rather than matched as text, so a flag
 * inside a quoted `echo` argument is not a finding and `-fsSLk` is recognised as curl's `-k`.
 */
import type { ParseEntry } from "shell-quote";
import { parse, quote } from "shell-quote";

/** Flags that disable verification, by the command that takes them. */
const BYPASS_FLAGS: Readonly<Record<string, readonly string[]>> = {
  "apt-get": ["--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"],
  apt: ["--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"],
  yum: ["--nogpgcheck"],
  dnf: ["--nogpgcheck", "--setopt=sslverify=false", "--setopt=sslverify=0"],
  microdnf: ["--nogpgcheck"],
  zypper: ["--no-gpg-checks"],
  rpm: ["--nosignature", "--nodigest"],
  apk: ["--allow-untrusted"],
  wget: ["--no-check-certificate"],
  curl: ["--insecure", "--proxy-insecure"],
  pip: ["--trusted-host"],
  npm: ["--unsafe-perm", "--strict-ssl=false", "--no-strict-ssl"],
  yarn: ["--ignore-integrity", "--skip-integrity-check", "--strict-ssl=false"],
  git: ["-c http.sslVerify=false"],
  gem: ["--no-verify", "-P NoSecurity"],
  docker: ["--insecure-registry"],
  helm: ["--insecure-skip-tls-verify"],
  go: ["-insecure"],
};

/** Environment assignments that disable TLS verification for the command they prefix. */
const BYPASS_ENV =
  /^(NODE_TLS_REJECT_UNAUTHORIZED=0|GIT_SSL_NO_VERIFY=(1|true)|PIP_TRUSTED_HOST=.+|PYTHONHTTPSVERIFY=0|GONOSUMDB=.+|GOFLAGS=.*-insecure.*|GOINSECURE=.+|GOSUMDB=off)$/;
const FETCHERS = new Set(["curl", "wget"]);
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl", "ruby", "node", "php"]);
const WRAPPERS = new Set(["sudo", "env", "exec", "nohup", "time", "command"]);
/** `config set` bypasses of npm/yarn/pnpm and git's `config http.sslVerify false`. */
const CONFIG_BYPASS =
  /\b(?:npm|yarn|pnpm)\s+config\s+set\s+strict-ssl\s+false\b|\bgit\s+config\b.*\bhttp\.sslverify\s+false\b|\bpip3?\s+config\s+set\s+\S*trusted-host\b/i;

type Token = string | { op: string };

function tokens(command: string): Token[] {
  // Variables stay as written: `$X` is not a flag, and nothing is read from this process's environment.
  return parse(command, (name) => `$${name}`).flatMap((entry: ParseEntry): Token[] => {
    if (typeof entry === "string") return [entry];
    if ("op" in entry && typeof entry.op === "string") return entry.op === "glob" ? [(entry as { pattern: string }).pattern] : [{ op: entry.op }];
    if ("comment" in entry) return [];
    return [];
  });
}

interface SimpleCommand {
  readonly env: readonly string[];
  readonly name: string;
  readonly args: readonly string[];
  /** The command reads a process substitution (`<(curl …)`) whose first word is this. */
  readonly substituted: readonly string[];
}

function simpleCommand(words: readonly Token[]): SimpleCommand | undefined {
  const env: string[] = [];
  const substituted: string[] = [];
  const plain: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (typeof word !== "string") {
      if (word.op === "<(" && typeof words[i + 1] === "string") substituted.push(String(words[i + 1]));
      continue;
    }
    plain.push(word);
  }
  let start = 0;
  while (start < plain.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(plain[start]) || WRAPPERS.has(plain[start]))) {
    if (plain[start].includes("=")) env.push(plain[start]);
    start++;
  }
  if (start >= plain.length) return env.length > 0 ? { env, name: "", args: [], substituted } : undefined;
  const name = plain[start].split("/").pop() ?? "";
  // `python -m pip install …` is pip.
  if (/^python[0-9.]*$/.test(name) && plain[start + 1] === "-m" && /^pip[0-9.]*$/.test(plain[start + 2] ?? "")) {
    return { env, name: "pip", args: plain.slice(start + 3), substituted };
  }
  return { env, name: name.replace(/^(pip)[0-9.]+$/, "$1"), args: plain.slice(start + 1), substituted };
}

/** Splits tokens into pipelines (by `;`, `&&`, `||`, `&`, newlines) of simple commands (by `|`). */
function pipelines(list: readonly Token[]): SimpleCommand[][] {
  const out: SimpleCommand[][] = [];
  let pipeline: SimpleCommand[] = [];
  let words: Token[] = [];
  let depth = 0;
  const flushCommand = () => {
    const command = simpleCommand(words);
    if (command) pipeline.push(command);
    words = [];
  };
  for (const token of list) {
    if (typeof token !== "string" && (token.op === "<(" || token.op === "(")) depth++;
    if (typeof token !== "string" && token.op === ")") depth = Math.max(0, depth - 1);
    if (typeof token !== "string" && depth === 0 && ["|", "|&"].includes(token.op)) {
      flushCommand();
    } else if (typeof token !== "string" && depth === 0 && [";", "&&", "||", "&", ";;"].includes(token.op)) {
      flushCommand();
      out.push(pipeline);
      pipeline = [];
    } else {
      words.push(token);
    }
  }
  flushCommand();
  out.push(pipeline);
  return out.filter((p) => p.length > 0);
}

function flagFindings(command: SimpleCommand): string[] {
  const found: string[] = [];
  const flags = BYPASS_FLAGS[command.name] ?? [];
  const joined = command.args.join(" ");
  for (const flag of flags) {
    const hit = flag.includes(" ") ? joined.includes(flag) : command.args.some((a) => a === flag || a.startsWith(`${flag}=`));
    if (hit) found.push(`${command.name} ${flag}`);
  }
  // curl's -k is --insecure; it may be bundled with other short flags (`-fsSLk`).
  if (command.name === "curl" && command.args.some((a) => /^-[a-zA-Z]*k[a-zA-Z]*$/.test(a))) found.push("curl -k (--insecure)");
  for (const assignment of command.env) if (BYPASS_ENV.test(assignment)) found.push(assignment);
  return found;
}

const HEREDOC = /^<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1([^\n]*)\n([\s\S]*?)\n\s*\2\s*$/;

/**
 * The shell script of a RUN's arguments: the exec form's `sh -c` script (or its argv), a heredoc's body, or
 * the shell form as written.
 */
export function runScript(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const argv = JSON.parse(trimmed) as unknown;
      if (Array.isArray(argv) && argv.every((a) => typeof a === "string")) {
        const name = (argv[0] ?? "").split("/").pop() ?? "";
        return SHELLS.has(name) && argv[1] === "-c" ? String(argv[2] ?? "") : quote(argv);
      }
    } catch {
      // not JSON: docker runs the text with the shell
    }
  }
  const heredoc = HEREDOC.exec(trimmed);
  return heredoc ? heredoc[4] : text;
}

/** Every integrity bypass in a shell command, described; empty when none. Lines are separate commands. */
export function integrityBypasses(command: string, nesting = 0): string[] {
  const lines = command.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  if (lines.length > 1) return [...new Set(lines.flatMap((line) => integrityBypasses(line, nesting)))];
  const found: string[] = [];
  if (CONFIG_BYPASS.test(command)) found.push(CONFIG_BYPASS.exec(command)![0]);
  for (const pipeline of pipelines(tokens(command))) {
    pipeline.forEach((cmd, i) => {
      found.push(...flagFindings(cmd));
      if (SHELLS.has(cmd.name)) {
        if (pipeline.slice(0, i).some((earlier) => FETCHERS.has(earlier.name)))
          found.push(`${pipeline[0].name} … | ${cmd.name} (a downloaded script run unverified)`);
        for (const word of cmd.substituted) if (FETCHERS.has(word)) found.push(`${cmd.name} <(${word} …) (a downloaded script run unverified)`);
        const script = cmd.args[0] === "-c" ? cmd.args[1] : undefined;
        if (script !== undefined && /^\s*(\$\(|`)\s*(curl|wget)\b/.test(script)) found.push(`${cmd.name} -c "$(…)" (a downloaded script run unverified)`);
        if (script !== undefined && nesting < 3) found.push(...integrityBypasses(script, nesting + 1));
      }
    });
  }
  return [...new Set(found)];
}
