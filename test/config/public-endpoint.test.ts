/**
 * No stack config can open the Kubernetes API's public endpoint to the world: seeded random CIDR lists either
 * fail validation or stay narrow, and the adapter publishes exactly what passed.
 */
import { ConfigError } from "../../config/errors";
import { clusterArgs, clusterProblemsOf } from "../support/cluster-args";
describe("no config can open the public endpoint to the world", () => {
  test("random CIDR lists either fail or stay narrow, and the adapter publishes exactly what passed", () => {
    let accepted = 0;
    for (const cidrs of [...randomCidrLists(400), ["0.0.0.0/0"], ["::/0"], Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`)]) {
      let published: readonly string[];
      try {
        published = clusterArgs({ endpoint: { publicAccessCidrs: cidrs } }).publicAccessCidrs;
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        continue;
      }
      accepted++;
      expect(published).toEqual(cidrs);
      expect(coveredIpv4(published)).toBeLessThanOrEqual(2 ** 24);
      expect(published.every((c) => Number(c.split("/")[1]) >= 8)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(10);
    // 256 /8 networks would cover the whole IPv4 space: refused as a whole.
    expect(clusterProblemsOf({ endpoint: { publicAccessCidrs: Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`) } })[0].message).toMatch(
      /more than one \/8/,
    );
  });
});

/** Seeded random lists of canonical IPv4 CIDRs of any prefix length (the same lists every run). */
function randomCidrLists(count: number): string[][] {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const randomCidr = () => {
    const prefix = Math.floor(next() * 33);
    const value = Math.floor(next() * 2 ** 32);
    const network = prefix === 0 ? 0 : value - (value % 2 ** (32 - prefix));
    return `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".")}/${prefix}`;
  };
  return Array.from({ length: count }, () => [...new Set(Array.from({ length: 1 + Math.floor(next() * (next() < 0.5 ? 4 : 300)) }, randomCidr))]);
}

function coveredIpv4(cidrs: readonly string[]): number {
  return cidrs.reduce((sum, c) => sum + 2 ** (32 - Number(c.split("/")[1])), 0);
}
