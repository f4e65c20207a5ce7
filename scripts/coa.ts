// deno task coa --nas HOST:PORT --secret SECRET --user LOGIN --vendor mikrotik --rate 300M/150M
// Sends one CoA-Request (or, with --disconnect, a Disconnect-Request) and prints the reply.
// Exits 0 only on an ACK whose Response Authenticator checks out. The secret can come from
// COA_SECRET instead of the command line (which other users of the machine may see).
import { parseArgs } from "node:util";
import { sendCoa } from "../services/network/coa_client.ts";
import {
  parseRate,
  rateAttributes,
  sessionAttributes,
  type Vendor,
  VENDORS,
} from "../services/network/profiles.ts";

const USAGE = "uso: deno task coa --nas HOST[:PORTA] --secret SEGREDO --user LOGIN " +
  "[--vendor mikrotik|huawei|cisco|juniper] [--rate 300M/150M] [--session ID] [--ip IP] " +
  "[--disconnect] [--timeout MS] [--tries N]";

function fail(message: string, code = 2): never {
  console.error(message);
  Deno.exit(code);
}

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    nas: { type: "string" },
    secret: { type: "string" },
    user: { type: "string" },
    vendor: { type: "string", default: "mikrotik" },
    rate: { type: "string" },
    session: { type: "string" },
    ip: { type: "string" },
    disconnect: { type: "boolean", default: false },
    timeout: { type: "string", default: "2000" },
    tries: { type: "string", default: "3" },
  },
  strict: true,
});

const secret = a.secret ?? Deno.env.get("COA_SECRET");
if (!a.nas || !secret || !a.user) fail(USAGE);
const [host, portText] = a.nas.includes("]:")
  ? [a.nas.slice(1, a.nas.indexOf("]")), a.nas.split("]:")[1]]
  : a.nas.split(":");
const port = Number(portText ?? 3799);
if (!host || !Number.isInteger(port) || port < 1 || port > 65535) fail(`NAS inválido: ${a.nas}`);
if (!VENDORS.includes(a.vendor as Vendor) || a.vendor === "generic") {
  fail(`Fabricante inválido: ${a.vendor} (use mikrotik, huawei, cisco ou juniper).`);
}
const rate = a.rate ? parseRate(a.rate) : null;
if (!a.disconnect && !rate) fail("Informe a velocidade: --rate 300M/150M (download/upload).");

const attrs = [
  ...sessionAttributes({ userName: a.user, acctSessionId: a.session, framedIp: a.ip }),
  ...(a.disconnect ? [] : rateAttributes(a.vendor as Vendor, rate!)),
];
const kind = a.disconnect ? "Disconnect-Request" : "CoA-Request";
console.log(`${kind} para ${host}:${port} (usuário ${a.user}${rate ? `, ${a.rate}` : ""})`);
const out = await sendCoa({ host, port, secret }, attrs, {
  disconnect: a.disconnect,
  timeoutMs: Number(a.timeout),
  tries: Number(a.tries),
});
switch (out.kind) {
  case "ack":
    console.log(`ACK em ${out.ms} ms: autenticador da resposta conferido.`);
    Deno.exit(0);
    break;
  case "nak":
    fail(`NAK em ${out.ms} ms: ${out.reason}.`, 1);
    break;
  case "timeout":
    fail(
      `Sem resposta após ${out.tries} tentativas (${out.ms} ms). O NAS aceita CoA deste endereço?`,
      1,
    );
    break;
  case "bad_authenticator":
    fail(
      "Resposta com autenticador inválido: confira o segredo compartilhado (resposta ignorada).",
      1,
    );
}
