import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";

/**
 * A strict object: an unknown key is an error that lists the accepted keys, so a typo in a stack file
 * never silently drops a setting.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const accepted = Object.keys(shape).sort().join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown key; accepted keys: ${accepted}` : undefined,
  });
}

/** The DNS-1123 label pattern (namespace names, policy and constraint names). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Pod Security Standards version as the `pod-security.kubernetes.io/*-version` labels spell it: `v1.33`. */
export const PSS_VERSION_PATTERN = /^v1\.[0-9]{1,2}$/;

/** A DNS-1123 label, as Kubernetes requires for namespace names. */
export const dns1123Label = z
  .string()
  .max(63, { error: "must be at most 63 characters (DNS-1123 label)" })
  .regex(DNS1123_LABEL, {
    error:
      "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
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

/** Parses `a.b.c.d/n` or `x::y/n`; returns the canonical network or a reason it is not one. */
export function parseCidr(text: string): { family: 4 | 6; canonical: string } | { error: string } {
  const slash = text.indexOf("/");
  if (slash < 0) return { error: "must be a CIDR with a prefix length, e.g. 10.0.0.0/16 or 2001:db8::/32" };
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family === 0) return { error: "must be a CIDR: the address part is not an IPv4 or IPv6 address" };
  const bits = family === 4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { error: `must be a CIDR: the prefix length must be 0 to ${bits}` };
  }
  const prefix = Number(prefixText);
  const value = addressToBigInt(address, family);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = bigIntToAddress(value & ~hostMask, family);
    return { error: `must be a CIDR with no host bits set; did you mean ${network}/${prefix}?` };
  }
  return { family, canonical: `${bigIntToAddress(value, family)}/${prefix}` };
}

/**
 * The network of an address or CIDR as written in a manifest, leniently: a bare address is a /32 (or
 * /128), host bits are masked off (as Kubernetes does for `ipBlock`). Undefined when it is not one.
 */
export function cidrNetwork(text: string): { family: 4 | 6; canonical: string } | undefined {
  const trimmed = text.trim();
  const [address, prefixText] = trimmed.includes("/") ? trimmed.split("/", 2) : [trimmed, undefined];
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family === 0) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (prefixText !== undefined && (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { family, canonical: `${bigIntToAddress(addressToBigInt(address, family) & ~hostMask, family)}/${prefix}` };
}

/** True when CIDR `outer` contains every address of CIDR `inner` (both valid, same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const [oa, op] = outer.split("/");
  const [ia, ip] = inner.split("/");
  const of = isIPv4(oa) ? 4 : 6;
  const inf = isIPv4(ia) ? 4 : 6;
  if (of !== inf || Number(ip) < Number(op)) return false;
  const bits = of === 4 ? 32 : 128;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - Number(op))) - 1n);
  return (addressToBigInt(oa, of) & mask) === (addressToBigInt(ia, inf) & mask);
}

function addressToBigInt(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split(".").reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
  let text = address;
  // An IPv6 address may end in dotted IPv4 form.
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = addressToBigInt(dotted[1], 4);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function bigIntToAddress(value: bigint, family: 4 | 6): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
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
