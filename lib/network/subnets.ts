/** IPv4 subnetting for the created VPC (the VPC CIDR is validated IPv4 /16-/20 before this runs). */

function toInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** The `index`-th subnet of prefix length `newPrefix` inside `cidr`. */
export function ipv4Subnet(cidr: string, newPrefix: number, index: number): string {
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  if (newPrefix < prefix || newPrefix > 28) throw new Error(`cannot cut /${newPrefix} subnets from ${cidr}`);
  const count = 2 ** (newPrefix - prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`${cidr} has ${count} /${newPrefix} subnets; index ${index} is out of range`);
  return `${toAddress(toInt(address) + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

/**
 * The layout of a created VPC: three private subnets take the first three quarters (nodes, pods and
 * control-plane ENIs need the addresses); the last quarter holds three small public subnets (NAT only).
 */
export function vpcLayout(vpcCidr: string, zones: number): { private: string[]; public: string[] } {
  const prefix = Number(vpcCidr.split("/")[1]);
  return {
    private: Array.from({ length: zones }, (_, i) => ipv4Subnet(vpcCidr, prefix + 2, i)),
    public: Array.from({ length: zones }, (_, i) => ipv4Subnet(vpcCidr, prefix + 4, 12 + i)),
  };
}
