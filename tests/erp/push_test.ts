// Writing a renewal back to IXC (services/erp/queue.ts + push.ts) against the stand-in.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { systemActor } from "../../domain/actor.ts";
import { pushErpWrites } from "../../services/erp/push.ts";
import { retryErpWrite } from "../../services/erp/queue.ts";
import { ErpAuthError } from "../../services/erp/types.ts";
import { adapterOf, IxcStandin } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

const clock = () => {
  let t = Date.parse("2026-12-01T13:00:00Z");
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
};

Deno.test("erp push: a renewal reaches IXC — plan, dates, ticket opened and closed, PDF, invoices — once", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { c, erpId } = await erpRenewal(db, s);
    const queued = await erpWrites(db);
    assert.deepEqual(queued.map((w) => w.kind), [
      "contract_plan",
      "contract_renewal",
      "ticket_open",
      "contract_pdf",
      "invoices",
      "ticket_close",
    ]);
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.sent, 6, JSON.stringify(sum));
    const k = s.table("cliente_contrato").get(erpId)!;
    assert.equal(k.id_vd_contrato, "12");
    assert.equal(k.data_renovacao, c.renewal!.loyaltyStart);
    assert.equal(k.data_expiracao, c.renewal!.loyaltyEnd);
    const [ticket] = s.rows("su_oss_chamado");
    assert.equal(ticket.protocolo, c.ticket!.protocol);
    assert.equal(ticket.status, "F", "closed in the ERP as in Renova");
    assert.equal(s.rows("cliente_arquivos").length, 1);
    assert.equal(s.rows("fn_areceber").length, c.invoices!.length);
    const writes = s.writes.length;
    const again = await pushErpWrites(db, adapterOf(s));
    assert.equal(again.sent + again.already, 0, "nothing is due any more");
    assert.equal(s.writes.length, writes, "nothing written twice");
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: a contract changed in IXC after Renova read it is a conflict, not overwritten", async () => {
  const c = clock();
  await using db = await testDb(c.now);
  const s = new IxcStandin().start();
  try {
    const { erpId } = await erpRenewal(db, s);
    s.put("cliente_contrato", { id: erpId, obs: "Cliente pediu boleto por e-mail" });
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.conflicts, 1);
    assert.equal(s.writesTo(`PUT cliente_contrato/${erpId}`), 0, "the ERP's change survives");
    const [plan, ...rest] = await erpWrites(db);
    assert.equal(plan.status, "conflict");
    assert.match(plan.lastError!, /alterado no IXC/);
    assert.ok(rest.every((w) => w.status === "queued"), "the later writes wait for it");
    // A person looked at both and sends Renova's change anyway.
    await retryErpWrite(db, plan.id, systemActor("admin"));
    await pushErpWrites(db, adapterOf(s));
    c.advance(61_000);
    await pushErpWrites(db, adapterOf(s));
    assert.ok((await erpWrites(db)).every((w) => w.status === "done"));
    const k = s.table("cliente_contrato").get(erpId)!;
    assert.equal(k.id_vd_contrato, "12");
    assert.equal(k.obs, "Cliente pediu boleto por e-mail", "the whole record was sent back");
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: with IXC down for an hour the writes wait, then go", async () => {
  const c = clock();
  await using db = await testDb(c.now);
  const s = new IxcStandin().start();
  try {
    await erpRenewal(db, s);
    s.down = true;
    for (let m = 0; m < 60; m += 5) {
      const sum = await pushErpWrites(db, adapterOf(s));
      assert.equal(sum.dead, 0);
      c.advance(5 * 60_000);
    }
    const waiting = await erpWrites(db);
    assert.ok(waiting.every((w) => w.status === "queued"), "none given up on");
    assert.equal(s.writes.length, 0);
    s.down = false;
    c.advance(15 * 60_000);
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.sent, 6, JSON.stringify(sum));
    assert.ok((await erpWrites(db)).every((w) => w.status === "done"));
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: bad credentials stop the pass with one message; the writes stay queued", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    await erpRenewal(db, s);
    await assert.rejects(
      () => pushErpWrites(db, adapterOf(s, "7:errado")),
      (e: Error) => e instanceof ErpAuthError && /IXC_TOKEN/.test(e.message),
    );
    assert.equal(s.writes.length, 0);
    const ws = await erpWrites(db);
    assert.ok(ws.every((w) => w.status === "queued" && w.attempts === 0));
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: without an ERP connected the renewal queues nothing", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    await erpRenewal(db, s, { connect: false });
    assert.equal((await erpWrites(db)).length, 0);
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: slow (timeout) and failing (502) answers are tried again later, not lost", async () => {
  const c = clock();
  await using db = await testDb(c.now);
  const s = new IxcStandin().start();
  try {
    await erpRenewal(db, s);
    s.slowMs = 2500; // over the adapter's 2 s timeout
    const slow = await pushErpWrites(db, adapterOf(s));
    assert.match(slow.unavailable ?? "", /não respondeu a tempo/);
    s.slowMs = 0;
    s.failNext = 1;
    c.advance(60_000);
    const failing = await pushErpWrites(db, adapterOf(s));
    assert.match(failing.unavailable ?? "", /HTTP 502/);
    assert.equal(failing.dead, 0);
    c.advance(15 * 60_000);
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.sent + sum.already, 6, JSON.stringify(sum));
    assert.equal(s.writesTo("POST su_oss_chamado"), 1);
  } finally {
    await s.stop();
  }
});

Deno.test("erp push: with ERP_INVOICES=erp the ERP's own invoices are read, none registered", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { erpId, c } = await erpRenewal(db, s, { invoices: "erp" });
    s.put("fn_areceber", {
      id_contrato: erpId,
      status: "A",
      data_vencimento: c.renewal!.loyaltyStart,
      valor: "129.90",
    });
    await pushErpWrites(db, adapterOf(s));
    const inv = (await erpWrites(db)).find((w) => w.kind === "invoices")!;
    assert.equal(inv.status, "done");
    assert.match(inv.result ?? "", /1 fatura\(s\) do IXC/);
    assert.equal(s.writesTo("POST fn_areceber"), 0, "Renova's carnê is not registered");
  } finally {
    await s.stop();
  }
});
