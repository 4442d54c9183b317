/**
 * HardenedEksCluster as a whole: the control plane, its endpoint, audit logging, access, version and safety,
 * its interface, and the dev stack (under Pulumi mocks). Each concern module has its own test file.
 */
import { ConfigError } from "../../config/errors";
import { loadStackFile } from "../../config/load";
import { tenantTierGroup } from "../../config/tenants";
import { CONTROL_PLANE_LOG_TYPES } from "../../lib/cluster";
import { hardenedClusterArgsFromConfig } from "../../lib/from-config";
import { TEST_TODAY, clusterArgs } from "../support/cluster-args";
import { REPO_ROOT } from "../support/repo";
import { isSecretOutput, valueOf } from "./harness";
import { ADMIN, clusterFixture, T } from "./cluster-fixture";

const { mocks, build, inputs, clusterInputs, named, keyArn } = clusterFixture();

describe("control plane endpoint", () => {
  test("private access on, public access off by default", async () => {
    await build();
    const vpc = clusterInputs().vpcConfig;
    expect(vpc.endpointPrivateAccess).toBe(true);
    expect(vpc.endpointPublicAccess).toBe(false);
    expect(vpc.publicAccessCidrs).toBeUndefined();
  });

  test("public access only for a non-empty CIDR list, and exactly that list", async () => {
    await build({ endpoint: { publicAccessCidrs: ["198.51.100.0/24", "203.0.113.7/32"] } });
    const vpc = clusterInputs().vpcConfig;
    expect(vpc).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24", "203.0.113.7/32"] });
    await build();
    expect(clusterInputs().vpcConfig.endpointPublicAccess).toBe(false);
  });
});

describe("audit logging", () => {
  test("all five control-plane log types go to /aws/eks/<cluster>/cluster, created first, KMS-encrypted, 365 days", async () => {
    await build();
    expect(clusterInputs().enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    const group = named(T.logGroup, "test-cluster-logs");
    expect(group.inputs).toMatchObject({ name: "/aws/eks/bulwark-test/cluster", kmsKeyId: keyArn("logs"), retentionInDays: 365 });
    expect(mocks.one(T.cluster).options.dependsOn).toContain(group.urn);
  });

  test("retention is configurable", async () => {
    await build({ logRetentionInDays: 731 });
    expect(named(T.logGroup, "test-cluster-logs").inputs.retentionInDays).toBe(731);
  });
});

describe("access", () => {
  // Tenants whose IAM principals get access entries: payments-ci edits two tenants, the auditor views one.
  const tenantArgs = () =>
    clusterArgs({ adminPrincipals: [ADMIN] }, [
      { name: "payments", owner: "team-payments", groups: {}, awsPrincipals: { edit: ["arn:aws:iam::123456789012:role/payments-ci"] } },
      {
        name: "web",
        owner: "team-web",
        groups: {},
        awsPrincipals: { edit: ["arn:aws:iam::123456789012:role/payments-ci"], view: ["arn:aws:iam::123456789012:user/auditor"] },
      },
    ]);

  test("API authentication only, no implicit admin for the cluster creator", async () => {
    await build();
    expect(clusterInputs().accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
    expect(mocks.ofType(T.accessEntry)).toHaveLength(0);
  });

  test("admin principals get a cluster-scoped AmazonEKSClusterAdminPolicy association", async () => {
    await build(tenantArgs());
    const entry = mocks.ofType(T.accessEntry).find((e) => e.inputs.principalArn === ADMIN);
    expect(entry?.inputs).toMatchObject({ clusterName: "bulwark-test", type: "STANDARD" });
    expect(entry?.inputs.kubernetesGroups).toBeUndefined();
    const associations = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === ADMIN);
    expect(associations.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
    ]);
  });

  test("tenant principals get namespace-scoped access in their tier's Kubernetes group, one entry per principal", async () => {
    await build(tenantArgs());
    const ci = mocks.ofType(T.accessEntry).filter((e) => e.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-ci");
    expect(ci).toHaveLength(1);
    expect(ci[0].inputs.kubernetesGroups).toEqual(["bulwark:payments:edit", "bulwark:web:edit"]);
    const ciAssociations = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-ci");
    expect(ciAssociations.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      // Read-only association; edit rights come from the tenant Role bound to bulwark:<tenant>:edit.
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "namespace", namespaces: ["payments", "web"] }],
    ]);
    const auditor = mocks.ofType(T.association).filter((a) => a.inputs.principalArn === "arn:aws:iam::123456789012:user/auditor");
    expect(auditor.map((a) => [a.inputs.policyArn, a.inputs.accessScope])).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "namespace", namespaces: ["web"] }],
    ]);
    expect(mocks.ofType(T.association).every((a) => inputs(a).accessScope.type === "namespace" || a.inputs.principalArn === ADMIN)).toBe(true);
    // No tenant principal gets an EKS policy that writes, execs or reads Secrets beyond its RBAC.
    const tenantPolicies = mocks
      .ofType(T.association)
      .filter((a) => a.inputs.principalArn !== ADMIN)
      .map((a) => a.inputs.policyArn);
    expect(new Set(tenantPolicies)).toEqual(new Set(["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"]));
  });

  test("the company IdP is configured from identityProvider with the default claims and prefixes", async () => {
    await build({ identityProvider: { issuerUrl: "https://idp.example.com", clientId: "bulwark" } });
    expect(inputs(mocks.one(T.idp)).oidc).toEqual({
      identityProviderConfigName: "company-idp",
      issuerUrl: "https://idp.example.com",
      clientId: "bulwark",
      usernameClaim: "email",
      groupsClaim: "groups",
      usernamePrefix: "oidc:",
      groupsPrefix: "oidc:",
    });
    await build();
    expect(mocks.ofType(T.idp)).toHaveLength(0);
  });

  test("an IAM OIDC provider trusts the cluster's issuer for STS (IRSA), and the Pod Identity agent runs", async () => {
    const component = await build();
    const issuer = await valueOf(component.oidcIssuer);
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(mocks.one(T.oidc).inputs).toMatchObject({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    expect(named(T.addon, "test-eks-pod-identity-agent").inputs.addonName).toBe("eks-pod-identity-agent");
  });
});

