import { App } from "cdk8s";
import { ServicesChart } from "./services";

// `node build/src/main.js [outdir]`: writes services.k8s.yaml, the manifests CI checks and deploys.
const app = new App({ outdir: process.argv[2] ?? "dist" });
new ServicesChart(app, "services");
app.synth();
