// A stand-in NAS for the tests: a UDP server on loopback that answers CoA and Disconnect
// requests as RFC 5176 says a NAS does, checking the Request Authenticator and the
// Message-Authenticator with the shared secret. Its behaviour is set per test: ACK, NAK with an
// Error-Cause, silence, a reply signed with the wrong secret, or the same reply twice.
import dgram from "node:dgram";
import {
  ATTR,
  CODES,
  decode,
  encodeReply,
  type Packet,
  u32,
  verifyRequest,
} from "../../services/network/radius_packet.ts";

export type NasMode = "ack" | "nak" | "silent" | "bad_authenticator" | "duplicate";

export interface NasStandin extends AsyncDisposable {
  port: number;
  mode: NasMode;
  /** How Disconnect-Requests are answered (default: like CoA). */
  disconnectMode?: NasMode;
  errorCause: number;
  /** Requests received (raw bytes), valid or not. */
  received: Uint8Array[];
  /** Decoded requests whose authenticators checked out. */
  valid: Packet[];
}

export async function startNas(secret: string, mode: NasMode = "ack"): Promise<NasStandin> {
  const socket = dgram.createSocket("udp4");
  const nas: NasStandin = {
    port: 0,
    mode,
    errorCause: 503,
    received: [],
    valid: [],
    async [Symbol.asyncDispose]() {
      await new Promise<void>((r) => socket.close(() => r()));
    },
  };
  socket.on("message", (msg: Uint8Array, from: { address: string; port: number }) => {
    const bytes = new Uint8Array(msg);
    nas.received.push(bytes);
    if (!verifyRequest(bytes, secret)) return; // RFC 5176 §3.4: silently discarded
    const req = decode(bytes);
    nas.valid.push(req);
    const disconnect = req.code === CODES["Disconnect-Request"];
    const mode = disconnect ? nas.disconnectMode ?? nas.mode : nas.mode;
    if (mode === "silent") return;
    const ack = disconnect ? CODES["Disconnect-ACK"] : CODES["CoA-ACK"];
    const nak = disconnect ? CODES["Disconnect-NAK"] : CODES["CoA-NAK"];
    const reply = mode === "nak"
      ? encodeReply(nak, bytes, [{ type: ATTR["Error-Cause"], value: u32(nas.errorCause) }], secret)
      : encodeReply(ack, bytes, [], mode === "bad_authenticator" ? `${secret}x` : secret);
    socket.send(reply, from.port, from.address);
    if (mode === "duplicate") socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  nas.port = socket.address().port;
  return nas;
}
