/**
 * The typed Gatekeeper bindings `cdk8s import` generated (constructs/gatekeeper/imports/, by
 * scripts/import-gatekeeper-crds.sh) stay true to the policies: every template has its constraint binding,
 * every synthesized constraint's parameters survive the binding unchanged (so no field is renamed or
 * dropped, and a schema changed without regenerating fails here), and a misspelt parameter does not compile.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import * as constraintBindings from "../../constructs/gatekeeper/imports/constraints.gatekeeper.sh";
import { synthesizeGatekeeperObjects } from "../../constructs/gatekeeper/check";
import { loadPolicies } from "../../constructs/gatekeeper/policy";
import { devConfig, REPO_ROOT } from "../support/repo";

type Binding = { GVK: { apiVersion: string; kind: string }; manifest(props: unknown): { spec?: { parameters?: unknown } } };
const bindings = Object.values(constraintBindings).filter((v): v is Binding & typeof v => typeof v === "function" && "GVK" in v) as unknown as Binding[];
const bindingOf = (kind: string) => bindings.find((b) => b.GVK.kind === kind);

type Constraint = { apiVersion: string; kind: string; metadata: { name: string }; spec: { parameters?: unknown } };
const constraints = (synthesizeGatekeeperObjects({ config: devConfig() }) as Constraint[]).filter((o) => o.apiVersion.startsWith("constraints.gatekeeper.sh/"));

it.each(loadPolicies().map((p) => [p.name, p.kind] as const))(
  "policy %s has a generated constraint binding (else run scripts/import-gatekeeper-crds.sh)",
  (_name, kind) => {
    expect(bindingOf(kind)?.GVK).toEqual({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind });
  },
);

it.each(constraints.filter((c) => c.spec.parameters !== undefined).map((c) => [`${c.kind}/${c.metadata.name}`, c] as const))(
  "constraint %s: its parameters pass through the generated binding unchanged",
  (_id, constraint) => {
    const manifest = bindingOf(constraint.kind)!.manifest({ spec: { parameters: constraint.spec.parameters } });
    expect(manifest.spec?.parameters).toEqual(constraint.spec.parameters);
  },
);

it("a policy whose parameters misspell a field of the template's schema does not type-check", () => {
  const planted = join(REPO_ROOT, "constructs", "gatekeeper", "policies", `planted-${process.pid}.ts`);
  writeFileSync(
    planted,
    [
      'import { definePolicy, POD_KINDS } from "../policy";',
      'import type { BulwarkAllowedRegistriesSpecParameters } from "../imports/constraints.gatekeeper.sh";',
      'export const wrong = definePolicy<BulwarkAllowedRegistriesSpecParameters>({ dir: __dirname, matchKinds: POD_KINDS, parameters: () => ({ registires: ["r/"] }) });',
      'export const right = definePolicy<BulwarkAllowedRegistriesSpecParameters>({ dir: __dirname, matchKinds: POD_KINDS, parameters: () => ({ registries: ["r/"] }) });',
    ].join("\n"),
  );
  try {
    const program = ts.createProgram([planted], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
    });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === planted);
    const lines = errors.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
    expect(lines).toEqual([3]);
    expect(ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")).toMatch(/registires/);
  } finally {
    rmSync(planted, { force: true });
  }
});
