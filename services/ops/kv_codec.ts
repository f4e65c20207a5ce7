// Lossless JSON for KV keys and values, for backups: binary, bigint, KvU64 and dates are tagged
// so a restore writes back exactly what was read.

type Tagged =
  | { $u8: string }
  | { $big: string }
  | { $u64: string }
  | { $date: string }
  | { $undef: true };

function b64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

export function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $u8: b64(v) };
  if (typeof v === "bigint") return { $big: v.toString() };
  if (v instanceof Deno.KvU64) return { $u64: v.value.toString() };
  if (v instanceof Date) return { $date: v.toISOString() };
  if (v === undefined) return { $undef: true };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encode(x);
    return out;
  }
  return v;
}

export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === "object") {
    const t = v as Tagged & Record<string, unknown>;
    const tags = Object.keys(t);
    if (tags.length === 1) {
      if ("$u8" in t) return unb64(t.$u8 as string);
      if ("$big" in t) return BigInt(t.$big as string);
      if ("$u64" in t) return new Deno.KvU64(BigInt(t.$u64 as string));
      if ("$date" in t) return new Date(t.$date as string);
      if ("$undef" in t) return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(t)) out[k] = decode(x);
    return out;
  }
  return v;
}
