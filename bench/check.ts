/**
 * Benchmark of `check`: 10,000 mixed objects (Pods, the seven controller kinds, Services, Ingresses, RBAC,
 * Namespaces, ConfigMaps; compliant and not) against the dev stack's full bundle.
 * Run: `npx tsx bench/check.ts [count]`. Prints objects/s and seconds for two runs: in memory (the engine)
 * and from a YAML file on disk (what `npm run check` does: read, parse, evaluate).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadStackFile } from "../config/load";
import type { InputObject, InputProblem } from "../constructs/gatekeeper/check";
import { createChecker, readManifestFile } from "../constructs/gatekeeper/check";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/";
const LABELS = { "app.kubernetes.io/name": "api" };

function podSpec(i: number): Record<string, unknown> {
  const compliant = i % 3 !== 0;
  return {
    automountServiceAccountToken: compliant ? false : undefined,
    securityContext: compliant ? { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } : { runAsUser: 0 },
    hostNetwork: i % 17 === 0 ? true : undefined,
    initContainers:
      i % 5 === 0
        ? [
            {
              name: "init",
              image: `${ECR}tools/init:1.${i % 9}`,
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } },
            },
          ]
        : undefined,
    containers: [
      {
        name: "app",
        image: compliant ? `${ECR}payments/api:1.${i % 50}` : i % 2 ? "nginx:latest" : `ghcr.io/example/app-${i}`,
        ports: [{ containerPort: 8080 + (i % 10) }],
        resources: compliant ? { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } } : undefined,
        securityContext: compliant
          ? { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true }
          : { privileged: i % 2 === 0, capabilities: { add: ["NET_ADMIN"] } },
      },
    ],
  };
}

/** The i-th generated object (deterministic). */
export function benchObject(i: number): Record<string, unknown> {
  const ns = i % 2 ? "payments" : "web";
  const meta = { name: `obj-${i}`, namespace: ns, labels: LABELS };
  const template = { metadata: { labels: LABELS }, spec: podSpec(i) };
  switch (i % 12) {
    case 0:
    case 1:
    case 2:
      return { apiVersion: "v1", kind: "Pod", metadata: meta, spec: podSpec(i) };
    case 3:
      return { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { selector: { matchLabels: LABELS }, template } };
    case 4:
      return {
        apiVersion: "apps/v1",
        kind: ["StatefulSet", "DaemonSet", "ReplicaSet"][i % 3],
        metadata: meta,
        spec: { selector: { matchLabels: LABELS }, template },
      };
    case 5:
      return i % 2
        ? { apiVersion: "batch/v1", kind: "Job", metadata: meta, spec: { template } }
        : { apiVersion: "batch/v1", kind: "CronJob", metadata: meta, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
    case 6:
      return { apiVersion: "v1", kind: "Service", metadata: meta, spec: { type: ["ClusterIP", "NodePort", "LoadBalancer"][i % 3], ports: [{ port: 443 }] } };
    case 7:
      return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: meta,
        spec: { tls: i % 2 ? [{ hosts: ["a.example.com"] }] : undefined, rules: [{ host: "a.example.com" }] },
      };
    case 8:
      return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: meta,
        rules: [{ apiGroups: [""], resources: ["pods"], verbs: i % 2 ? ["get", "list"] : ["*"] }],
      };
    case 9:
      return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: `crb-${i}` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: i % 2 ? "view" : "cluster-admin" },
        subjects: [{ kind: "Group", name: i % 4 === 1 ? "system:authenticated" : "oidc:team" }],
      };
    case 10:
      return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: `ns-${i}`, labels: i % 2 ? { owner: "team", "pod-security.kubernetes.io/enforce": "restricted" } : {} },
      };
    default:
      return { apiVersion: "v1", kind: "ConfigMap", metadata: meta, data: { key: `value-${i}` } };
  }
}

function main(): void {
  const count = Number(process.argv[2] ?? 10000);
  const config = loadStackFile("dev", join(__dirname, ".."));
  const objects: InputObject[] = [];
  for (let i = 0; i < count; i++) objects.push({ file: "bench", document: i + 1, line: 1, object: JSON.parse(JSON.stringify(benchObject(i))) });

  // First, cold, as `npm run check` runs: compile once, then read, parse and evaluate a 10,000-document file.
  let start = process.hrtime.bigint();
  const checker = createChecker({ config, bundle: "all" });
  const compileSeconds = Number(process.hrtime.bigint() - start) / 1e9;

  const dir = mkdtempSync(join(tmpdir(), "bulwark-bench-"));
  const file = join(dir, "objects.yaml");
  writeFileSync(file, objects.map((o) => stringify(o.object)).join("---\n"));
  start = process.hrtime.bigint();
  const fromFile = checker.checkPaths([file]);
  const fileSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  start = process.hrtime.bigint();
  const problems: InputProblem[] = [];
  const parsed = readManifestFile(file, problems);
  const parseSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (problems.length > 0 || parsed.length !== count) throw new Error(`bench input did not parse: ${JSON.stringify(problems)}`);
  rmSync(dir, { recursive: true, force: true });

  // Second, warm: the engine alone on objects already in memory.
  start = process.hrtime.bigint();
  const report = checker.checkObjects(objects);
  const memorySeconds = Number(process.hrtime.bigint() - start) / 1e9;

  const s = report.summary;
  process.stdout.write(
    [
      `check bench: ${count} objects, ${checker.policySet.size} constraints (bundle all, dev stack)`,
      `  compile (synthesize + CEL compile, once): ${compileSeconds.toFixed(2)} s`,
      `  read + parse YAML + evaluate, cold (what npm run check does): ${fileSeconds.toFixed(2)} s, ${Math.round(count / fileSeconds)} objects/s`,
      `  total, cold (compile + file run): ${(compileSeconds + fileSeconds).toFixed(2)} s`,
      `  of which read + parse YAML (measured separately): ${parseSeconds.toFixed(2)} s`,
      `  evaluate again in memory, warm: ${memorySeconds.toFixed(2)} s, ${Math.round(count / memorySeconds)} objects/s`,
      `  violations: ${s.deny} deny, ${s.warn} warn, ${s.dryrun} dryrun; file run agrees: ${JSON.stringify(fromFile.summary) === JSON.stringify(s)}`,
    ].join("\n") + "\n",
  );
}

if (require.main === module) main();
