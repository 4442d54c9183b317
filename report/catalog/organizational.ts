/** Organizational guidance: no code can enforce these; never counted as enforced. */
import type { Control } from "../types";
import { BP, NSA, organizational } from "./control";

export const organizationalControls: Control[] = [
  organizational({
    id: "ORG-THREAT-MODEL",
    title: "Threat-model the cluster and tenant workloads; revisit on architecture changes",
    layer: "cluster",
    checklist: "attack paths",
    nsa: NSA.threat,
    bp: BP.multiTenancy,
  }),
  organizational({
    id: "ORG-TRAINING",
    title: "Train platform and app teams on Kubernetes security and this blueprint's opt-outs",
    layer: "build",
    checklist: "RBAC least privilege",
    bp: BP.compliance,
  }),
  organizational({
    id: "ORG-SECURITY-ANNOUNCEMENTS",
    title: "Subscribe to Kubernetes security announcements and AWS EKS security bulletins",
    layer: "cluster",
    checklist: "keeping Kubernetes up to date",
    nsa: NSA.upgrading,
    bp: BP.infra,
  }),
  organizational({
    id: "ORG-UPGRADE-CADENCE",
    title: "Upgrade the minor version before standard support ends (plan, test, roll out)",
    layer: "aws",
    checklist: "keeping Kubernetes up to date",
    nsa: NSA.upgrading,
    bp: BP.infra,
  }),
  organizational({
    id: "ORG-INCIDENT-RESPONSE",
    title: "Incident-response runbooks: isolate a pod or node, preserve evidence, rotate credentials",
    layer: "cluster",
    checklist: "audit logging",
    nsa: NSA.threat,
    bp: BP.incident,
  }),
  organizational({
    id: "ORG-ACCESS-REVIEW",
    title: "Review IdP group membership and admin principals periodically",
    layer: "aws",
    checklist: "third-party authentication",
    nsa: NSA.authn,
    bp: BP.iam,
  }),
  organizational({
    id: "ORG-SECRETS-HYGIENE",
    title: "Keep long-lived credentials out of Secrets; prefer IRSA / Pod Identity and an external secret store",
    layer: "workload",
    checklist: "secrets management",
    nsa: NSA.secrets,
    cis: "4.4.2 Consider external secret storage",
    bp: BP.encryption,
  }),
];
