// What a CoA says to each vendor's NAS to change a session's speed. The attributes and vendor
// ids are FreeRADIUS's dictionaries (dictionary.mikrotik, .huawei, .erx, .cisco); rates are the
// plan's download/upload in Mbit/s. A generic profile lets a provider write its own attributes.
import { ATTR, type Attribute, ipv4, text, u32 } from "./radius_packet.ts";

export const VENDORS = ["mikrotik", "huawei", "cisco", "juniper", "generic"] as const;
export type Vendor = typeof VENDORS[number];

export const VENDOR_LABELS: Record<Vendor, string> = {
  mikrotik: "MikroTik (Mikrotik-Rate-Limit)",
  huawei: "Huawei (Huawei-Input/Output-Average-Rate)",
  cisco: "Cisco (Cisco-AVPair)",
  juniper: "Juniper (ERX-Service-Activate)",
  generic: "Genérico (atributos escritos no perfil)",
};

export const VENDOR_IDS = { mikrotik: 14988, huawei: 2011, cisco: 9, juniper: 4874 } as const;

export interface Rate {
  downMbps: number;
  upMbps: number;
}

/** Which session to change: the access login, and the session id or IP when known. */
export interface SessionRef {
  userName: string;
  acctSessionId?: string;
  framedIp?: string;
}

export interface ProfileOptions {
  /** Cisco: the policy names, with {down}/{up} for the rates (default "PLANO_{down}M_{up}M"). */
  policyTemplate?: string;
  /** Juniper: the service name (default "svc-rate"). */
  service?: string;
  /**
   * Generic: one attribute per line, `type=value` or `vendor:type=value`, with {down}/{up} in
   * Mbit/s and {down_bps}/{up_bps}; numbers are sent as 32-bit integers, the rest as text.
   */
  attributes?: string;
  /** Whether a Disconnect-Request may follow a refused or unanswered CoA. */
  allowDisconnect?: boolean;
}

const fill = (t: string, r: Rate) =>
  t.replaceAll("{down_bps}", String(r.downMbps * 1_000_000))
    .replaceAll("{up_bps}", String(r.upMbps * 1_000_000))
    .replaceAll("{down}", String(r.downMbps))
    .replaceAll("{up}", String(r.upMbps));

/** The attributes that identify the session (RFC 5176 §3: User-Name, Acct-Session-Id, IP). */
export function sessionAttributes(s: SessionRef): Attribute[] {
  const out: Attribute[] = [{ type: ATTR["User-Name"], value: text(s.userName) }];
  if (s.acctSessionId) out.push({ type: ATTR["Acct-Session-Id"], value: text(s.acctSessionId) });
  if (s.framedIp) out.push({ type: ATTR["Framed-IP-Address"], value: ipv4(s.framedIp) });
  return out;
}

/** The vendor's rate attributes for `rate`. */
export function rateAttributes(vendor: Vendor, rate: Rate, opts: ProfileOptions = {}): Attribute[] {
  switch (vendor) {
    case "mikrotik":
      // "rx/tx" from the router's side: what it receives is the customer's upload.
      return [{
        vendor: VENDOR_IDS.mikrotik,
        type: 8,
        value: text(`${rate.upMbps}M/${rate.downMbps}M`),
      }];
    case "huawei":
      // Input = from the subscriber (upload), output = to the subscriber (download), in bit/s.
      return [
        { vendor: VENDOR_IDS.huawei, type: 2, value: u32(rate.upMbps * 1_000_000) },
        { vendor: VENDOR_IDS.huawei, type: 5, value: u32(rate.downMbps * 1_000_000) },
      ];
    case "cisco": {
      const name = fill(opts.policyTemplate ?? "PLANO_{down}M_{up}M", rate);
      return [
        { vendor: VENDOR_IDS.cisco, type: 1, value: text(`subscriber:sub-qos-policy-out=${name}`) },
        { vendor: VENDOR_IDS.cisco, type: 1, value: text(`subscriber:sub-qos-policy-in=${name}`) },
      ];
    }
    case "juniper": {
      // ERX-Service-Activate has a tag (dictionary.erx: has_tag): tag 1, then the service.
      const svc = `${opts.service ?? "svc-rate"}(${rate.downMbps * 1_000_000},${
        rate.upMbps * 1_000_000
      })`;
      return [{ vendor: VENDOR_IDS.juniper, type: 65, value: text(`\x01${svc}`) }];
    }
    case "generic":
      return parseGeneric(opts.attributes ?? "", rate);
  }
}

/** Parses the generic profile's lines; throws a pt-BR message on a bad line. */
export function parseGeneric(lines: string, rate: Rate): Attribute[] {
  const out: Attribute[] = [];
  for (const [i, raw] of lines.split("\n").entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:(\d{1,10}):)?(\d{1,3})=(.{1,240})$/.exec(line);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 255) {
      throw new Error(`Linha ${i + 1}: use tipo=valor ou fornecedor:tipo=valor.`);
    }
    const value = fill(m[3], rate);
    const bytes = /^\d{1,10}$/.test(value) && Number(value) <= 0xffffffff
      ? u32(Number(value))
      : text(value);
    out.push(
      m[1] ? { vendor: Number(m[1]), type: Number(m[2]), value: bytes } : {
        type: Number(m[2]),
        value: bytes,
      },
    );
  }
  if (!out.length) throw new Error("O perfil genérico precisa de pelo menos um atributo.");
  return out;
}

/** Parses "300M/150M" (download/upload) as the coa task takes it. */
export function parseRate(s: string): Rate | null {
  const m = /^(\d{1,6})M\/(\d{1,6})M$/i.exec(s.trim());
  return m ? { downMbps: Number(m[1]), upMbps: Number(m[2]) } : null;
}
