/** Gatekeeper: the release itself, the ExpansionTemplates, and one control per policy (or policy group). */
import { asArray, nameOf, objectRef, plannedKubernetes } from "../evidence";
import { gatekeeperObjects, list, planResources } from "../plan-view";
import type { Control } from "../types";
import { BP, constraintControl, control, missing, NSA, ref, requireAll, T_MUTATIONS, T_RELEASE } from "./control";

/** How Gatekeeper runs: fail-closed, replicated, audited, and reaching workload pod templates. */
export const gatekeeperControls: Control[] = [
  control(
    {
      id: "K8S-GATEKEEPER-HARDENED",
      title: "Gatekeeper runs fail-closed, replicated with a PDB, with audit, and exempts only listed namespaces",
      layer: "cluster",
      checklist: "Pod Security Standards",
      nsa: NSA.psEnforcement,
      bp: BP.pod,
    },
    "resource",
    "kubernetes:helm.sh/v3:Release gatekeeper",
    { file: T_RELEASE, name: "GatekeeperRelease › audits, fails closed, generates ValidatingAdmissionPolicies from CEL templates, expands controllers" },
    (ctx) => {
      const release = planResources(ctx.plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "gatekeeper");
      if (!release) return missing("no Gatekeeper Helm release in the plan");
      const v = release.inputs.values;
      const problems: string[] = [];
      if (v?.validatingWebhookFailurePolicy !== "Fail") problems.push("webhook fails open");
      if (Number(v?.replicas) < 2) problems.push("fewer than 2 replicas");
      if (v?.disableAudit === true) problems.push("audit disabled");
      if (!release.inputs.version) problems.push("chart version not pinned");
      if (asArray(v?.controllerManager?.exemptNamespaces).some((n) => String(n).includes("*"))) problems.push("wildcard namespace exemption");
      return requireAll([ref(release)], problems);
    },
  ),
  control(
    {
      id: "K8S-POD-EXPANSION",
      title: "Pod rules also apply to the pod templates of every workload controller (ExpansionTemplates)",
      layer: "cluster",
      checklist: "Pod Security Standards",
      nsa: NSA.psEnforcement,
      bp: BP.pod,
    },
    "construct",
    "gatekeeper-templates (ExpansionTemplate)",
    { file: T_MUTATIONS, name: "removing one control turns its row missing › K8S-POD-EXPANSION without the CronJob ExpansionTemplate" },
    (ctx) => {
      const expansions = gatekeeperObjects(ctx.charts, "ExpansionTemplate");
      const kinds = new Set(expansions.flatMap((e) => list(e.spec?.applyTo).flatMap((a) => list(a.kinds).map(String))));
      const absent = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].filter((k) => !kinds.has(k));
      const notPlanned = expansions.filter((e) => !plannedKubernetes(ctx, "ExpansionTemplate", nameOf(e))).map((e) => `${objectRef(e)} not in the plan`);
      return requireAll(expansions.map(objectRef), [...absent.map((k) => `${k} pod templates are not expanded`), ...notPlanned]);
    },
  ),
];

