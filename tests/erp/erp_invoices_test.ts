// ERP_INVOICES=erp: the invoices IXC issues reach the customer through Renova — on the "Tudo
// pronto" page, in the messages, and as boleto PDFs served by Renova — fetched by the write-back
// queue (retried, never blocking the renewal) from the stand-in IXC.
import assert from "node:assert/strict";
import { PDFDocument } from "pdf-lib";
import { makeUser, signInAs, testApp } from "../helpers.ts";
import { pushErpWrites } from "../../services/erp/push.ts";
import { readOutbox } from "../../services/messaging/mod.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getErpInvoices } from "../../services/erp/invoices.ts";
import { walkTo } from "../factories.ts";
import { adapterOf, ixcInvoices, IxcStandin, TOKEN } from "./fixtures.ts";
import { erpRenewal, erpWrites } from "./writeback.ts";

const clock = () => {
  let t = Date.parse("2026-12-01T13:00:00Z");
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
};

/** A renewal whose invoices IXC issues, stopped at `until`, with the app serving its pages. */
async function erpMode(s: IxcStandin, until: "registered" | "notified" = "notified") {
  const c = clock();
  const t = await testApp({ IXC_URL: s.url, IXC_TOKEN: TOKEN, ERP_INVOICES: "erp" }, c.now);
  const r = await erpRenewal(t.db, s, { invoices: "erp", until });
  const firstDue = r.c.renewal!.loyaltyStart;
  return { t, clock: c, ...r, firstDue };
}

