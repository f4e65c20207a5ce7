// A renewal cancelled after its plan change: the ERP gets its previous plan back through the
// same write-back queue (and the same conflict rule); a plan change never sent is dropped.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { staffCtx } from "../factories.ts";
import { cancelCase } from "../../services/renewals/staff_actions.ts";
import { pushErpWrites } from "../../services/erp/push.ts";
import { adapterOf, IxcStandin } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

const clock = () => {
  let t = Date.parse("2026-12-01T13:00:00Z");
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
};

Deno.test("erp undo: cancelling after the plan change reached IXC puts the previous plan back there", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { h, erpId } = await erpRenewal(db, s, { until: "signature_sent" });
    await pushErpWrites(db, adapterOf(s));
    assert.equal(s.table("cliente_contrato").get(erpId)!.id_vd_contrato, "12", "sent");
    await cancelCase(await staffCtx(db, "supervisora"), h.id, "Cliente desistiu por telefone");
    const undo = (await erpWrites(db)).find((w) => w.kind === "contract_plan_undo");
    assert.ok(undo, "an undo is queued with the cancel");
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.sent, 1, JSON.stringify(sum));
    assert.equal(s.table("cliente_contrato").get(erpId)!.id_vd_contrato, "11", "the old plan");
    assert.equal(s.writesTo(`PUT cliente_contrato/${erpId}`), 2, "change, then undo");
  } finally {
    await s.stop();
  }
});

Deno.test("erp undo: a contract changed in IXC after our plan change is a conflict, not overwritten", async () => {
  const c = clock();
  await using db = await testDb(c.now);
  const s = new IxcStandin().start();
  try {
    const { h, erpId } = await erpRenewal(db, s, { until: "signature_sent" });
    await pushErpWrites(db, adapterOf(s));
    s.put("cliente_contrato", { id: erpId, id_vd_contrato: "13" }); // someone in IXC, later
    await cancelCase(await staffCtx(db, "supervisora"), h.id, "Cliente desistiu");
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.conflicts, 1);
    const undo = (await erpWrites(db)).find((w) => w.kind === "contract_plan_undo")!;
    assert.equal(undo.status, "conflict");
    assert.match(undo.lastError!, /alterado no IXC/);
    assert.equal(s.table("cliente_contrato").get(erpId)!.id_vd_contrato, "13", "IXC's change kept");
  } finally {
    await s.stop();
  }
});

Deno.test("erp undo: cancelling before the plan change was sent drops it; nothing reaches IXC", async () => {
  await using db = await testDb();
  const s = new IxcStandin().start();
  try {
    const { h, erpId } = await erpRenewal(db, s, { until: "signature_sent" });
    await cancelCase(await staffCtx(db, "supervisora"), h.id, "Cliente desistiu");
    const ws = await erpWrites(db);
    assert.deepEqual(ws.map((w) => [w.kind, w.status]), [["contract_plan", "dropped"]]);
    const sum = await pushErpWrites(db, adapterOf(s));
    assert.equal(sum.sent + sum.already + sum.retrying, 0, JSON.stringify(sum));
    assert.equal(s.writesTo(`PUT cliente_contrato/${erpId}`), 0);
    assert.equal(s.table("cliente_contrato").get(erpId)!.id_vd_contrato, "11");
  } finally {
    await s.stop();
  }
});
