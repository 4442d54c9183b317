/**
 * Reading the API server's admission verdict from a dry-run create, and Gatekeeper's report of which
 * templates it turned into ValidatingAdmissionPolicies. The verdict reader is pure (tested in jest).
 */
import type { KubeClient } from "./client";
import type { SynthDocument } from "./manifests";

/** The server's verdict and, for a denial, which admission step said no. */
export interface AdmissionVerdict {
  readonly kind: "allowed" | "denied" | "invalid" | "error";
  readonly by?: "PodSecurity" | "ValidatingAdmissionPolicy" | "Gatekeeper webhook" | "other admission";
  readonly message: string;
}

/**
 * 2xx (and 409 AlreadyExists, which storage only answers after admission passed) is allowed; 422 is invalid
 * (validation runs before validating admission: no verdict); a 400/403 naming an admission step is denied.
 */
export function admissionVerdict(status: number, message: string): AdmissionVerdict {
  if ((status >= 200 && status < 300) || status === 409) return { kind: "allowed", message: "" };
  // A VAP denial is a 422 ("<resource> \"x\" is forbidden: ValidatingAdmissionPolicy ..."): match the steps first.
  if (message.includes("violates PodSecurity")) return { kind: "denied", by: "PodSecurity", message };
  if (/ValidatingAdmissionPolicy '[^']+' with binding '[^']+' denied request/.test(message))
    return { kind: "denied", by: "ValidatingAdmissionPolicy", message };
  if (message.includes('admission webhook "validation.gatekeeper.sh" denied the request')) return { kind: "denied", by: "Gatekeeper webhook", message };
  if (status === 422) return { kind: "invalid", message };
  if (status === 403 || status === 400) return { kind: "denied", by: "other admission", message };
  return { kind: "error", message: `HTTP ${status} ${message}` };
}

/**
 * The constraints a denial names: the binding of a generated VAP (the first that denied; Gatekeeper 3.23 names
 * it `gatekeeper-<kind in lower case>-<constraint>` next to its policy `gatekeeper-<kind in lower case>`, older
 * releases `gatekeeper-<constraint>`), or every `[<constraint>]` of Gatekeeper's webhook message (it lists them
 * all). Empty otherwise.
 */
export function deniedConstraints(verdict: AdmissionVerdict): string[] {
  if (verdict.by === "ValidatingAdmissionPolicy") {
    const named = /ValidatingAdmissionPolicy 'gatekeeper-([^']+)' with binding 'gatekeeper-([^']+)' denied request/.exec(verdict.message);
    if (!named) return [];
    const [, policy, binding] = named;
    return [binding.startsWith(`${policy}-`) ? binding.slice(policy.length + 1) : binding];
  }
  if (verdict.by === "Gatekeeper webhook") {
    const body = verdict.message.slice(verdict.message.indexOf("denied the request:"));
    return [...new Set([...body.matchAll(/\[([a-z0-9.-]+)\]/g)].map((m) => m[1]))].sort();
  }
  return [];
}

/**
 * Templates Gatekeeper did not turn into a ValidatingAdmissionPolicy (with its reason), and constraints without
 * a binding, as `<template>: <why>` lines. Empty when every template has its VAP and every constraint its binding.
 */
/** The ValidatingAdmissionPolicyBinding Gatekeeper 3.23 generates for a constraint (names under 253 characters). */
export function vapBindingName(kind: string, constraint: string): string {
  return `gatekeeper-${kind.toLowerCase()}-${constraint}`;
}

export async function vapProblems(client: KubeClient, templates: readonly SynthDocument[], constraints: readonly SynthDocument[]): Promise<string[]> {
  const problems: string[] = [];
  for (const template of templates) {
    const name = String(template.object.metadata?.name);
    const body = await client.expectOk("GET", `/apis/templates.gatekeeper.sh/v1/constrainttemplates/${name}`);
    const byPod =
      (body.status as { byPod?: { vapGenerationStatus?: { state?: string; warning?: string }; errors?: { message: string }[] }[] } | undefined)?.byPod ?? [];
    const vapStatus = byPod.map((p) => p.vapGenerationStatus).find((s) => s !== undefined);
    const errors = byPod.flatMap((p) => p.errors ?? []).map((e) => e.message);
    const vap = await client.send("GET", `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/gatekeeper-${name}`);
    if (vap.status !== 200) {
      problems.push(
        `${name}: no ValidatingAdmissionPolicy (${vapStatus ? `state ${vapStatus.state ?? "?"}${vapStatus.warning ? `: ${vapStatus.warning}` : ""}` : "no vapGenerationStatus"}${errors.length ? `; errors: ${errors.join("; ")}` : ""})`,
      );
    } else {
      // The generated policy must fail closed (lib/gatekeeper/release.ts defaultK8sNativeValidationFailurePolicy).
      const failurePolicy = (vap.body.spec as { failurePolicy?: string } | undefined)?.failurePolicy;
      if (failurePolicy !== "Fail") problems.push(`${name}: ValidatingAdmissionPolicy failurePolicy ${String(failurePolicy)}, not Fail`);
    }
  }
  for (const constraint of constraints) {
    const name = String(constraint.object.metadata?.name);
    // Gatekeeper 3.23's binding name (transform.GetVAPBindingName): the constraint's kind, lower-cased, then its name.
    const binding = await client.send(
      "GET",
      `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${vapBindingName(String(constraint.object.kind), name)}`,
    );
    if (binding.status !== 200) problems.push(`${String(constraint.object.kind)}/${name}: no ValidatingAdmissionPolicyBinding`);
  }
  return problems;
}
