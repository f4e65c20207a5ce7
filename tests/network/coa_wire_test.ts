// The CoA wire format, checked against an implementation we did not write: FreeRADIUS's
// radclient (Debian freeradius-utils) sends to our stand-in NAS and checks our replies, and our
// encoder must produce the very bytes radclient sent for the same packet.
import assert from "node:assert/strict";
import { startNas } from "./nas_standin.ts";
import { sendCoa } from "../../services/network/coa_client.ts";
import {
  ATTR,
  CODES,
  decode,
  encodeRequest,
  readText,
  text,
} from "../../services/network/radius_packet.ts";
import { rateAttributes, sessionAttributes } from "../../services/network/profiles.ts";

const SECRET = "segredo-de-teste";

async function radclient(port: number, kind: "coa" | "disconnect", input: string) {
  const cmd = new Deno.Command("radclient", {
    args: ["-x", "-r", "1", "-t", "2", `127.0.0.1:${port}`, kind, SECRET],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(input));
  await w.close();
  const out = await child.output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

Deno.test({
  name:
    "coa wire: radclient's CoA is accepted by the stand-in and our ACK passes radclient's check",
  async fn() {
    await using nas = await startNas(SECRET, "ack");
    const r = await radclient(
      nas.port,
      "coa",
      'User-Name = "cliente01"\nMikrotik-Rate-Limit = "150M/300M"\nMessage-Authenticator = 0x00\n',
    );
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /CoA-ACK/);
    assert.equal(nas.valid.length, 1, "the stand-in verified radclient's authenticators");
  },
});

Deno.test({
  name: "coa wire: our encoder writes the same bytes radclient wrote for the same packet",
  async fn() {
    await using nas = await startNas(SECRET, "ack");
    await radclient(
      nas.port,
      "coa",
      'Message-Authenticator = 0x00\nUser-Name = "cliente01"\nMikrotik-Rate-Limit = "150M/300M"\n',
    );
    const theirs = nas.received[0];
    const ours = encodeRequest(
      CODES["CoA-Request"],
      theirs[1],
      [
        ...sessionAttributes({ userName: "cliente01" }),
        ...rateAttributes("mikrotik", { downMbps: 300, upMbps: 150 }),
      ],
      SECRET,
    );
    assert.deepEqual([...ours], [...theirs]);
  },
});

// Each vendor profile, byte for byte against radclient's encoding of FreeRADIUS's dictionary.
const VENDOR_CASES = [
  ["mikrotik", 'Mikrotik-Rate-Limit = "150M/300M"'],
  ["huawei", "Huawei-Input-Average-Rate = 150000000\nHuawei-Output-Average-Rate = 300000000"],
  [
    "cisco",
    'Cisco-AVPair = "subscriber:sub-qos-policy-out=PLANO_300M_150M"\n' +
    'Cisco-AVPair = "subscriber:sub-qos-policy-in=PLANO_300M_150M"',
  ],
  ["juniper", 'ERX-Service-Activate:1 = "svc-rate(300000000,150000000)"'],
] as const;

for (const [vendor, lines] of VENDOR_CASES) {
  Deno.test(`coa wire: the ${vendor} profile encodes as FreeRADIUS's dictionary does`, async () => {
    await using nas = await startNas(SECRET, "ack");
    await radclient(
      nas.port,
      "coa",
      `Message-Authenticator = 0x00\nUser-Name = "cliente01"\n${lines}\n`,
    );
    const theirs = nas.received[0];
    assert.ok(theirs, "radclient sent the packet");
    const ours = encodeRequest(
      CODES["CoA-Request"],
      theirs[1],
      [
        ...sessionAttributes({ userName: "cliente01" }),
        ...rateAttributes(vendor, { downMbps: 300, upMbps: 150 }),
      ],
      SECRET,
    );
    assert.deepEqual([...ours], [...theirs]);
  });
}

Deno.test({
  name: "coa wire: radclient reads the stand-in's NAK and its Error-Cause",
  async fn() {
    await using nas = await startNas(SECRET, "nak");
    const r = await radclient(nas.port, "disconnect", 'User-Name = "cliente01"\n');
    assert.match(r.text, /Disconnect-NAK/);
    assert.match(r.text, /Error-Cause = Session-Context-Not-Found/);
  },
});

Deno.test("coa client: an ACK whose authenticator checks out", async () => {
  await using nas = await startNas(SECRET, "ack");
  const out = await sendCoa(
    { host: "127.0.0.1", port: nas.port, secret: SECRET },
    [
      ...sessionAttributes({ userName: "cliente01", framedIp: "100.64.0.9" }),
      ...rateAttributes(
        "mikrotik",
        { downMbps: 300, upMbps: 150 },
      ),
    ],
  );
  assert.equal(out.kind, "ack");
  const req = nas.valid[0];
  assert.equal(req.code, CODES["CoA-Request"]);
  const rate = req.attributes.find((a) => "vendor" in a && a.vendor === 14988 && a.type === 8)!;
  assert.equal(readText(rate.value), "150M/300M");
  assert.deepEqual(
    [
      ...req.attributes.find((a) => !("vendor" in a) && a.type === ATTR["Framed-IP-Address"])!
        .value,
    ],
    [100, 64, 0, 9],
  );
});

Deno.test("coa client: a NAK gives the Error-Cause in pt-BR", async () => {
  await using nas = await startNas(SECRET, "nak");
  nas.errorCause = 503;
  const out = await sendCoa({ host: "127.0.0.1", port: nas.port, secret: SECRET }, [
    { type: ATTR["User-Name"], value: text("x") },
  ]);
  assert.equal(out.kind, "nak");
  assert.ok(
    out.kind === "nak" && out.errorCause === 503 && /sessão não encontrada/.test(out.reason),
  );
});

Deno.test("coa client: silence is a timeout after the tries, never a hang", async () => {
  await using nas = await startNas(SECRET, "silent");
  const out = await sendCoa(
    { host: "127.0.0.1", port: nas.port, secret: SECRET },
    [{ type: ATTR["User-Name"], value: text("x") }],
    { timeoutMs: 100, tries: 3 },
  );
  assert.equal(out.kind, "timeout");
  assert.equal(nas.valid.length, 3, "each try resends the same packet");
  assert.deepEqual([...nas.received[0]], [...nas.received[2]]);
});

Deno.test("coa client: a reply signed with another secret is not trusted", async () => {
  await using nas = await startNas(SECRET, "bad_authenticator");
  const out = await sendCoa(
    { host: "127.0.0.1", port: nas.port, secret: SECRET },
    [{ type: ATTR["User-Name"], value: text("x") }],
    { timeoutMs: 100, tries: 2 },
  );
  assert.equal(out.kind, "bad_authenticator");
});

Deno.test("coa client: a duplicated reply is read once", async () => {
  await using nas = await startNas(SECRET, "duplicate");
  const out = await sendCoa({ host: "127.0.0.1", port: nas.port, secret: SECRET }, [
    { type: ATTR["User-Name"], value: text("x") },
  ]);
  assert.equal(out.kind, "ack");
});

Deno.test("coa client: a request with the wrong secret is dropped by the NAS", async () => {
  await using nas = await startNas(SECRET, "ack");
  const out = await sendCoa(
    { host: "127.0.0.1", port: nas.port, secret: "outro" },
    [{ type: ATTR["User-Name"], value: text("x") }],
    { timeoutMs: 100, tries: 1 },
  );
  assert.equal(out.kind, "timeout");
  assert.equal(nas.received.length, 1);
  assert.equal(nas.valid.length, 0);
  assert.equal(decode(nas.received[0]).code, CODES["CoA-Request"]);
});
