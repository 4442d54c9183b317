/**
 * A Dockerfile as stages, parsed with dockerfile-ast (the parser of the VS Code Docker extension's
 * language server): each stage's FROM (image resolved from ARG defaults, or the stage it builds on), its
 * instructions with 1-based lines, and which stages end up in the final image.
 */
import type { Arg, From, Instruction } from "dockerfile-ast";
import { DockerfileParser } from "dockerfile-ast";

/** One instruction of a stage. */
export interface StageInstruction {
  /** Upper-case keyword, e.g. `RUN`. */
  readonly keyword: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
  /** The arguments as written, line continuations joined. */
  readonly text: string;
  /** Arguments split as docker does (flags excluded). */
  readonly args: readonly string[];
  /** `--name=value` flags (`--from`, `--mount`, `--chown`...). */
  readonly flags: ReadonlyMap<string, string | null>;
}

/** One build stage. */
export interface Stage {
  readonly index: number;
  /** `AS <name>`, lower-cased as docker compares it. */
  readonly name?: string;
  readonly fromLine: number;
  /** The image as written after FROM. */
  readonly imageText: string;
  /** The image with ARG defaults substituted; undefined when a variable has no default. */
  readonly image?: string;
  /** Variables of the image that have no value. */
  readonly unresolved: readonly string[];
  /** The earlier stage this one builds on (`FROM build`), when it does. */
  readonly parent?: number;
  readonly instructions: readonly StageInstruction[];
}

/** A parsed Dockerfile. */
export interface DockerfileModel {
  readonly stages: readonly Stage[];
  /** Indexes of the final stage and every stage it builds on (their layers are in the image). */
  readonly finalImageStages: ReadonlySet<number>;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Substitutes `$X`, `${X}`, `${X:-default}`, `${X:+alt}` from `values`; names variables left without value. */
export function substitute(text: string, values: ReadonlyMap<string, string | undefined>): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = text.replace(VARIABLE, (_match, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const current = values.get(name);
    if (op === "-") return current === undefined || current === "" ? (word ?? "") : current;
    if (op === "+") return current === undefined || current === "" ? "" : (word ?? "");
    if (current === undefined) {
      unresolved.push(name);
      return "";
    }
    return current;
  });
  return { value, unresolved };
}

function argDefaults(args: readonly Arg[], into: Map<string, string | undefined>): void {
  for (const arg of args) {
    const property = arg.getProperty();
    if (property) into.set(property.getName(), property.getValue() ?? undefined);
  }
}

function toInstruction(instruction: Instruction): StageInstruction {
  const flags = new Map<string, string | null>();
  const withFlags = instruction as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  for (const flag of withFlags.getFlags?.() ?? []) flags.set(flag.getName().toLowerCase(), flag.getValue());
  return {
    keyword: instruction.getKeyword().toUpperCase(),
    line: instruction.getRange().start.line + 1,
    text: instruction.getArgumentsContent() ?? "",
    args: instruction.getArguments().map((a) => a.getValue()),
    flags,
  };
}

/** Parses Dockerfile text into stages. */
export function parseDockerfile(text: string): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const globals = new Map<string, string | undefined>();
  argDefaults(dockerfile.getInitialARGs(), globals);
  const stages: Stage[] = [];
  const byName = new Map<string, number>();
  let current: { from: From; instructions: StageInstruction[] } | undefined;
  const close = (): void => {
    if (!current) return;
    const from = current.from;
    const imageText = from.getImage() ?? "";
    const name = from.getBuildStage()?.toLowerCase() ?? undefined;
    const { value, unresolved } = substitute(imageText, globals);
    const parent = byName.get(value.toLowerCase());
    const index = stages.length;
    stages.push({
      index,
      name,
      fromLine: from.getRange().start.line + 1,
      imageText,
      image: unresolved.length === 0 ? value : undefined,
      unresolved,
      parent,
      instructions: current.instructions,
    });
    if (name) byName.set(name, index);
  };
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword().toUpperCase() === "FROM") {
      close();
      current = { from: instruction as From, instructions: [] };
    } else if (current) {
      current.instructions.push(toInstruction(instruction));
    }
  }
  close();
  const finalImageStages = new Set<number>();
  for (let i: number | undefined = stages.length - 1; i !== undefined && i >= 0; i = stages[i].parent) finalImageStages.add(i);
  return { stages, finalImageStages };
}

/** The variables a stage's instruction at `line` can see: global ARG defaults re-declared, then the stage's ARG/ENV. */
export function stageVariables(stage: Stage, upToLine: number): Map<string, string | undefined> {
  const values = new Map<string, string | undefined>();
  for (const instruction of stage.instructions) {
    if (instruction.line >= upToLine) break;
    if (instruction.keyword !== "ARG" && instruction.keyword !== "ENV") continue;
    for (const arg of instruction.args) {
      const eq = arg.indexOf("=");
      if (eq > 0) values.set(arg.slice(0, eq), arg.slice(eq + 1));
      else if (instruction.keyword === "ARG" && !values.has(arg)) values.set(arg, undefined);
    }
  }
  return values;
}
