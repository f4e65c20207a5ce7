// RADIUS packets for Change-of-Authorization (RFC 5176, on RFC 2865's wire format): encode a
// CoA- or Disconnect-Request with its Request Authenticator and Message-Authenticator (RFC 3579),
// decode a reply and check its Response Authenticator. MD5 is what the RFCs specify (WebCrypto
// has no MD5, so node:crypto); it authenticates packets between Renova and the NAS, no more.
import { createHash, createHmac } from "node:crypto";

export const CODES = {
  "Disconnect-Request": 40,
  "Disconnect-ACK": 41,
  "Disconnect-NAK": 42,
  "CoA-Request": 43,
  "CoA-ACK": 44,
  "CoA-NAK": 45,
} as const;
export type CodeName = keyof typeof CODES;

/** The standard attributes Renova sends or reads (RFC 2865, 2866, 5176, 3579). */
export const ATTR = {
  "User-Name": 1,
  "NAS-IP-Address": 4,
  "Framed-IP-Address": 8,
  "Reply-Message": 18,
  "Class": 25,
  "Vendor-Specific": 26,
  "Session-Timeout": 27,
  "Calling-Station-Id": 31,
  "NAS-Identifier": 32,
  "Acct-Session-Id": 44,
  "Event-Timestamp": 55,
  "Message-Authenticator": 80,
  "Error-Cause": 101,
} as const;

/** Error-Cause values (RFC 5176 §3.5), in pt-BR for the attendant. */
export const ERROR_CAUSES: Record<number, string> = {
  201: "sessão removida (Residual Session Context Removed)",
  202: "contexto EAP inválido (Invalid EAP Packet)",
  401: "atributo não suportado pelo equipamento (Unsupported Attribute)",
  402: "atributo obrigatório ausente (Missing Attribute)",
  403: "NAS não identificado (NAS Identification Mismatch)",
  404: "pedido inválido (Invalid Request)",
  405: "serviço não suportado (Unsupported Service)",
  406: "extensão não suportada (Unsupported Extension)",
  407: "valor de atributo inválido (Invalid Attribute Value)",
  501: "proibido pela política do NAS (Administratively Prohibited)",
  502: "pedido não roteável (Request Not Routable)",
  503: "sessão não encontrada (Session Context Not Found)",
  504: "sessão não removível (Session Context Not Removable)",
  505: "erro de proxy (Other Proxy Processing Error)",
  506: "recursos insuficientes no NAS (Resources Unavailable)",
  507: "pedido iniciado (Request Initiated)",
  508: "seleção de várias sessões não suportada (Multiple Session Selection Unsupported)",
};

/** One attribute: a standard type with its value, or a vendor-specific one (type 26). */
export type Attribute =
  | { type: number; value: Uint8Array }
  | { vendor: number; type: number; value: Uint8Array };