/** One control per Gatekeeper policy: template and constraint synthesized and planned, deny, suite passed. */
export const constraintControls: Control[] = [
  constraintControl(
    {
      id: "GK-ALLOWED-REGISTRIES",
      title: "Images only from the allowed registries (exact prefix match)",
      layer: "workload",
      checklist: "image policies",
      nsa: NSA.images,
      cis: "5.1.4 Minimize Container Registries to only those approved",
      bp: BP.image,
    },
    ["allowed-registries"],
  ),
  constraintControl(
    { id: "GK-IMAGE-TAGS", title: "No `:latest` or untagged images", layer: "workload", checklist: "image policies", nsa: NSA.images, bp: BP.image },
    ["image-tags"],
  ),
  constraintControl(
    {
      id: "GK-CONTAINER-RESOURCES",
      title: "Every container sets CPU and memory requests and limits",
      layer: "workload",
      checklist: "node isolation",
      nsa: NSA.resourcePolicies,
      bp: BP.multiTenancy,
    },
    ["container-resources"],
  ),
  constraintControl(
    {
      id: "GK-SA-TOKEN",
      title: "Pods mount an API token only with an allowlisted ServiceAccount",
      layer: "workload",
      checklist: "service-account tokens",
      nsa: NSA.saTokens,
      cis: "4.1.6 Ensure that Service Account Tokens are only mounted where necessary",
      bp: BP.iam,
    },
    ["service-account-token"],
  ),
  constraintControl(
    { id: "GK-NO-NODEPORT", title: "No NodePort Services", layer: "workload", checklist: "node isolation", nsa: NSA.workerSegmentation, bp: BP.network },
    ["service-no-nodeport"],
  ),
  constraintControl(
    {
      id: "GK-NO-EXTERNAL-IPS",
      title: "No Service externalIPs (CVE-2020-8554 traffic interception)",
      layer: "workload",
      checklist: "default deny network policies",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    ["service-no-external-ips"],
  ),
  constraintControl(
    {
      id: "GK-INTERNAL-LB",
      title: "LoadBalancer Services are internal unless the namespace is listed",
      layer: "workload",
      checklist: "restrict API access",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    ["service-internal-load-balancer"],
  ),
  constraintControl(
    {
      id: "GK-INGRESS-INTERNAL",
      title: "Ingresses use the internal ALB IngressClass; the internet-facing class or scheme only where the namespace is listed",
      layer: "workload",
      checklist: "restrict API access",
      nsa: NSA.netpol,
      bp: BP.network,
    },
    ["ingress-internal-class"],
  ),
  constraintControl(
    {
      id: "GK-INGRESS-TLS",
      title: "Ingresses terminate TLS",
      layer: "workload",
      checklist: "encrypt data at rest and rotate keys",
      nsa: NSA.encryption,
      bp: BP.encryption,
    },
    ["ingress-tls"],
  ),
  constraintControl(
    {
      id: "GK-RBAC-NO-WILDCARDS",
      title: "Admission denies Roles/ClusterRoles with `*`",
      layer: "cluster",
      checklist: "RBAC least privilege",
      nsa: NSA.rbac,
      cis: "4.1.3 Minimize wildcard use in Roles and ClusterRoles",
      bp: BP.iam,
    },
    ["rbac-no-wildcards"],
  ),
  constraintControl(
    {
      id: "GK-RBAC-NO-ESCALATION",
      title: "Admission denies escalate, bind and impersonate in RBAC rules",
      layer: "cluster",
      checklist: "attack paths",
      nsa: NSA.rbac,
      cis: "4.1.8 Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
      bp: BP.iam,
    },
    ["rbac-no-escalation-verbs", "rbac-no-sensitive-grants", "rbac-reserved-identities"],
  ),
  constraintControl(
    {
      id: "GK-CLUSTER-ADMIN-BINDING",
      title: "Admission denies cluster-admin bindings beyond the break-glass list",
      layer: "cluster",
      checklist: "attack paths",
      nsa: NSA.rbac,
      cis: "4.1.1 Ensure that the cluster-admin role is only used where required",
      bp: BP.iam,
    },
    ["rbac-cluster-admin-binding"],
  ),
  constraintControl(
    {
      id: "GK-RBAC-PUBLIC-SUBJECTS",
      title: "Admission denies bindings to system:anonymous, system:unauthenticated, system:authenticated",
      layer: "cluster",
      checklist: "restrict API access",
      nsa: NSA.rbac,
      bp: BP.iam,
    },
    ["rbac-no-public-subjects"],
  ),
  constraintControl(
    {
      id: "GK-NS-POD-SECURITY",
      title: "Admission requires Pod Security labels on every namespace (no privileged)",
      layer: "cluster",
      checklist: "Pod Security Standards",
      nsa: NSA.psEnforcement,
      bp: BP.pod,
    },
    ["namespace-pod-security"],
  ),
  constraintControl(
    { id: "GK-NS-OWNER", title: "Every namespace carries an owner label", layer: "cluster", checklist: "static YAML analysis", bp: BP.multiTenancy },
    ["namespace-owner"],
  ),
  constraintControl(
    { id: "GK-REQUIRED-LABELS", title: "Workloads carry the required labels", layer: "workload", checklist: "static YAML analysis", bp: BP.compliance },
    ["required-labels"],
  ),
  constraintControl(
    {
      id: "PSS-PRIVILEGED",
      title: "No privileged containers",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    ["pss-privileged"],
  ),
  constraintControl(
    {
      id: "PSS-HOST-NAMESPACES",
      title: "No hostNetwork, hostPID or hostIPC",
      layer: "workload",
      checklist: "node isolation",
      nsa: NSA.podSecurity,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    ["pss-host-namespaces"],
  ),
  constraintControl(
    {
      id: "PSS-HOST-PATH",
      title: "No hostPath volumes; only the restricted volume types",
      layer: "workload",
      checklist: "node isolation",
      nsa: NSA.podSecurity,
      bp: BP.pod,
    },
    ["pss-host-path-volumes", "pss-restricted-volumes", "persistent-volume-no-host-path"],
  ),
  constraintControl(
    {
      id: "PSS-HOST-PORTS",
      title: "No host ports; no host probes or lifecycle handlers",
      layer: "workload",
      checklist: "node isolation",
      nsa: NSA.podSecurity,
      bp: BP.pod,
    },
    ["pss-host-ports", "pss-host-probes"],
  ),
  constraintControl(
    {
      id: "PSS-PRIVILEGE-ESCALATION",
      title: "allowPrivilegeEscalation is false",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    ["pss-allow-privilege-escalation"],
  ),
  constraintControl(
    {
      id: "PSS-NON-ROOT",
      title: "Containers run as non-root with a non-zero UID",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.nonRoot,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    ["pss-run-as-non-root", "pss-run-as-user"],
  ),
  constraintControl(
    {
      id: "PSS-CAPABILITIES",
      title: "Capabilities: baseline additions only, restricted drops ALL",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      cis: "4.2 Pod Security Standards",
      bp: BP.pod,
    },
    ["pss-capabilities-baseline", "pss-capabilities-restricted"],
  ),
  constraintControl(
    {
      id: "PSS-SECCOMP",
      title: "seccomp RuntimeDefault or Localhost; never Unconfined",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      bp: BP.runtime,
    },
    ["pss-seccomp-baseline", "pss-seccomp-restricted"],
  ),
  constraintControl(
    {
      id: "PSS-MAC",
      title: "AppArmor and SELinux cannot be weakened",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      bp: BP.runtime,
    },
    ["pss-apparmor", "pss-selinux"],
  ),
  constraintControl(
    {
      id: "PSS-PROC-SYSCTLS",
      title: "Default /proc mount and only safe sysctls",
      layer: "workload",
      checklist: "Pod Security Standards",
      nsa: NSA.podSecurity,
      bp: BP.pod,
    },
    ["pss-proc-mount", "pss-proc-mount-restricted", "pss-sysctls"],
  ),
  constraintControl(
    {
      id: "PSS-WINDOWS-HOST-PROCESS",
      title: "No Windows HostProcess containers",
      layer: "workload",
      checklist: "node isolation",
      nsa: NSA.podSecurity,
      bp: BP.pod,
    },
    ["pss-windows-host-process"],
  ),
];
