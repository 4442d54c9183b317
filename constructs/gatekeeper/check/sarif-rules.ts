/**
 * SARIF rule metadata (reportingDescriptor) for code scanning: full description, markdown help (what the
 * rule protects, how to fix, where it is documented), `security-severity` and tags. Gatekeeper kinds are
 * described from their ConstraintTemplate's annotations; Dockerfile rules from their catalog.
 */
import { DOCKERFILE_RULES } from "../../dockerfile";
import { BUNDLES_ANNOTATION } from "../resources";

/** The rule of objects whose pod template no ExpansionTemplate covers. */
export const NOT_CHECKED_RULE = "BulwarkNotChecked";

/** GitHub reads `security-severity` as a CVSS-like score: 9+ critical, 7+ high, 4+ medium, else low. */
type Severity = "9.0" | "8.0" | "7.0" | "5.0" | "3.0";

/** What protects what, and how to fix, per Dockerfile rule. */
const DOCKERFILE_HELP: Readonly<Record<string, { protects: string; fix: string; severity: Severity }>> = {
  [DOCKERFILE_RULES.untagged.id]: {
    protects: "an untagged base image is `latest`: builds change without a change to the Dockerfile",
    fix: "name a version (`node:20.18`) or pin a digest (`@sha256:...`)",
    severity: "5.0",
  },
  [DOCKERFILE_RULES.latest.id]: {
    protects: "`latest` moves: the same Dockerfile builds different images",
    fix: "name a version or pin a digest",
    severity: "5.0",
  },
  [DOCKERFILE_RULES.registry.id]: {
    protects: "base images only from the registries the cluster admits (the allowed-registries policy), so a build cannot start from an unreviewed image",
    fix: "use a base image mirrored into an allowed registry, or allow it explicitly with `--allowed-base-image`",
    severity: "7.0",
  },
  [DOCKERFILE_RULES.unresolved.id]: {
    protects: "a base image chosen at build time cannot be checked",
    fix: "give the `ARG` before `FROM` a default",
    severity: "3.0",
  },
  [DOCKERFILE_RULES.rootUser.id]: {
    protects: "a container running as root turns an application bug into root in the container (and the restricted Pod Security profile rejects it)",
    fix: "end the final stage with `USER <non-root uid>`, e.g. `USER 10001`",
    severity: "7.0",
  },
  [DOCKERFILE_RULES.volume.id]: {
    protects: "a volume over `/`, `/proc`, `/sys`, `/dev`, `/etc` or the Docker socket invites mounting the host into the container",
    fix: "declare volumes only for application data, e.g. `/data`",
    severity: "7.0",
  },
  [DOCKERFILE_RULES.integrity.id]: {
    protects: "packages and scripts installed without signature or TLS verification can be replaced in transit",
    fix: "keep verification on; download to a file and check its checksum before running it",
    severity: "8.0",
  },
  [DOCKERFILE_RULES.secret.id]: {
    protects: "a secret copied into a layer stays in the image (and every registry it is pushed to) even if a later layer deletes it",
    fix: "copy it only in a build stage the final image does not build on, or use `RUN --mount=type=secret`",
    severity: "9.0",
  },
};

/** A SARIF reportingDescriptor. */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly properties: { readonly "security-severity": Severity; readonly tags: readonly string[]; readonly precision: "very-high" };
}

function describe(id: string, short: string, full: string, protects: string, fix: string, docs: string, severity: Severity, tags: string[]): SarifRule {
  const markdown = `**${short}**\n\n${full}\n\n**Protects:** ${protects}.\n\n**Fix:** ${fix}.\n\nDocumented in [docs/policies.md](${docs}) of Bulwark.`;
  return {
    id,
    name: id,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: { text: `${full} Protects: ${protects}. Fix: ${fix}. See ${docs} of Bulwark.`, markdown },
    properties: { "security-severity": severity, tags: ["security", ...tags], precision: "very-high" },
  };
}

interface TemplateInfo {
  readonly description: string;
  readonly bundles: readonly string[];
  readonly policy: string;
}

function templatesByKind(objects: readonly Record<string, unknown>[]): Map<string, TemplateInfo> {
  const out = new Map<string, TemplateInfo>();
  for (const object of objects) {
    if (object.kind !== "ConstraintTemplate") continue;
    const meta = (object.metadata ?? {}) as { annotations?: Record<string, string> };
    const kind = ((object.spec ?? {}) as { crd?: { spec?: { names?: { kind?: string } } } }).crd?.spec?.names?.kind;
    if (!kind) continue;
    const annotations = meta.annotations ?? {};
    out.set(kind, {
      description: annotations.description ?? `Gatekeeper constraint kind ${kind}`,
      bundles: (annotations[BUNDLES_ANNOTATION] ?? "").split(",").filter(Boolean),
      policy: annotations["bulwark.dev/policy"] ?? kind,
    });
  }
  return out;
}

function gatekeeperSeverity(info: TemplateInfo): Severity {
  if (info.bundles.includes("pss-baseline") || info.policy.startsWith("rbac-")) return "8.0";
  if (info.bundles.includes("pss-restricted")) return "7.0";
  return "5.0";
}

/** Rule metadata for each id, from the Gatekeeper objects the run used. */
export function sarifRules(ids: readonly string[], gatekeeperObjects: readonly Record<string, unknown>[]): SarifRule[] {
  const templates = templatesByKind(gatekeeperObjects);
  const dockerfile = new Map<string, { id: string; title: string; hadolint?: string }>(Object.values(DOCKERFILE_RULES).map((r) => [r.id, r]));
  return ids.map((id) => {
    const rule = dockerfile.get(id);
    if (rule) {
      const help = DOCKERFILE_HELP[id];
      const hadolint = rule.hadolint ? ` Same check as hadolint ${rule.hadolint}.` : "";
      return describe(
        id,
        `Dockerfile: ${rule.title}${rule.hadolint ? ` (hadolint ${rule.hadolint})` : ""}`,
        `${rule.title}.${hadolint}`,
        help.protects,
        help.fix,
        "docs/policies.md#dockerfile-rules",
        help.severity,
        ["dockerfile", ...(rule.hadolint ? [rule.hadolint] : [])],
      );
    }
    if (id === NOT_CHECKED_RULE) {
      return describe(
        id,
        "Pod template not checked",
        "An object with a pod template (spec.template.spec.containers) of a kind no ExpansionTemplate covers: neither check nor Gatekeeper sees its containers.",
        "workloads of custom kinds (Argo Rollouts, Knative Services) escape every pod policy",
        "check the Pods they create, or add an ExpansionTemplate for the kind; `--fail-on-unchecked` fails the run",
        "docs/policies.md#check-in-ci",
        "3.0",
        ["kubernetes", "coverage"],
      );
    }
    const info = templates.get(id) ?? { description: `Gatekeeper constraint kind ${id}`, bundles: [], policy: id };
    return describe(
      id,
      `${info.policy}: ${id}`,
      info.description,
      "the cluster admits only what this policy allows; the same CEL runs here and in Gatekeeper",
      "change the manifest as the message says, or ask the platform team for an exemption in the stack file",
      "docs/policies.md#the-policies",
      gatekeeperSeverity(info),
      ["kubernetes", "gatekeeper", ...info.bundles],
    );
  });
}
