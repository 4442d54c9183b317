/**
 * Certificates made for one conformance run only (openssl): a CA, a serving certificate for 127.0.0.1 (used by
 * etcd, kube-apiserver and the Gatekeeper webhook), an admin client certificate (group system:masters), and the
 * service-account signing key. Everything lives in the run's temporary directory and is removed with it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Paths of the run's key material. */
export interface RunPki {
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Signs a CSR for `subject` with the CA; `extensions` is an openssl v3 extension section body. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), `[v3]\n${extensions}\n`);
  openssl(
    ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "1",
      "-sha256",
      "-extfile",
      `${name}.ext`,
      "-extensions",
      "v3",
      "-out",
      `${name}.crt`,
    ],
    dir,
  );
}

/** Creates the run's PKI in `dir` (which must exist). */
export function createRunPki(dir: string): RunPki {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "1",
      "-subj",
      "/CN=bulwark-conformance-ca",
    ],
    dir,
  );
  issue(
    dir,
    "serving",
    "/CN=127.0.0.1",
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost",
  );
  // The API server maps O= to groups: system:masters is the bootstrap admin group, needed to create RBAC at all.
  issue(
    dir,
    "admin",
    "/O=system:masters/CN=bulwark-conformance-admin",
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth",
  );
  openssl(["genrsa", "-out", "sa.key", "2048"], dir);
  openssl(["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  const at = (file: string): string => join(dir, file);
  return {
    caCert: at("ca.crt"),
    caKey: at("ca.key"),
    servingCert: at("serving.crt"),
    servingKey: at("serving.key"),
    adminCert: at("admin.crt"),
    adminKey: at("admin.key"),
    serviceAccountKey: at("sa.key"),
    serviceAccountPub: at("sa.pub"),
  };
}

/** A kubeconfig for the admin user (client certificate) against `server`. */
export function writeKubeconfig(file: string, server: string, pki: RunPki): void {
  const b64 = (path: string): string => readFileSync(path).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "conformance", cluster: { server, "certificate-authority-data": b64(pki.caCert) } }],
    users: [{ name: "admin", user: { "client-certificate-data": b64(pki.adminCert), "client-key-data": b64(pki.adminKey) } }],
    contexts: [{ name: "conformance", context: { cluster: "conformance", user: "admin" } }],
    "current-context": "conformance",
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
}
