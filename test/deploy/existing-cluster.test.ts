import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../config/errors";
import { loadStackFile } from "../../config/load";
import { GATEKEEPER_CHART } from "../../lib/gatekeeper/release";
import type { Plan, PlannedResource } from "../../lib/plan/engine";
import { planStack } from "../../stacks/plan";
import { existingStackText, scratchProject, withoutIdentities } from "../support/existing-stack";
import { configProblemsOf, REPO_ROOT, runStackCommand, synthObjects } from "../support/repo";

const byType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const releaseOf = (plan: Plan, chart: string) => byType(plan, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart) as PlannedResource;

describe("bulwark:deploy.target existing, with a kubeconfig", () => {
  let plan: Plan;
  let project: string;
  beforeAll(async () => {
    const text = existingStackText({ target: "existing", kubeconfig: { path: "kubeconfigs/prod.yaml", context: "prod-admin" } }, withoutIdentities);
    project = scratchProject(text);
    plan = await planStack("dev", project);
  });

  test("deploys only the in-cluster layer: no AWS resource, no cluster component, no load balancer controller", () => {
    expect(plan.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("bulwark:eks"))).toEqual([]);
    expect(byType(plan, "bulwark:addons:LoadBalancerController")).toEqual([]);
    expect(byType(plan, "kubernetes:storage.k8s.io/v1:StorageClass")).toEqual([]);
    expect(byType(plan, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart)).toEqual(["gatekeeper"]);
  });

  test("the provider reaches the cluster through the configured kubeconfig and context", () => {
    const [provider] = byType(plan, "pulumi:providers:kubernetes");
    expect(provider.inputs).toMatchObject({ kubeconfig: "kubeconfigs/prod.yaml", context: "prod-admin", enableServerSideApply: "true" });
  });

  test("every synthesized object is deployed, templates after Gatekeeper, constraints after templates", () => {
    const objects = synthObjects(loadStackFile("dev", project));
    // No load balancer controller here, so no IngressClasses either (their CRD comes with its chart).
    expect(objects.filter((o) => o.kind === "IngressClass" || o.kind === "IngressClassParams")).toEqual([]);
    const kubernetes = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm"));
    expect(kubernetes).toHaveLength(objects.length);
    const release = releaseOf(plan, "gatekeeper");
    const templates = byType(plan, "kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate");
    expect(templates.length).toBeGreaterThanOrEqual(20);
    for (const template of templates) expect(template.dependsOn).toContain(release.urn);
    for (const constraint of plan.resources.filter((r) => r.type.startsWith("kubernetes:constraints.gatekeeper.sh/"))) {
      for (const template of templates) expect(constraint.dependsOn).toContain(template.urn);
    }
  });
});

describe("bulwark:deploy.target existing, with an EKS cluster name", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStack("dev", scratchProject(existingStackText({ target: "existing", eksClusterName: "made-by-terraform" })));
  });

  test("adds the load balancer controller (Pod Identity on that cluster, its VPC) and makes no cluster", () => {
    expect(byType(plan, "aws:eks/cluster:Cluster")).toEqual([]);
    expect(byType(plan, "aws:kms/key:Key")).toEqual([]);
    const associations = byType(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(associations.length).toBeGreaterThanOrEqual(1);
    for (const association of associations) expect(association.inputs.clusterName).toBe("made-by-terraform");
    expect(releaseOf(plan, "aws-load-balancer-controller").inputs.values).toMatchObject({ vpcId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/) });
  });

  test("the provider's kubeconfig is built from the cluster's endpoint and is a secret", () => {
    expect(byType(plan, "pulumi:providers:kubernetes")[0].inputs.kubeconfig).toBe("[secret]");
  });
});

