// `deno task coa`: exit 0 only on an ACK that checks out; non-zero with the reason otherwise.
import assert from "node:assert/strict";
import { startNas } from "../network/nas_standin.ts";

const SECRET = "segredo-da-tarefa";

async function coa(port: number, ...extra: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "scripts/coa.ts",
      "--nas",
      `127.0.0.1:${port}`,
      "--user",
      "cliente01",
      "--timeout",
      "150",
      "--tries",
      "2",
      ...extra,
    ],
    env: { COA_SECRET: SECRET },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

Deno.test("coa task: an ACK exits 0 and the secret never shows", async () => {
  await using nas = await startNas(SECRET, "ack");
  const r = await coa(nas.port, "--vendor", "huawei", "--rate", "300M/150M");
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /ACK em \d+ ms/);
  assert.ok(!r.text.includes(SECRET));
});

Deno.test("coa task: a NAK exits non-zero with the Error-Cause", async () => {
  await using nas = await startNas(SECRET, "nak");
  const r = await coa(nas.port, "--rate", "300M/150M");
  assert.equal(r.code, 1);
  assert.match(r.text, /NAK .*sessão não encontrada/);
});

Deno.test("coa task: silence exits non-zero after the tries", async () => {
  await using nas = await startNas(SECRET, "silent");
  const r = await coa(nas.port, "--disconnect");
  assert.equal(r.code, 1);
  assert.match(r.text, /Sem resposta após 2 tentativas/);
});

Deno.test("coa task: a reply signed with another secret exits non-zero", async () => {
  await using nas = await startNas(SECRET, "bad_authenticator");
  const r = await coa(nas.port, "--rate", "300M/150M");
  assert.equal(r.code, 1);
  assert.match(r.text, /autenticador inválido/);
});

Deno.test("coa task: a missing rate is refused before anything is sent", async () => {
  await using nas = await startNas(SECRET, "ack");
  const r = await coa(nas.port);
  assert.equal(r.code, 2);
  assert.match(r.text, /Informe a velocidade/);
  assert.equal(nas.received.length, 0);
});