Deno.test("erp invoices: until IXC's invoices arrive the customer page says they are on their way, with no carnê of Renova", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, h, c } = await erpMode(s);
    await using _t = t;
    assert.equal(c.invoices, undefined, "Renova issues no invoices of its own");
    const html = await (await t.app.request(`/r/${h.token}`)).text();
    assert.match(html, /data-testid="erp-invoices-waiting"/);
    assert.match(html, /faturas estão a caminho/);
    assert.doesNotMatch(html, /data-testid="carne"/);
    const pdf = await t.app.request(`/r/${h.token}/faturas.pdf`);
    assert.equal(pdf.status, 404);
    assert.match(await pdf.text(), /a caminho/);
    const [allSet] = (await readOutbox(t.db, 20)).filter((m) => m.template === "all_set");
    assert.match(allSet.body, /emitidas pela operadora/);
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: after the push the page shows IXC's invoices — due date, value, linha digitável, PIX", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, h, erpId, customerErpId, firstDue } = await erpMode(s);
    await using _t = t;
    await ixcInvoices(s, erpId, customerErpId, firstDue, 3);
    await pushErpWrites(t.db, adapterOf(s));
    const html = await (await t.app.request(`/r/${h.token}`)).text();
    assert.match(html, /data-testid="erp-invoices"/);
    assert.doesNotMatch(html, /data-testid="erp-invoices-waiting"/);
    for (const r of s.rows("fn_areceber")) {
      const [y, m, d] = r.data_vencimento.split("-");
      assert.ok(html.includes(`${d}/${m}/${y}`), `due date ${r.data_vencimento}`);
      assert.ok(html.includes(r.linha_digitavel), "linha digitável");
    }
    assert.match(html, /R\$\s*129,90/);
    assert.ok(html.includes(s.pix.values().next().value!), "PIX copia-e-cola");
    assert.ok(!html.includes(s.url) && !html.includes(TOKEN), "no IXC address or token");
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: arriving after the all-set message they are sent to the customer in a follow-up message", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, erpId, customerErpId, firstDue } = await erpMode(s);
    await using _t = t;
    await ixcInvoices(s, erpId, customerErpId, firstDue, 2);
    await pushErpWrites(t.db, adapterOf(s));
    await pushErpWrites(t.db, adapterOf(s)); // nothing due: sent once
    const sent = (await readOutbox(t.db, 50)).filter((m) => m.template === "erp_invoices");
    assert.equal(sent.length, 2, "WhatsApp and e-mail, once each");
    for (const r of s.rows("fn_areceber")) assert.ok(sent[0].body.includes(r.linha_digitavel));
    assert.match(sent[0].body, /\/r\/[A-Za-z0-9_-]{43}\/faturas\.pdf/);
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: fetched before the all-set message, that message carries them", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, h, erpId, customerErpId, firstDue } = await erpMode(s, "registered");
    await using _t = t;
    await ixcInvoices(s, erpId, customerErpId, firstDue, 2);
    await pushErpWrites(t.db, adapterOf(s));
    await walkTo(h, "notified");
    const out = await readOutbox(t.db, 50);
    const [allSet] = out.filter((m) => m.template === "all_set");
    for (const r of s.rows("fn_areceber")) assert.ok(allSet.body.includes(r.linha_digitavel));
    assert.equal(out.filter((m) => m.template === "erp_invoices").length, 0, "no second message");
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: the boleto PDFs download through Renova — IXC's own bytes, one or all", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, h, erpId, customerErpId, firstDue } = await erpMode(s);
    await using _t = t;
    const ids = await ixcInvoices(s, erpId, customerErpId, firstDue, 3);
    await pushErpWrites(t.db, adapterOf(s));
    const one = await t.app.request(`/r/${h.token}/faturas.pdf?fatura=${ids[1]}`);
    assert.equal(one.headers.get("content-type"), "application/pdf");
    assert.deepEqual(new Uint8Array(await one.arrayBuffer()), s.boletos.get(ids[1]));
    const all = await t.app.request(`/r/${h.token}/faturas.pdf`);
    const doc = await PDFDocument.load(new Uint8Array(await all.arrayBuffer()));
    assert.equal(doc.getPageCount(), 3, "every boleto in one file");
    const other = await t.app.request(`/r/${h.token}/faturas.pdf?fatura=999999`);
    assert.equal(other.status, 404, "only this case's invoices");
    await other.body?.cancel();
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: not yet issued in IXC, the fetch waits and retries without blocking the renewal", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, clock: c, h, erpId, customerErpId, firstDue } = await erpMode(s);
    await using _t = t;
    const sum = await pushErpWrites(t.db, adapterOf(s));
    assert.equal(sum.dead, 0);
    const fetch = (await erpWrites(t.db)).find((w) => w.kind === "invoices")!;
    assert.equal(fetch.status, "queued");
    assert.match(fetch.lastError ?? "", /ainda não emitiu/);
    assert.ok(
      (await erpWrites(t.db)).filter((w) => w.kind !== "invoices").every((w) =>
        w.status === "done"
      ),
      "the plan, dates, ticket and PDF went",
    );
    assert.equal((await getCase(t.db, h.id))!.step, "notified", "the renewal went on");
    for (let i = 0; i < 8; i++) { // an hour of passes: still waiting, not given up
      c.advance(15 * 60_000);
      await pushErpWrites(t.db, adapterOf(s));
    }
    assert.equal((await erpWrites(t.db)).find((w) => w.id === fetch.id)!.status, "queued");
    await ixcInvoices(s, erpId, customerErpId, firstDue, 1);
    c.advance(15 * 60_000);
    await pushErpWrites(t.db, adapterOf(s));
    assert.equal((await getErpInvoices(t.db, h.id)).value?.status, "ready");
  } finally {
    await s.stop();
  }
});

Deno.test("erp invoices: the case page shows where they stand — waiting with the reason, then received", async () => {
  const s = new IxcStandin().start();
  try {
    const { t, clock, h, erpId, customerErpId, firstDue } = await erpMode(s);
    await using _t = t;
    const sup = await signInAs(t.app, (await makeUser(t.db, "supervisor")).username);
    await pushErpWrites(t.db, adapterOf(s));
    const page = async () =>
      await (await t.app.request(`/app/cases/${h.id}`, { headers: { cookie: sup.cookie } }))
        .text();
    const waiting = await page();
    assert.match(waiting, /Aguardando as faturas do ERP/);
    assert.match(waiting, /ainda não emitiu/);
    await ixcInvoices(s, erpId, customerErpId, firstDue, 2);
    clock.advance(60_000); // due again after its backoff
    await pushErpWrites(t.db, adapterOf(s));
    assert.match(await page(), /2 fatura\(s\) recebidas do ERP/);
  } finally {
    await s.stop();
  }
});
