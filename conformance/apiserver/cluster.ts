/**
 * Lifecycle of a throw-away control plane on loopback: etcd and kube-apiserver on free 127.0.0.1 ports chosen
 * at run time, TLS with certificates made for the run, RBAC authorization, PodSecurity and
 * ValidatingAdmissionPolicy admission. Every wait is bounded and teardown always runs (success, failure,
 * exception, SIGINT/SIGTERM, timeout): processes are killed and the temporary directory removed.
 */
import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { KubeClient, waitFor } from "./client";
import type { RunPki } from "./pki";
import { createRunPki, writeKubeconfig } from "./pki";

/** Paths of the built engines, as `conformance/apiserver/tools.sh` prints them. */
export interface ToolPaths {
  readonly "kube-apiserver": string;
  readonly etcd: string;
  /** The gatekeeper/v3 module's source in the Go module cache (its chart's CRDs are read from there). */
  readonly "gatekeeper-module": string;
  readonly gatekeeper?: string;
}

/** Builds (or reuses) the tools; exits 2 from the script without Go. `which` limits what is built. */
export function ensureTools(which: readonly ("kube-apiserver" | "etcd" | "gatekeeper-module" | "gatekeeper")[]): Partial<ToolPaths> {
  const script = resolve(__dirname, "tools.sh");
  const paths: Record<string, string> = {};
  for (const tool of which) {
    const out = execFileSync(script, [tool], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    for (const line of out.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) paths[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return paths as Partial<ToolPaths>;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  readonly tools: Pick<ToolPaths, "kube-apiserver" | "etcd">;
  /**
   * Bound on each start-up wait (etcd and API server readiness).
   * @default 120000 ms
   */
  readonly startTimeoutMs?: number;
}

/** Range the API server allocates Service IPs from (nothing routes to it; the flag is mandatory). */
const SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";
/** Admission plugins the judges depend on, on top of the API server's defaults. */
export const ADMISSION_PLUGINS = [
  "NamespaceLifecycle",
  "ServiceAccount",
  "PodSecurity",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionWebhook",
  "ResourceQuota",
  "LimitRanger",
] as const;

/** A running control plane. */
export class Cluster {
  private readonly children: { name: string; process: ChildProcess; log: string }[] = [];
  private stopped = false;
  readonly pki: RunPki;
  client!: KubeClient;
  kubeconfig!: string;
  apiserverPort = 0;

  constructor(readonly dir: string) {
    this.pki = createRunPki(dir);
  }

  /** Starts a binary with its output in `<dir>/<name>.log`. */
  spawnLogged(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const log = join(this.dir, `${name}.log`);
    const fd = openSync(log, "a");
    const child = spawn(command, args, { stdio: ["ignore", fd, fd], env });
    closeSync(fd);
    child.on("error", () => undefined); // reported through the readiness wait and the log
    this.children.push({ name, process: child, log });
    return child;
  }

  /** The last lines of a child's log, for error messages. */
  logTail(name: string, lines = 30): string {
    const entry = this.children.find((c) => c.name === name);
    if (!entry) return "";
    try {
      return readFileSync(entry.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Throws with the log tail when a child has exited. */
  assertRunning(name: string): void {
    const entry = this.children.find((c) => c.name === name);
    if (entry && entry.process.exitCode !== null) {
      throw new Error(`${name} exited with code ${entry.process.exitCode}:\n${this.logTail(name)}`);
    }
  }

  /** Kills every child (TERM, then KILL after a bounded wait) and removes the directory. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const { process: child } of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill("SIGTERM");
      const exited = await Promise.race([
        new Promise<boolean>((r) => child.once("exit", () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!exited) child.kill("SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous last resort for `process.on("exit")`: no waiting is possible there. */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const { process: child } of this.children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startEtcd(cluster: Cluster, tools: ClusterOptions["tools"], timeoutMs: number): Promise<string> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `https://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const { pki } = cluster;
  cluster.spawnLogged("etcd", tools.etcd, [
    "--name=conformance",
    `--data-dir=${join(cluster.dir, "etcd")}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=conformance=${peer}`,
    `--cert-file=${pki.servingCert}`,
    `--key-file=${pki.servingKey}`,
    `--trusted-ca-file=${pki.caCert}`,
    "--client-cert-auth",
    "--log-level=warn",
  ]);
  // etcd's /health over TLS with the run's client certificate (the serving certificate also has clientAuth).
  const probe = new KubeClient(new URL(url), { caCert: pki.caCert, adminCert: pki.servingCert, adminKey: pki.servingKey });
  await waitFor("etcd /health", timeoutMs, async () => {
    cluster.assertRunning("etcd");
    const res = await probe.send("GET", "/health");
    return res.status === 200 && res.body.health === "true";
  });
  return url;
}

function apiserverArgs(cluster: Cluster, etcdUrl: string, port: number): string[] {
  const { pki } = cluster;
  return [
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${join(cluster.dir, "apiserver-certs")}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--etcd-servers=${etcdUrl}`,
    `--etcd-cafile=${pki.caCert}`,
    `--etcd-certfile=${pki.servingCert}`,
    `--etcd-keyfile=${pki.servingKey}`,
    "--authorization-mode=RBAC",
    // As on EKS: privileged containers are allowed by the API server and left to admission (PSA, Gatekeeper).
    "--allow-privileged=true",
    `--enable-admission-plugins=${ADMISSION_PLUGINS.join(",")}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    // A loopback advertise address is not a valid Endpoints IP; nothing here needs the `kubernetes` Service.
    "--endpoint-reconciler-type=none",
    "--profiling=false",
    "--v=0",
  ];
}

/** Starts etcd and kube-apiserver and waits (bounded) for /readyz. Stops everything on any failure. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const cluster = new Cluster(mkdtempSync(join(tmpdir(), "bulwark-apiserver-")));
  const onSignal = (signal: NodeJS.Signals): void => {
    void cluster.stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  const onExit = (): void => cluster.stopNow();
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal).once("exit", onExit);
  const originalStop = cluster.stop.bind(cluster);
  cluster.stop = async () => {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal).off("exit", onExit);
    await originalStop();
  };
  try {
    const etcdUrl = await startEtcd(cluster, options.tools, timeoutMs);
    cluster.apiserverPort = await freePort();
    const server = new URL(`https://127.0.0.1:${cluster.apiserverPort}`);
    cluster.spawnLogged("kube-apiserver", options.tools["kube-apiserver"], apiserverArgs(cluster, etcdUrl, cluster.apiserverPort));
    cluster.client = new KubeClient(server, cluster.pki);
    await waitFor(
      "kube-apiserver /readyz",
      timeoutMs,
      async () => {
        cluster.assertRunning("kube-apiserver");
        return (await cluster.client.send("GET", "/readyz")).status === 200;
      },
      500,
    );
    cluster.kubeconfig = join(cluster.dir, "kubeconfig");
    writeKubeconfig(cluster.kubeconfig, server.toString().replace(/\/$/, ""), cluster.pki);
    await cluster.client.discover();
    return cluster;
  } catch (error) {
    const tail = `etcd log:\n${cluster.logTail("etcd", 15)}\nkube-apiserver log:\n${cluster.logTail("kube-apiserver", 30)}`;
    await cluster.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail}`, { cause: error });
  }
}

/** Runs `body` against a fresh cluster, bounded by `timeoutMs`, and always tears the cluster down. */
export async function withCluster<T>(options: ClusterOptions & { readonly timeoutMs?: number }, body: (cluster: Cluster) => Promise<T>): Promise<T> {
  const cluster = await startCluster(options);
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      body(cluster),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`conformance run exceeded ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    await cluster.stop();
  }
}

/** The server's version string (`gitVersion`), e.g. `v1.33.13`. */
export async function serverVersion(client: KubeClient): Promise<string> {
  const body = await client.expectOk("GET", "/version");
  return String(body.gitVersion);
}
