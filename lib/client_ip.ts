// The client's address for limits and logs. X-Forwarded-For is a list the client starts and
// each proxy extends on the right, so only the right-most entries are trustworthy: the ones our
// own proxies appended. The client is the right-most entry not added by a trusted proxy.

export interface ClientIpInput {
  xff: string | undefined;
  peer: string | undefined;
  trustProxy: boolean;
  /** Proxies in front of the app that append to X-Forwarded-For (TRUSTED_PROXY_HOPS). */
  hops: number;
  /** Trusted proxy ranges (TRUSTED_PROXIES); when set, they decide instead of `hops`. */
  proxies?: string[];
}

export function clientIp(i: ClientIpInput): string {
  const peer = i.peer || "unknown";
  if (!i.trustProxy || !i.xff) return peer;
  const parts = i.xff.split(",").map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return peer;
  if (i.proxies?.length) {
    // A request that did not come through one of our proxies carries a header the client wrote.
    if (!inRanges(peer, i.proxies)) return peer;
    for (let k = parts.length - 1; k >= 0; k--) {
      if (!inRanges(parts[k], i.proxies)) return parts[k];
    }
    return parts[0];
  }
  return parts[Math.max(0, parts.length - i.hops)];
}

/** IPv4 or IPv6 as a bigint and its bit width; null when not an address. */
function parseIp(raw: string): { n: bigint; bits: number } | null {
  const s = raw.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = s.replace(/^::ffff:/i, "");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) {
    const o = v4.split(".").map(Number);
    if (o.some((x) => x > 255)) return null;
    return { n: o.reduce((a, x) => (a << 8n) | BigInt(x), 0n), bits: 32 };
  }
  if (!/^[0-9a-f:]+$/i.test(s) || !s.includes(":")) return null;
  const [head, tail, extra] = s.split("::");
  if (extra !== undefined) return null;
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0 || (tail === undefined && h.length !== 8)) return null;
  const groups = [...h, ...Array(fill).fill("0"), ...t];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return { n: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; null when malformed. */
export function parseCidr(cidr: string): { n: bigint; bits: number; prefix: number } | null {
  const [addr, len] = cidr.trim().split("/");
  const ip = parseIp(addr);
  if (!ip) return null;
  const prefix = len === undefined ? ip.bits : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > ip.bits) return null;
  return { ...ip, prefix };
}

function inRanges(addr: string, ranges: string[]): boolean {
  const ip = parseIp(addr);
  if (!ip) return false;
  return ranges.some((r) => {
    const c = parseCidr(r);
    if (!c || c.bits !== ip.bits) return false;
    const shift = BigInt(c.bits - c.prefix);
    return (ip.n >> shift) === (c.n >> shift);
  });
}