export interface Packet {
  code: number;
  id: number;
  authenticator: Uint8Array;
  attributes: Attribute[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export const text = (s: string) => enc.encode(s);
export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}
export function ipv4(s: string): Uint8Array {
  const parts = s.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${s}`);
  }
  return new Uint8Array(parts);
}
export const readText = (b: Uint8Array) => dec.decode(b);
export const readU32 = (b: Uint8Array) =>
  b.length === 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0) : NaN;

const md5 = (...parts: Uint8Array[]) => {
  const h = createHash("md5");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const hmacMd5 = (key: Uint8Array, data: Uint8Array) =>
  new Uint8Array(createHmac("md5", key).update(data).digest());

function encodeAttributes(attrs: Attribute[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const a of attrs) {
    if ("vendor" in a) {
      const sub = a.value.length + 2;
      if (sub > 247) throw new Error("vendor attribute too long");
      const b = new Uint8Array(2 + 4 + sub);
      b[0] = ATTR["Vendor-Specific"];
      b[1] = b.length;
      new DataView(b.buffer).setUint32(2, a.vendor);
      b[6] = a.type;
      b[7] = sub;
      b.set(a.value, 8);
      chunks.push(b);
    } else {
      if (a.value.length > 253) throw new Error("attribute too long");
      const b = new Uint8Array(2 + a.value.length);
      b[0] = a.type;
      b[1] = b.length;
      b.set(a.value, 2);
      chunks.push(b);
    }
  }
  return concat(chunks);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function header(code: number, id: number, length: number, authenticator: Uint8Array) {
  const b = new Uint8Array(20);
  b[0] = code;
  b[1] = id;
  new DataView(b.buffer).setUint16(2, length);
  b.set(authenticator, 4);
  return b;
}

/** Offset of the Message-Authenticator's 16 value bytes in an encoded packet, or -1. */
function messageAuthenticatorAt(bytes: Uint8Array): number {
  for (let at = 20; at + 2 <= bytes.length;) {
    const len = bytes[at + 1];
    if (len < 2) return -1;
    if (bytes[at] === ATTR["Message-Authenticator"] && len === 18) return at + 2;
    at += len;
  }
  return -1;
}

/**
 * A CoA- or Disconnect-Request, signed: a Message-Authenticator goes first (so a NAS that
 * requires it finds it), computed over the packet with a zero authenticator; then the Request
 * Authenticator is MD5(code, id, length, 16 zero octets, attributes, secret) (RFC 5176 §2.3).
 */
export function encodeRequest(
  code: number,
  id: number,
  attrs: Attribute[],
  secret: string,
): Uint8Array {
  const key = text(secret);
  const body = encodeAttributes([
    { type: ATTR["Message-Authenticator"], value: new Uint8Array(16) },
    ...attrs,
  ]);
  const length = 20 + body.length;
  if (length > 4096) throw new Error("RADIUS packet over 4096 bytes");
  const packet = concat([header(code, id, length, new Uint8Array(16)), body]);
  packet.set(hmacMd5(key, packet), messageAuthenticatorAt(packet));
  packet.set(md5(packet, key), 4);
  return packet;
}

/** A reply to `request` (the stand-in NAS's side), signed the same way (RFC 5176 §2.3). */
export function encodeReply(
  code: number,
  request: Uint8Array,
  attrs: Attribute[],
  secret: string,
  opts: { messageAuthenticator?: boolean } = {},
): Uint8Array {
  const key = text(secret);
  const all: Attribute[] = opts.messageAuthenticator === false
    ? attrs
    : [{ type: ATTR["Message-Authenticator"], value: new Uint8Array(16) }, ...attrs];
  const body = encodeAttributes(all);
  const packet = concat([header(code, request[1], 20 + body.length, request.slice(4, 20)), body]);
  const ma = messageAuthenticatorAt(packet);
  if (ma > 0) packet.set(hmacMd5(key, packet), ma);
  packet.set(md5(packet, key), 4);
  return packet;
}

/** Parses a packet; throws on a malformed one (lengths that do not add up). */
export function decode(bytes: Uint8Array): Packet {
  if (bytes.length < 20) throw new Error("RADIUS packet shorter than its header");
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint16(2);
  if (length < 20 || length > bytes.length || length > 4096) {
    throw new Error("RADIUS length field does not match the datagram");
  }
  const attributes: Attribute[] = [];
  for (let at = 20; at < length;) {
    const type = bytes[at], len = bytes[at + 1];
    if (len < 2 || at + len > length) throw new Error("malformed RADIUS attribute");
    const value = bytes.slice(at + 2, at + len);
    if (type === ATTR["Vendor-Specific"] && value.length >= 6 && value[5] === value.length - 4) {
      const vendor = new DataView(value.buffer).getUint32(0);
      attributes.push({ vendor, type: value[4], value: value.slice(6) });
    } else attributes.push({ type, value });
    at += len;
  }
  return { code: bytes[0], id: bytes[1], authenticator: bytes.slice(4, 20), attributes };
}

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** A request's Request Authenticator and (when present) Message-Authenticator check out. */
export function verifyRequest(bytes: Uint8Array, secret: string): boolean {
  const key = text(secret);
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint16(2);
  const p = bytes.slice(0, length);
  const given = p.slice(4, 20);
  p.fill(0, 4, 20);
  const ma = messageAuthenticatorAt(p);
  if (ma > 0) {
    const sent = p.slice(ma, ma + 16);
    const copy = p.slice();
    copy.fill(0, ma, ma + 16);
    if (!equal(sent, hmacMd5(key, copy))) return false;
  }
  return equal(given, md5(p, key));
}

/**
 * A reply's Response Authenticator (MD5 over the reply with the request's authenticator in
 * place, plus the secret) and its Message-Authenticator, when present, check out.
 */
export function verifyReply(reply: Uint8Array, request: Uint8Array, secret: string): boolean {
  const key = text(secret);
  if (reply.length < 20) return false;
  const length = new DataView(reply.buffer, reply.byteOffset).getUint16(2);
  if (length > reply.length) return false;
  const p = reply.slice(0, length);
  const given = p.slice(4, 20);
  p.set(request.slice(4, 20), 4);
  const ma = messageAuthenticatorAt(p);
  if (ma > 0) {
    const sent = p.slice(ma, ma + 16);
    const copy = p.slice();
    copy.fill(0, ma, ma + 16);
    if (!equal(sent, hmacMd5(key, copy))) return false;
  }
  return equal(given, md5(p, key));
}

/** The first attribute of a standard type, if any. */
export function attr(p: Packet, type: number): Uint8Array | undefined {
  return p.attributes.find((a) => !("vendor" in a) && a.type === type)?.value;
}
