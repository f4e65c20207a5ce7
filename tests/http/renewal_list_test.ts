// The attendant's renewal list (issue #16 items 9 and 13): queues by whose move it is, with
// counts, by urgency; the list resent live when a case moves; bulk assign/release for
// supervisors only, one audit event per case.
import assert from "node:assert/strict";
import { ORIGIN, signInAs } from "../helpers.ts";
import { setup } from "./renewal_fixtures.ts";
import { caseAt } from "../factories.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { getCase, openCaseOfContract } from "../../services/renewals/cases.ts";
import { auditOf } from "../../services/audit.ts";
import { findUserByUsername } from "../../services/users.ts";
import { PNG } from "../fixtures/images/mod.ts";
import type { QueueView } from "../../domain/queue_view.ts";

/** The ids of the case rows under one queue heading of the list page. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start > 0, `no section ${id}`);
  const end = html.indexOf("</section>", start);
  return html.slice(start, end);
}

Deno.test("list: staff's move under Minha vez, the customer's under Aguardando o cliente, with counts", async () => {
  await using t = await setup();
  const review = await caseAt(t.db, "photo_sent");
  const waiting = await caseAt(t.db, "offer");
  const html = await (await t.app.request("/app", { headers: { cookie: t.att.cookie } })).text();
  const mine = section(html, "queue-staff"), theirs = section(html, "queue-customer");
  assert.match(mine, /Minha vez/);
  assert.ok(mine.includes(`/app/cases/${review.id}`) && !mine.includes(waiting.id));
  assert.ok(theirs.includes(`/app/cases/${waiting.id}`) && !theirs.includes(review.id));
  assert.match(mine, /data-testid="queue-count">1</);
  assert.match(theirs, /data-testid="queue-count">1</);
});

Deno.test("list: the JSON poll answers the same queues as the page", async () => {
  await using t = await setup();
  const review = await caseAt(t.db, "photo_sent");
  const res = await t.app.request("/app/api/list", { headers: { cookie: t.att.cookie } });
  assert.equal(res.status, 200);
  const v: QueueView = await res.json();
  assert.deepEqual(v.staff.map((r) => r.id), [review.id]);
  assert.equal(v.due.length, 25);
  assert.equal("photo" in (v.staff[0] as object), false, "rows only, not the case record");
});

Deno.test("list: the live stream sends the list again when a photo arrives", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "plan_chosen");
  const ctl = new AbortController();
  const res = await t.app.request("/app/events", {
    headers: { cookie: t.att.cookie },
    signal: ctl.signal,
  });
  assert.equal(res.headers.get("content-type")?.split(";")[0], "text/event-stream");
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const nextView = async (): Promise<QueueView> => {
    for (;;) {
      const m = /event: view\ndata: (.*)\n\n/.exec(buf);
      if (m) {
        buf = buf.slice(m.index + m[0].length);
        return JSON.parse(m[1]);
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      buf += value;
    }
  };
  try {
    const first = await nextView();
    assert.deepEqual(first.customer.map((r) => r.id), [h.id]);
    const t0 = Date.now();
    await customer.uploadPhoto(h.cu, h.id, new File([PNG], "eu.png", { type: "image/png" }));
    const second = await nextView();
    assert.ok(Date.now() - t0 < 5000, "within seconds");
    assert.deepEqual(second.staff.map((r) => r.id), [h.id], "moved to Minha vez");
    assert.equal(second.staff[0].stepLabel, "Foto enviada");
  } finally {
    await reader.cancel().catch(() => {});
    ctl.abort();
  }
});

/** A bulk form post: repeated fields as a browser sends ticked checkboxes. */
function bulk(
  t: Awaited<ReturnType<typeof setup>>,
  who: { cookie: string; csrf: string },
  fields: [string, string][],
  csrf = true,
) {
  const body = new URLSearchParams(fields);
  if (csrf) body.set("_csrf", who.csrf);
  return t.app.request("/app/bulk", {
    method: "POST",
    headers: {
      origin: ORIGIN,
      cookie: who.cookie,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
}

Deno.test("bulk: a supervisor assigns ticked due contracts and cases, one audit event each", async () => {
  await using t = await setup();
  const sup = await signInAs(t.app, "supervisora");
  const ana = (await findUserByUsername(t.db, "atendente2"))!;
  const open = await caseAt(t.db, "offer"); // atendente1's
  const res = await bulk(t, sup, [
    ["op", "assign"],
    ["userId", ana.id],
    ["contractId", t.due[5].contractId],
    ["contractId", t.due[6].contractId],
    ["caseId", open.id],
  ]);
  assert.equal(res.status, 303);
  assert.match(decodeURIComponent(res.headers.get("location")!), /3 atribuído\(s\) a/);
  const moved = (await getCase(t.db, open.id))!;
  assert.equal(moved.assigneeId, ana.id);
  const events = (await auditOf(t.db, `case:${open.id}`)).filter((e) =>
    e.action === "case.assigned"
  );
  assert.equal(events.length, 1);
  for (const i of [5, 6]) {
    const id = (await openCaseOfContract(t.db, t.due[i].contractId))!;
    assert.equal((await getCase(t.db, id))!.assigneeId, ana.id);
  }
});

Deno.test("bulk: a supervisor releases ticked cases; nobody holds them after", async () => {
  await using t = await setup();
  const sup = await signInAs(t.app, "supervisora");
  const a = await caseAt(t.db, "offer");
  const b = await caseAt(t.db, "photo_sent");
  const res = await bulk(t, sup, [["op", "release"], ["caseId", a.id], ["caseId", b.id]]);
  assert.match(decodeURIComponent(res.headers.get("location")!), /2 liberado\(s\)/);
  for (const id of [a.id, b.id]) {
    assert.equal((await getCase(t.db, id))!.assigneeId, undefined);
    assert.equal(
      (await auditOf(t.db, `case:${id}`)).filter((e) => e.action === "case.released").length,
      1,
    );
  }
});

Deno.test("bulk: attendants get 403 and a post without the CSRF token changes nothing", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "offer");
  const asAttendant = await bulk(t, t.att, [["op", "release"], ["caseId", h.id]]);
  assert.equal(asAttendant.status, 403);
  const sup = await signInAs(t.app, "supervisora");
  const noCsrf = await bulk(t, sup, [["op", "release"], ["caseId", h.id]], false);
  assert.equal(noCsrf.status, 403);
  assert.ok((await getCase(t.db, h.id))!.assigneeId, "still assigned");
  const none = await bulk(t, sup, [["op", "release"]]);
  assert.equal(none.status, 400);
  assert.match(await none.text(), /Marque ao menos um/);
});

Deno.test("list: attendants see no bulk form; supervisors see checkboxes tied to it", async () => {
  await using t = await setup();
  const att = await (await t.app.request("/app", { headers: { cookie: t.att.cookie } })).text();
  assert.doesNotMatch(att, /action="\/app\/bulk"/);
  const sup = await signInAs(t.app, "supervisora");
  const html = await (await t.app.request("/app", { headers: { cookie: sup.cookie } })).text();
  assert.match(html, /action="\/app\/bulk"/);
  assert.match(html, /type="checkbox" form="bulk" name="contractId"/);
});
