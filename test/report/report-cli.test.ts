import { reportMain } from "../../stacks/report";

describe("npm run report: bad input", () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = 0;
  });

  it("an unknown flag exits 2 with the usage, before planning anything", async () => {
    await reportMain(["--bogus"]);
    expect(process.exitCode).toBe(2);
    expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain("Usage: npm run report");
  });

  it("a stack without a stack file exits 2 and writes nothing", async () => {
    await reportMain(["--stack", "no-such-stack", "--out", "/nonexistent/dir/report.md"]);
    expect(process.exitCode).toBe(2);
    expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain("Pulumi.no-such-stack.yaml");
  });
});
