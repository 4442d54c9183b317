import type { App } from "cdk8s";
import { Chart, Size } from "cdk8s";
import { Cpu } from "cdk8s-plus-33";
import { HardenedWorkload } from "bulwark/constructs";

/** The registry the `dev` cluster allows (bulwark:policy.allowedRegistries in Pulumi.dev.yaml). */
export const REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

/** This repository's services, each in its team's tenant namespace. */
export class ServicesChart extends Chart {
  readonly paymentsApi: HardenedWorkload;
  readonly webFrontend: HardenedWorkload;

  constructor(scope: App, id: string) {
    super(scope, id);
    this.paymentsApi = new HardenedWorkload(this, "payments-api", {
      name: "payments-api",
      namespace: "payments",
      image: `${REGISTRY}/payments/api:1.4.2`,
      port: 8080,
      replicas: 3,
      env: { LOG_LEVEL: "info" },
      resources: {
        cpu: { request: Cpu.millis(250), limit: Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    });
    this.webFrontend = new HardenedWorkload(this, "web-frontend", {
      name: "web-frontend",
      namespace: "web",
      image: `${REGISTRY}/web/frontend:2.0.1`,
      port: 8080,
      // nginx-style servers write their cache and pid file: both stay on emptyDir, the root fs read-only.
      writablePaths: ["/tmp", "/var/cache/frontend"],
      resources: {
        cpu: { request: Cpu.millis(100), limit: Cpu.millis(200) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    });
  }
}
