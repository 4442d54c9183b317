/**
 * YAML as kubectl reads it. kubectl and the API server decode YAML through sigs.k8s.io/yaml, which resolves
 * plain scalars with go-yaml v2's YAML 1.1 table (sigs.k8s.io/yaml/goyaml.v2/resolve.go, `resolve()`):
 * yes/no/on/off/y/n (any of three casings) are booleans; integers are whatever Go's
 * `strconv.ParseInt(s, 0, 64)` accepts once every `_` is removed (0x1F, 0o17, 0b101, legacy octal 010);
 * other numbers match `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`; timestamps and
 * sexagesimal forms (1:30) stay strings; `.inf`/`.nan` make the YAML-to-JSON step fail ("json: unsupported
 * value"). The rules below configure the two parsers `check` uses (yaml and js-yaml), so both read a
 * manifest as kubectl does; test/gatekeeper/kubectl-yaml.test.ts compares them with kubectl's own output.
 */
import { FAILSAFE_SCHEMA, Type } from "js-yaml";
import type { ScalarTag, Tags } from "yaml";

const INT_TAG = "tag:yaml.org,2002:int";
const FLOAT_TAG = "tag:yaml.org,2002:float";
const BOOL_TAG = "tag:yaml.org,2002:bool";
const NULL_TAG = "tag:yaml.org,2002:null";
const MERGE_TAG = "tag:yaml.org,2002:merge";

/** `x` with any run of `_` after it: go-yaml drops every `_` before parsing a number. */
const u = (x: string) => `${x}_*`;
const digits = (cls: string) => `(?:${u(cls)})+`;

/** Go `ParseInt(s, 0, 64)` syntax, underscores anywhere after the first character. */
const GO_INT = new RegExp(
  `^[-+]?_*(?:${u("0")}[bB]_*${digits("[01]")}|${u("0")}[oO]_*${digits("[0-7]")}|${u("0")}[xX]_*${digits("[0-9a-fA-F]")}|${u("0")}(?:${u("[0-7]")})*|${u("[1-9]")}(?:${u("[0-9]")})*)$`,
);
/** go-yaml's `yamlStyleFloat` on the underscore-free text (first character a sign or a digit). */
const GO_FLOAT_STRIPPED = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** A plain scalar starting with '.' goes to `ParseFloat` as written (no `_` removal). */
const GO_DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
/** `.inf`, `-.Inf`, `.NAN`...: go-yaml resolves them, then JSON conversion fails. */
const NON_FINITE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const UINT64_MAX = (1n << 64n) - 1n;

/** The number go-yaml resolves `text` to, or undefined when it stays a string. */
export function goYamlNumber(text: string): number | undefined {
  if (text === "" || !/^[-+0-9.]/.test(text)) return undefined;
  if (text.startsWith(".")) return GO_DOT_FLOAT.test(text) ? Number(text) : undefined;
  const plain = text.replace(/_/g, "");
  if (GO_INT.test(text)) {
    const negative = plain.startsWith("-");
    const body = plain.replace(/^[-+]/, "");
    // Legacy octal: a leading 0 followed by digits (Go reads 010 as 8).
    const literal = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body;
    const magnitude = BigInt(literal);
    // Beyond int64/uint64, go-yaml tries the float rule, which only a decimal can match.
    const limit = negative ? 1n << 63n : UINT64_MAX;
    if (magnitude <= limit) return Number(negative ? -magnitude : magnitude);
  }
  if (!GO_FLOAT_STRIPPED.test(plain)) return undefined;
  const value = Number(plain);
  // Go's ParseFloat reports a range error for 1e999 and go-yaml then keeps the string.
  return Number.isFinite(value) ? value : undefined;
}

const NON_FINITE_MESSAGE = "is not a finite number; kubectl cannot convert it to JSON (json: unsupported value)";

/**
 * Tags for the `yaml` package (with `version: "1.1"`): its YAML 1.1 map, seq, str, null, bool and merge
 * tags, with the number tags replaced by go-yaml's rules and the timestamp, sexagesimal, binary, omap,
 * pairs and set tags removed (go-yaml leaves those scalars strings or refuses them).
 */
export function kubectlYamlTags(defaults: Tags): Tags {
  const kept = defaults.filter((tag) => {
    const name = (tag as { tag: string }).tag;
    return [NULL_TAG, BOOL_TAG, MERGE_TAG].includes(name) || ["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"].includes(name);
  });
  const goNumber: ScalarTag = {
    tag: INT_TAG,
    default: true,
    identify: (value) => typeof value === "number",
    test: /^[-+0-9.]/,
    // A text go-yaml does not read as a number stays a string; non-plain (explicit !!int) scalars too.
    resolve: (text) => goYamlNumber(text) ?? text,
  };
  const nonFinite: ScalarTag = {
    tag: FLOAT_TAG,
    default: true,
    test: NON_FINITE,
    resolve: (text, onError) => {
      onError(`${text} ${NON_FINITE_MESSAGE}`);
      return text;
    },
  };
  return [...kept, nonFinite, goNumber];
}

/**
 * The js-yaml schema of the same rules (the fast path). Non-finite numbers throw, so the caller falls back
 * to the `yaml` path, which reports them with a line.
 */
export const KUBECTL_JS_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type(NULL_TAG, {
      kind: "scalar",
      resolve: (data: string | null) => data === null || /^(?:~|[Nn]ull|NULL)?$/.test(data),
      construct: () => null,
    }),
    new Type(BOOL_TAG, {
      kind: "scalar",
      resolve: (data: string) => /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/.test(data),
      construct: (data: string) => /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/.test(data),
    }),
    new Type(FLOAT_TAG, {
      kind: "scalar",
      resolve: (data: string) => NON_FINITE.test(data),
      construct: (data: string) => {
        throw new Error(`${data} ${NON_FINITE_MESSAGE}`);
      },
    }),
    new Type(INT_TAG, {
      kind: "scalar",
      resolve: (data: string) => goYamlNumber(data) !== undefined,
      construct: (data: string) => goYamlNumber(data),
    }),
    new Type(MERGE_TAG, { kind: "scalar", resolve: (data: string) => data === "<<" }),
  ],
});
