// Sends one CoA- or Disconnect-Request to a NAS over UDP and waits for a reply it can trust:
// same id, from the NAS's address, with a Response Authenticator that checks out. A reply that
// fails the check is ignored (it may be a spoof) while the wait goes on; retries reuse the same
// packet (same id and authenticator), so a NAS that got the first copy answers the same way.
import dgram from "node:dgram";
import { isIP } from "node:net";
import {
  ATTR,
  type Attribute,
  CODES,
  decode,
  encodeRequest,
  ERROR_CAUSES,
  type Packet,
  readU32,
  verifyReply,
} from "./radius_packet.ts";

export interface CoaTarget {
  host: string;
  port: number;
  secret: string;
}

export type CoaOutcome =
  | { kind: "ack"; code: number; ms: number }
  | { kind: "nak"; code: number; errorCause?: number; reason: string; ms: number }
  | { kind: "timeout"; tries: number; ms: number }
  | { kind: "bad_authenticator"; ms: number };

export interface SendOptions {
  /** Milliseconds to wait for each try. */
  timeoutMs?: number;
  /** Tries in all (the first send plus retries). */
  tries?: number;
  /** Packet id (0–255); random by default. */
  id?: number;
}

/** Sends `attrs` as a CoA-Request (or Disconnect-Request) and reads the NAS's answer. */
export async function sendCoa(
  target: CoaTarget,
  attrs: Attribute[],
  opts: SendOptions & { disconnect?: boolean } = {},
): Promise<CoaOutcome> {
  const code = opts.disconnect ? CODES["Disconnect-Request"] : CODES["CoA-Request"];
  const id = opts.id ?? crypto.getRandomValues(new Uint8Array(1))[0];
  const request = encodeRequest(code, id, attrs, target.secret);
  const timeoutMs = opts.timeoutMs ?? 1500;
  const tries = opts.tries ?? 3;
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const socket = dgram.createSocket(target.host.includes(":") ? "udp6" : "udp4");
  let forged = false;
  try {
    const reply = await new Promise<Packet | null>((resolve, reject) => {
      let sent = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = () => {
        if (sent === tries) return resolve(null);
        sent++;
        socket.send(request, target.port, target.host, (err) => err && reject(err));
        timer = setTimeout(send, timeoutMs);
      };
      socket.on("error", reject);
      socket.on("message", (msg: Uint8Array, from: { address: string; port: number }) => {
        const bytes = new Uint8Array(msg);
        // Not our answer: another port, another address (when we know it), another id.
        if (from.port !== target.port || bytes[1] !== id) return;
        if (isIP(target.host) && from.address !== target.host) return;
        if (!verifyReply(bytes, request, target.secret)) {
          forged = true; // keep waiting: the real answer may still come
          return;
        }
        clearTimeout(timer);
        try {
          resolve(decode(bytes));
        } catch {
          forged = true;
        }
      });
      socket.bind(0, () => send());
    });
    if (!reply) {
      return forged
        ? { kind: "bad_authenticator", ms: ms() }
        : { kind: "timeout", tries, ms: ms() };
    }
    if (reply.code === CODES["CoA-ACK"] || reply.code === CODES["Disconnect-ACK"]) {
      return { kind: "ack", code: reply.code, ms: ms() };
    }
    if (reply.code === CODES["CoA-NAK"] || reply.code === CODES["Disconnect-NAK"]) {
      const cause = reply.attributes.find((a) =>
        !("vendor" in a) && a.type === ATTR["Error-Cause"]
      );
      const errorCause = cause ? readU32(cause.value) : undefined;
      const reason = errorCause !== undefined
        ? ERROR_CAUSES[errorCause] ?? `código de erro ${errorCause}`
        : "recusado sem motivo informado";
      return { kind: "nak", code: reply.code, errorCause, reason, ms: ms() };
    }
    return { kind: "bad_authenticator", ms: ms() };
  } finally {
    socket.close();
  }
}
