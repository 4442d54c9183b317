/**
 * What the judges feed the API server: the synthesized objects of a stack (written by the same code as
 * `npm run synth`, then read back as the YAML text a user would apply) and a generated many-tenant stack.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { synthStack } from "../../stacks/synth";

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/** A `KEY=value` of conformance/versions.env (the one file every pinned engine version is in). */
export function pinnedVersion(key: string): string {
  const text = readFileSync(join(REPO_ROOT, "conformance", "versions.env"), "utf8");
  const line = text.split("\n").find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`conformance/versions.env has no ${key}=`);
  return line.slice(key.length + 1).trim();
}

/** One YAML document of a synthesized file: its exact text (what the server parses) and its parsed value. */
export interface SynthDocument {
  /** `<file>#<document>` with the file relative to the output directory. */
  readonly id: string;
  readonly text: string;
  readonly object: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

/** Splits a multi-document YAML file into documents, keeping each document's source text byte for byte. */
export function splitYamlDocuments(file: string, text: string): SynthDocument[] {
  return parseAllDocuments(text).flatMap((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${file}: document ${index + 1}: ${doc.errors[0].message}`);
    const object = doc.toJS() as SynthDocument["object"] | null;
    if (object === null) return [];
    const [start, , end] = doc.range;
    return [{ id: `${file}#${index + 1}`, text: text.slice(start, end), object }];
  });
}

/** Synthesizes `stack` (stack file in `projectDir`) into `outdir` and reads every document back. */
export function synthDocuments(stack: string, outdir: string, projectDir = REPO_ROOT): SynthDocument[] {
  mkdirSync(outdir, { recursive: true });
  synthStack(stack, outdir, projectDir);
  return readdirSync(outdir)
    .filter((f) => f.endsWith(".k8s.yaml"))
    .sort()
    .flatMap((f) => splitYamlDocuments(`${stack}/${f}`, readFileSync(join(outdir, f), "utf8")));
}

/** Tenant name of the `index`-th (1-based) generated tenant. */
export function generatedTenantName(index: number): string {
  return `tenant-${String(index).padStart(3, "0")}`;
}

/**
 * Writes `Pulumi.<stack>.yaml` into `projectDir`: the dev stack with its tenants replaced by `count` generated
 * ones, each shaped like dev's first tenant (groups, quota, egress) under its own name.
 */
export function writeManyTenantStack(projectDir: string, stack: string, count: number): void {
  const dev = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")).toJS() as { config: Record<string, unknown> };
  const [model] = dev.config["bulwark:tenants"] as Record<string, unknown>[];
  const tenants = Array.from({ length: count }, (_, i) => {
    const name = generatedTenantName(i + 1);
    const groups = Object.fromEntries(Object.keys(model.groups as object).map((tier) => [tier, [`${name}-${tier}s`]]));
    return { ...model, name, owner: `team-${name}`, groups };
  });
  const config = { ...dev.config, "bulwark:tenants": tenants };
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, `Pulumi.${stack}.yaml`), stringify({ config }));
}

/**
 * Writes `Pulumi.<stack>.yaml`: the dev stack with one IAM role per tenant tier (`awsPrincipals`), so the
 * tenant RoleBindings also bind the access-entry groups `bulwark:<tenant>:<tier>` (dev itself has none).
 */
export function writeAccessEntryStack(projectDir: string, stack: string): void {
  const dev = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")).toJS() as { config: Record<string, unknown> };
  const tenants = (dev.config["bulwark:tenants"] as Record<string, unknown>[]).map((tenant) => ({
    ...tenant,
    awsPrincipals: Object.fromEntries(
      Object.keys(tenant.groups as object).map((tier) => [tier, [`arn:aws:iam::123456789012:role/${String(tenant.name)}-${tier}`]]),
    ),
  }));
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, `Pulumi.${stack}.yaml`), stringify({ config: { ...dev.config, "bulwark:tenants": tenants } }));
}

/**
 * Writes `Pulumi.<stack>.yaml`: the example-alb stack with its tenants' namespaces public and their services
 * internet-facing, so the internet-facing IngressClass, its IngressClassParams (with the namespaceSelector)
 * and an Ingress naming it are synthesized too (example-alb itself has only the internal class).
 */
export function writePublicAlbStack(projectDir: string, stack: string): void {
  const example = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.example-alb.yaml"), "utf8")).toJS() as { config: Record<string, Record<string, unknown>> };
  const tenants = (example.config["bulwark:tenants"] as unknown as Record<string, unknown>[]).map((tenant): Record<string, unknown> => ({
    ...tenant,
    services: ((tenant.services ?? []) as Record<string, Record<string, unknown>>[]).map((s) =>
      s.ingress ? { ...s, ingress: { ...s.ingress, scheme: "internet-facing" } } : s,
    ),
  }));
  const policy = { ...example.config["bulwark:policy"], publicLoadBalancerNamespaces: tenants.map((t) => String(t.name)) };
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, `Pulumi.${stack}.yaml`), stringify({ config: { ...example.config, "bulwark:tenants": tenants, "bulwark:policy": policy } }));
}
