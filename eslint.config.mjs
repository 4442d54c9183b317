import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers (ARCHITECTURE.md): config ← constructs, lib ← report ← stacks. Each folder lists the top-level
 * folders it must never import; `constructs/` and `config/` never import Pulumi either. bench/ and
 * conformance/ measure and judge the product, so they may use any layer but never the tests' helpers.
 */
const FORBIDDEN_IMPORTS = {
  config: ["constructs", "lib", "report", "stacks", "bench", "conformance", "test"],
  constructs: ["lib", "report", "stacks", "bench", "conformance", "test"],
  lib: ["report", "stacks", "bench", "conformance", "test"],
  report: ["stacks", "bench", "conformance", "test"],
  stacks: ["bench", "conformance", "test"],
  bench: ["test"],
  conformance: ["test"],
};
const NO_PULUMI = new Set(["config", "constructs"]);

/** Relative import patterns that reach `folder` at the top of the tree from any depth below `layer`. */
function pathsTo(folder) {
  return [1, 2, 3, 4, 5].flatMap((depth) => {
    const up = "../".repeat(depth);
    return [`${up}${folder}`, `${up}${folder}/**`];
  });
}

const layerRules = Object.entries(FORBIDDEN_IMPORTS).map(([layer, forbidden]) => ({
  files: [`${layer}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...forbidden.map((folder) => ({
            group: pathsTo(folder),
            message: `layering: ${layer}/ must not import ${folder}/ (config ← constructs, lib ← report ← stacks; see eslint.config.mjs)`,
          })),
          ...(NO_PULUMI.has(layer) ? [{ group: ["@pulumi/*"], message: `layering: ${layer}/ must not import Pulumi; Pulumi code lives in lib/` }] : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "dist/**",
      "coverage/**",
      "bench/out/**",
      "build/**",
      "examples/*/node_modules/**",
      "examples/*/build/**",
      "examples/*/dist/**",
      "constructs/gatekeeper/imports/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always"],
      // Files that each hold one idea: no file over 400 lines (tests included).
      "max-lines": ["error", { max: 400 }],
    },
  },
  {
    // Functions a reader can hold in their head. Tests are exempt: a describe() callback is a list of cases.
    files: ["**/*.ts"],
    ignores: ["test/**", "examples/*/test/**"],
    rules: { "max-lines-per-function": ["error", { max: 80 }] },
  },
  ...layerRules,
);
