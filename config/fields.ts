import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * A strict object: an unknown key is an error that lists the accepted keys, so a typo in a stack file
 * never silently drops a setting.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape).sort();
  const accepted = keys.join(", ");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const guess = issue.keys.length === 1 ? closestKey(issue.keys[0], keys) : undefined;
      return `unknown key${guess ? ` (did you mean ${guess}?)` : ""}; accepted keys: ${accepted}`;
    },
  });
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The accepted key a typo most likely meant: same letters in another case, or at most 2 edits away. */
function closestKey(key: string, accepted: readonly string[]): string | undefined {
  const sameCase = accepted.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameCase) return sameCase;
  const ranked = accepted.map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= Math.min(2, Math.floor(key.length / 3)) ? ranked[0].k : undefined;
}

/** The DNS-1123 label pattern (namespace names, policy and constraint names). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Pod Security Standards version as the `pod-security.kubernetes.io/*-version` labels spell it: `v1.33`. */
export const PSS_VERSION_PATTERN = /^v1\.[0-9]{1,2}$/;

/** A DNS-1123 label, as Kubernetes requires for namespace names. */
export const dns1123Label = z.string().max(63, { error: "must be at most 63 characters (DNS-1123 label)" }).regex(DNS1123_LABEL, {
  error: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
});

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A Kubernetes label value. */
export const labelValue = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(63, { error: "must be at most 63 characters (label value)" })
  .regex(LABEL_VALUE, {
    error: "must be a label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
  });

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A Kubernetes label key such as `app.kubernetes.io/name`. */
export const labelKey = z.string().regex(QUALIFIED_NAME, {
  error: "must be a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters",
});

const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** A Kubernetes resource quantity such as `500m`, `2`, `1Gi`. */
export const quantity = z.string().regex(QUANTITY, {
  error: "must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi",
});

/** An address of either family, parsed by ipaddr.js from the strict spellings only (no `10.1`, `0x7f.1`). */
function parseAddress(text: string): { family: 4 | 6; address: ipaddr.IPv4 | ipaddr.IPv6 } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { family: 4, address: ipaddr.IPv4.parse(text) };
  // A zone (fe80::1%eth0) names an interface of one host: never a network in a stack file or a manifest.
  if (ipaddr.IPv6.isValid(text) && !text.includes("%")) return { family: 6, address: ipaddr.IPv6.parse(text) };
  return undefined;
}

/** Canonical text: dotted quad, or RFC 5952 for IPv6 (IPv4-mapped addresses keep their dotted tail). */
function addressText(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address.kind() === "ipv4" ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

/** The network address of `address`/`prefix` (host bits cleared). */
function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const cidr = `${address.toString()}/${prefix}`;
  return address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
}

/** Parses `a.b.c.d/n` or `x::y/n`; returns the canonical network or a reason it is not one. */
export function parseCidr(text: string): { family: 4 | 6; canonical: string } | { error: string } {
  const slash = text.indexOf("/");
  if (slash < 0) return { error: "must be a CIDR with a prefix length, e.g. 10.0.0.0/16 or 2001:db8::/32" };
  const parsed = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!parsed) return { error: "must be a CIDR: the address part is not an IPv4 or IPv6 address" };
  const bits = parsed.family === 4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { error: `must be a CIDR: the prefix length must be 0 to ${bits}` };
  }
  const prefix = Number(prefixText);
  const network = networkOf(parsed.address, prefix);
  if (network.toNormalizedString() !== parsed.address.toNormalizedString()) {
    return { error: `must be a CIDR with no host bits set; did you mean ${addressText(network)}/${prefix}?` };
  }
  return { family: parsed.family, canonical: `${addressText(parsed.address)}/${prefix}` };
}

/**
 * The network of an address or CIDR as written in a manifest, leniently: a bare address is a /32 (or
 * /128), host bits are masked off (as Kubernetes does for `ipBlock`). Undefined when it is not one.
 */
export function cidrNetwork(text: string): { family: 4 | 6; canonical: string } | undefined {
  const trimmed = text.trim();
  const [addressPart, prefixText] = trimmed.includes("/") ? trimmed.split("/", 2) : [trimmed, undefined];
  const parsed = parseAddress(addressPart);
  if (!parsed) return undefined;
  const bits = parsed.family === 4 ? 32 : 128;
  if (prefixText !== undefined && (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  return { family: parsed.family, canonical: `${addressText(networkOf(parsed.address, prefix))}/${prefix}` };
}

/** True when CIDR `outer` contains every address of CIDR `inner` (both valid; different families never). */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerAddress, outerPrefix] = ipaddr.parseCIDR(outer);
  const [innerAddress, innerPrefix] = ipaddr.parseCIDR(inner);
  if (outerAddress.kind() !== innerAddress.kind() || innerPrefix < outerPrefix) return false;
  return innerAddress.match(outerAddress, outerPrefix);
}

/** The first and last address of a valid CIDR, as integers (for unions of ranges). */
export function cidrBounds(text: string): { family: 4 | 6; first: bigint; last: bigint } {
  const [address, prefix] = ipaddr.parseCIDR(text);
  const bits = address.kind() === "ipv4" ? 32 : 128;
  const first = networkOf(address, prefix)
    .toByteArray()
    .reduce((acc, byte) => (acc << 8n) + BigInt(byte), 0n);
  return { family: bits === 32 ? 4 : 6, first, last: first + (1n << BigInt(bits - prefix)) - 1n };
}

/** A CIDR in canonical form (no host bits); the value is normalised. */
export const cidr = z.string().transform((text, ctx) => {
  const parsed = parseCidr(text);
  if ("error" in parsed) {
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.canonical;
});
