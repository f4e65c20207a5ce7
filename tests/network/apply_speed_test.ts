// The notify step sends the new speed to the NAS first: a CoA-ACK makes the final message say
// the plan is already active; a refusal or silence falls back to a Disconnect when the profile
// allows it, else to the router instructions, and the case's history says why.
import assert from "node:assert/strict";
import { testApp, testDb } from "../helpers.ts";
import { caseAt, lastLinkToken } from "../factories.ts";
import { startNas } from "./nas_standin.ts";
import { keys } from "../../services/keys.ts";
import { createNas } from "../../services/network/nas.ts";
import { notifyCustomer } from "../../services/renewals/staff_actions.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { messagesOfCase, openMessage } from "../../services/messaging/messages.ts";
import { auditOf } from "../../services/audit.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { CODES, readText } from "../../services/network/radius_packet.ts";
import type { Contract } from "../../services/contracts.ts";
import type { Db } from "../../services/db.ts";

const SECRET = "segredo-do-nas";

async function registeredWithLogin(db: Db, login = "cliente0042") {
  const h = await caseAt(db, "registered");
  const e = await db.kv.get<Contract>(keys.contract(h.contractId));
  await db.kv.set(keys.contract(h.contractId), { ...e.value!, accessLogin: login });
  return h;
}

async function allSetBody(db: Db, caseId: string) {
  const all = await messagesOfCase(db, caseId);
  const m = all.find((m) => m.template === "all_set" && m.channel === "whatsapp")!;
  return (await openMessage(db, m)).body;
}

async function addNas(db: Db, port: number, allowDisconnect = false) {
  await createNas(db, {
    name: "BNG Centro",
    host: "127.0.0.1",
    port: String(port),
    vendor: "mikrotik",
    secret: SECRET,
    allowDisconnect: allowDisconnect ? "on" : undefined,
  }, SYSTEM);
}

Deno.test("speed: a CoA-ACK and the final message says the plan is already active", async () => {
  await using db = await testDb();
  await using nas = await startNas(SECRET, "ack");
  const h = await registeredWithLogin(db);
  await addNas(db, nas.port);
  await notifyCustomer(h.ctx, h.id);
  const c = (await getCase(db, h.id))!;
  assert.equal(c.step, "notified");
  assert.equal(c.network?.outcome, "coa_ack");
  const body = await allSetBody(db, h.id);
  assert.match(body, /já está ativo/);
  assert.doesNotMatch(body, /desligue o roteador/);
  const sent = nas.valid[0];
  assert.equal(
    readText(sent.attributes.find((a) => !("vendor" in a) && a.type === 1)!.value),
    "cliente0042",
  );
  const ev = (await auditOf(db, `case:${h.id}`)).find((e) => e.action === "network.speed_applied");
  assert.equal(ev?.data?.outcome, "coa_ack");
});

Deno.test("speed: a silent NAS gives the router instructions and the reason", async () => {
  await using db = await testDb();
  await using nas = await startNas(SECRET, "silent");
  const h = await registeredWithLogin(db);
  await addNas(db, nas.port);
  await notifyCustomer(h.ctx, h.id);
  // Bounded by tries, not by luck: two CoA tries of 1.2 s, then the step goes on.
  assert.equal(nas.valid.length, 2);
  const c = (await getCase(db, h.id))!;
  assert.equal(c.network?.outcome, "manual");
  assert.match(c.network!.outcome === "manual" ? c.network!.reason : "", /não respondeu/);
  assert.match(await allSetBody(db, h.id), /desligue o roteador/);
  assert.ok(!nas.valid.some((p) => p.code === CODES["Disconnect-Request"]), "no Disconnect");
});

Deno.test("speed: a CoA-NAK falls back to a Disconnect when the profile allows", async () => {
  await using db = await testDb();
  await using nas = await startNas(SECRET, "nak");
  nas.disconnectMode = "ack";
  const h = await registeredWithLogin(db);
  await addNas(db, nas.port, true);
  await notifyCustomer(h.ctx, h.id);
  const c = (await getCase(db, h.id))!;
  assert.equal(c.network?.outcome, "disconnect_ack");
  assert.match(await allSetBody(db, h.id), /conexão foi reiniciada/);
  assert.deepEqual(nas.valid.map((p) => p.code), [
    CODES["CoA-Request"],
    CODES["Disconnect-Request"],
  ]);
});

Deno.test("speed: no login on the contract: router instructions, no packet sent", async () => {
  await using db = await testDb();
  await using nas = await startNas(SECRET, "ack");
  const h = await caseAt(db, "registered");
  await addNas(db, nas.port);
  await notifyCustomer(h.ctx, h.id);
  const c = (await getCase(db, h.id))!;
  assert.equal(c.network?.outcome, "manual");
  assert.equal(nas.received.length, 0);
  assert.match(await allSetBody(db, h.id), /desligue o roteador/);
});

Deno.test("speed: the NAS secret is sealed at rest and never in the audit trail", async () => {
  await using db = await testDb();
  await addNas(db, 3799);
  for await (const e of db.kv.list({ prefix: [] })) {
    assert.ok(!JSON.stringify(e.value).includes(SECRET), `secret clear under ${e.key.join("/")}`);
  }
});

Deno.test("speed: the customer's all-set page says the plan is active instead of the router steps", async () => {
  await using t = await testApp();
  await using nas = await startNas(SECRET, "ack");
  const h = await registeredWithLogin(t.db);
  await addNas(t.db, nas.port);
  await notifyCustomer(h.ctx, h.id);
  const html = await (await t.app.request(`/r/${await lastLinkToken(t.db)}`)).text();
  assert.match(html, /Seu novo plano já está ativo/);
  assert.doesNotMatch(html, /Desligue o roteador da tomada/);
});

Deno.test("speed: the access login pulled from the ERP (radusuarios) is used", async () => {
  await using db = await testDb();
  await using nas = await startNas(SECRET, "ack");
  const h = await caseAt(db, "registered");
  const contract = (await db.kv.get<Contract>(keys.contract(h.contractId))).value!;
  await db.kv.set(keys.erpLogin(contract.erpId!), {
    erpId: "77",
    contractErpId: contract.erpId!,
    login: "pppoe-ixc-77",
    active: true,
    stamp: "2026-12-01 10:00:00",
  });
  await addNas(db, nas.port);
  await notifyCustomer(h.ctx, h.id);
  assert.equal((await getCase(db, h.id))!.network?.outcome, "coa_ack");
  const user = nas.valid[0].attributes.find((a) => !("vendor" in a) && a.type === 1)!;
  assert.equal(readText(user.value), "pppoe-ixc-77");
});