describe("version and safety", () => {
  test("upgrade policy STANDARD and EKS deletion protection by default", async () => {
    await build();
    expect(clusterInputs()).toMatchObject({ version: "1.33", upgradePolicy: { supportType: "STANDARD" }, deletionProtection: true });
  });

  test("the cluster, the KMS keys and the audit log group are protected and retained on delete", async () => {
    await build();
    const guarded = [mocks.one(T.cluster), ...mocks.ofType(T.key), named(T.logGroup, "test-cluster-logs")];
    expect(guarded).toHaveLength(5);
    for (const r of guarded) expect([r.name, r.options.protect, r.options.retainOnDelete]).toEqual([r.name, true, true]);
  });

  test("acceptDataLossOnDestroy is the one, explicit opt-out", async () => {
    await build({ acceptDataLossOnDestroy: true });
    expect(clusterInputs().deletionProtection).toBe(false);
    for (const r of [mocks.one(T.cluster), ...mocks.ofType(T.key)]) expect([r.options.protect, r.options.retainOnDelete]).toEqual([false, false]);
  });
});

describe("interface", () => {
  test("a bad setting is refused by the config schema before anything is registered", async () => {
    mocks.reset();
    expect(() => clusterArgs({ name: "bad name" })).toThrow(ConfigError);
    expect(() => clusterArgs({ name: "bad name" })).toThrow('bulwark:cluster.name = "bad name": must be an EKS cluster name');
    await mocks.settle();
    expect(mocks.resources).toHaveLength(0);
  });

  test("every child is parented to the component and named after it", async () => {
    await build();
    const component = mocks.one("bulwark:eks:HardenedCluster", "test");
    const children = mocks.resources.filter((r) => r !== component);
    expect(children.length).toBeGreaterThan(50);
    for (const child of children) {
      expect([child.name, child.parent]).toEqual([child.name, component.urn]);
      expect(child.name.startsWith("test-")).toBe(true);
    }
  });

  test("outputs: name, endpoint, CA, OIDC issuer, security groups, node role, and a secret kubeconfig using aws eks get-token", async () => {
    const component = await build();
    const cluster = mocks.one(T.cluster);
    expect(await valueOf(component.clusterName)).toBe("bulwark-test");
    expect(await valueOf(component.endpoint)).toBe(cluster.state.endpoint);
    expect(await valueOf(component.certificateAuthority)).toBe((cluster.state.certificateAuthority as { data: string }).data);
    expect(await valueOf(component.clusterSecurityGroupId)).toBe(named(T.sg, "test-cluster").id);
    expect(await valueOf(component.nodeSecurityGroupId)).toBe(named(T.sg, "test-nodes").id);
    expect(await valueOf(component.eksManagedSecurityGroupId)).toMatch(/^sg-/);
    expect(await isSecretOutput(component.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await valueOf(component.kubeconfig));
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: cluster.state.endpoint,
      "certificate-authority-data": (cluster.state.certificateAuthority as { data: string }).data,
    });
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "bulwark-test", "--region", "eu-west-1", "--output", "json"],
    });
    // No credential in the file: the user entry is the exec plugin only.
    expect(Object.keys(kubeconfig.users[0].user)).toEqual(["exec"]);
  });
});