describe("bulwark:deploy validation", () => {
  const messages = (text: string) => configProblemsOf(text).map((p) => `${p.path} = ${JSON.stringify(p.value)}: ${p.message}`);

  test("existing needs a way to reach the cluster, and takes no phase", () => {
    expect(messages(existingStackText({ target: "existing", phase: "full" }, withoutIdentities))).toEqual([
      expect.stringMatching(/^bulwark:deploy\.target = "existing": existing needs kubeconfig \(path, optional context\) or eksClusterName/),
      expect.stringMatching(/^bulwark:deploy\.phase = "full": applies to target new only/),
    ]);
  });

  test("AWS-side cluster keys and Pod Identity without a cluster name are rejected, never ignored", () => {
    const text = existingStackText({ target: "existing", kubeconfig: { path: "k.yaml" } }, (config) => {
      (config["bulwark:cluster"] as Record<string, unknown>).logRetentionInDays = 365;
      (config["bulwark:tenants"] as Record<string, unknown>[])[0].workloadIdentities = [
        { name: "api", managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] },
      ];
    });
    const found = messages(text);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^bulwark:cluster\.logRetentionInDays = 365: does not apply to a cluster made elsewhere .*accepted there: acceptExtendedSupportCharges, kubernetesVersion, name$/,
      ),
    );
    expect(found).toContainEqual(expect.stringMatching(/^bulwark:tenants\[0\]\.workloadIdentities = .*: needs bulwark:deploy\.eksClusterName/));
  });

  test("kubeconfig and eksClusterName apply to target existing only; bad names and targets say what is accepted", () => {
    const dev = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
    expect(messages(`${dev}\n  bulwark:deploy:\n    kubeconfig: {path: k.yaml}\n    target: elsewhere\n`)).toEqual([
      expect.stringMatching(/^bulwark:deploy\.target = "elsewhere": must be new \(Bulwark makes the EKS cluster\) or existing/),
    ]);
    expect(messages(existingStackText({ target: "existing", eksClusterName: "-bad" }))).toEqual([
      expect.stringMatching(/^bulwark:deploy\.eksClusterName = "-bad": must be an EKS cluster name/),
    ]);
    expect(messages(`${dev}\n  bulwark:deploy:\n    eksClusterName: prod\n`)).toEqual([
      expect.stringMatching(/^bulwark:deploy\.eksClusterName = "prod": applies to target: existing only/),
    ]);
  });

  test("npm run plan exits 2 on a bad target, names file, line and key, and writes nothing", () => {
    const dir = scratchProject(existingStackText({ target: "existing" }, withoutIdentities));
    const result = runStackCommand("plan.ts", ["--out", "out/plan.json"], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Pulumi\.dev\.yaml:\d+: bulwark:deploy\.target = "existing": existing needs kubeconfig/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("air-gapped chart and image sources", () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const images = {
    registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror",
    digests: { gatekeeper: digest("a"), gatekeeperCrds: digest("b"), curl: digest("c") },
  };
  const messages = (deploy: string) =>
    configProblemsOf(`${readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")}\n  bulwark:deploy:\n${deploy}`).map((p) => `${p.path}: ${p.message}`);

  test("the default stays the public pinned chart", async () => {
    const plan = await planStack("dev", scratchProject(existingStackText({ target: "existing", kubeconfig: { path: "k.yaml" } }, withoutIdentities)));
    expect(releaseOf(plan, "gatekeeper").inputs).toMatchObject({ version: GATEKEEPER_CHART.version, repositoryOpts: { repo: GATEKEEPER_CHART.repository } });
  });

  test("an OCI chart at the pinned version and mirrored images pinned by digest", async () => {
    const oci = "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/gatekeeper";
    const deploy = {
      target: "existing",
      kubeconfig: { path: "k.yaml" },
      charts: { gatekeeper: { oci, version: GATEKEEPER_CHART.version } },
      images: { gatekeeper: images },
    };
    const plan = await planStack("dev", scratchProject(existingStackText(deploy, withoutIdentities)));
    const release = byType(plan, "kubernetes:helm.sh/v3:Release")[0];
    expect(release.inputs.chart).toBe(oci);
    expect(release.inputs.version).toBe(GATEKEEPER_CHART.version);
    expect(release.inputs.repositoryOpts).toBeUndefined();
    const values = release.inputs.values as Record<string, Record<string, Record<string, unknown>>>;
    expect(values.image).toEqual({
      repository: `${images.registry}/openpolicyagent/gatekeeper@${digest("a")}`,
      crdRepository: `${images.registry}/openpolicyagent/gatekeeper-crds@${digest("b")}`,
      release: "",
    });
    expect(values.postInstall.probeWebhook.image).toEqual({ repository: `${images.registry}/curlimages/curl@sha256`, tag: "c".repeat(64) });
  });

  test("a local chart directory must hold the pinned chart", async () => {
    const dir = scratchProject("");
    const chartDir = join(dir, "charts", "gatekeeper");
    mkdirSync(chartDir, { recursive: true });
    writeFileSync(join(chartDir, "Chart.yaml"), `name: gatekeeper\nversion: ${GATEKEEPER_CHART.version}\n`);
    const deploy = (path: string) => ({ target: "existing", kubeconfig: { path: "k.yaml" }, charts: { gatekeeper: { path } } });
    writeFileSync(join(dir, "Pulumi.dev.yaml"), existingStackText(deploy(chartDir), withoutIdentities));
    const plan = await planStack("dev", dir);
    expect(byType(plan, "kubernetes:helm.sh/v3:Release")[0].inputs).toMatchObject({ chart: chartDir });
    writeFileSync(join(chartDir, "Chart.yaml"), "name: gatekeeper\nversion: 3.0.0\n");
    await expect(planStack("dev", dir)).rejects.toThrow(
      /bulwark:deploy\.charts\.gatekeeper\.path = .*must hold the gatekeeper chart .*; its Chart\.yaml says gatekeeper 3\.0\.0/,
    );
    writeFileSync(join(dir, "Pulumi.dev.yaml"), existingStackText(deploy(join(dir, "nowhere")), withoutIdentities));
    await expect(planStack("dev", dir)).rejects.toThrow(ConfigError);
  });

  test("an OCI chart at another version is bad input", async () => {
    const deploy = {
      target: "existing",
      kubeconfig: { path: "k.yaml" },
      charts: { gatekeeper: { oci: "oci://registry.example/charts/gatekeeper", version: "3.19.0" } },
    };
    await expect(planStack("dev", scratchProject(existingStackText(deploy, withoutIdentities)))).rejects.toThrow(
      /bulwark:deploy\.charts\.gatekeeper\.version = "3\.19\.0": must be the pinned Gatekeeper chart version/,
    );
  });

  test("chart sources and digests are validated by form", () => {
    expect(messages("    charts:\n      gatekeeper: {path: charts/gk, oci: oci://r.example/gk, version: 3.21.1}\n")).toEqual([
      "bulwark:deploy.charts.gatekeeper: must set exactly one of path (a local chart directory) or oci (an OCI registry reference)",
      "bulwark:deploy.charts.gatekeeper.version: applies to oci only: a local chart's version is the one in its Chart.yaml",
    ]);
    expect(messages('    charts:\n      gatekeeper: {oci: "https://r.example/gk"}\n')).toEqual([
      expect.stringMatching(/^bulwark:deploy\.charts\.gatekeeper\.oci: must be an OCI chart reference/),
      "bulwark:deploy.charts.gatekeeper.version: is required with oci: the chart version to pull",
    ]);
    const badDigest = `    images:\n      gatekeeper:\n        registry: r.example/mirror\n        digests: {gatekeeper: "v3.21.1", gatekeeperCrds: "${digest("b")}", curl: "sha256:ABC"}\n`;
    expect(messages(badDigest)).toEqual([
      "bulwark:deploy.images.gatekeeper.digests.curl: must be an image digest: sha256: and 64 lowercase hex digits",
      "bulwark:deploy.images.gatekeeper.digests.gatekeeper: must be an image digest: sha256: and 64 lowercase hex digits",
    ]);
  });
});