describe("the dev stack's cluster", () => {
  test("built from Pulumi.dev.yaml, it shows every default control", async () => {
    const config = loadStackFile("dev", REPO_ROOT);
    const component = await build(hardenedClusterArgsFromConfig(config, { today: TEST_TODAY }), "dev");
    const cluster = inputs(mocks.one(T.cluster));
    expect(cluster).toMatchObject({
      name: "bulwark-dev",
      version: "1.36",
      vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: true,
    });
    expect(cluster.encryptionConfig.provider.keyArn).toBe(mocks.one(T.key, "dev-secrets").state.arn);
    expect(mocks.one(T.logGroup, "dev-cluster-logs").inputs).toMatchObject({ name: "/aws/eks/bulwark-dev/cluster", retentionInDays: 365 });
    expect(mocks.one(T.vpc).inputs.cidrBlock).toBe("10.40.0.0/16");
    expect(mocks.ofType(T.nat)).toHaveLength(3);
    expect(mocks.one(T.flowLog).inputs.trafficType).toBe("ALL");
    const clusterSgRules = mocks.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === mocks.one(T.sg, "dev-cluster").id);
    expect(clusterSgRules.map((r) => r.inputs.cidrIpv4 ?? "node-sg").sort()).toEqual(["10.100.0.0/16", "node-sg"]);
    expect(mocks.ofType(T.key).every((k) => k.inputs.enableKeyRotation === true && k.options.protect)).toBe(true);
    expect(mocks.ofType(T.accessEntry).map((e) => e.inputs.principalArn)).toEqual(["arn:aws:iam::123456789012:role/bulwark-platform-admin"]);
    expect(inputs(mocks.one(T.idp)).oidc).toMatchObject({ issuerUrl: "https://idp.example.com", clientId: "bulwark-dev", groupsPrefix: "oidc:" });
    expect(inputs(mocks.one(T.launchTemplate)).metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(inputs(mocks.one(T.nodeGroup)).amiType).toBe("BOTTLEROCKET_x86_64");
    expect(JSON.parse(String(mocks.one(T.addon, "dev-vpc-cni").inputs.configurationValues))).toMatchObject({ enableNetworkPolicy: "true" });
    expect(
      mocks
        .ofType(T.feature)
        .map((f) => f.inputs.name)
        .sort(),
    ).toEqual(["EKS_AUDIT_LOGS", "RUNTIME_MONITORING"]);
    expect(mocks.ofType(T.ecr).map((r) => [r.inputs.name, r.inputs.imageTagMutability])).toEqual([
      ["payments/api", "IMMUTABLE"],
      ["web/frontend", "IMMUTABLE"],
    ]);
    expect(await isSecretOutput(component.kubeconfig)).toBe(true);
  });

  test("tenant awsPrincipals in the stack become namespace-scoped access entries in tenantTierGroup", async () => {
    const config = loadStackFile("dev", REPO_ROOT);
    const withPrincipals = {
      ...config,
      tenants: config.tenants.map((t) => (t.name === "payments" ? { ...t, awsPrincipals: { view: ["arn:aws:iam::123456789012:role/payments-readonly"] } } : t)),
    };
    const args = hardenedClusterArgsFromConfig(withPrincipals, { today: TEST_TODAY });
    expect(args.tenantAccess).toEqual([
      { namespace: "payments", tier: "view", principalArns: ["arn:aws:iam::123456789012:role/payments-readonly"], kubernetesGroup: "bulwark:payments:view" },
    ]);
    await build(args, "dev");
    const entry = mocks.ofType(T.accessEntry).find((e) => e.inputs.principalArn === "arn:aws:iam::123456789012:role/payments-readonly");
    expect(entry?.inputs.kubernetesGroups).toEqual([tenantTierGroup("payments", "view")]);
  });
});
