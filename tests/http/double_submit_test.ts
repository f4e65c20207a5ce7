// A form sent twice (double click, a retry after a timeout) answers like the first one and
// changes the case once; a different change made meanwhile is still a conflict (409).
import assert from "node:assert/strict";
import { type Browser, ORIGIN, postForm } from "../helpers.ts";
import { caseWithLink, setup, toHolderVerified } from "./renewal_fixtures.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getCustomer } from "../../services/customers.ts";

type App = Awaited<ReturnType<typeof setup>>["app"];

/** The hidden fields of the page's form posting to `action`, as the browser would send them. */
async function formOf(app: App, page: string, action: string, browser?: Browser) {
  const html = await (await app.request(page, {
    headers: browser ? { cookie: browser.cookie } : {},
  })).text();
  const form = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)]
    .find((m) => m[1] === action);
  assert.ok(form, `the page has a form to ${action}`);
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1]] = m[2];
  }
  return fields;
}

async function claimed(t: Awaited<ReturnType<typeof setup>>) {
  const claim = await postForm(t.app, "/app/claim", { contractId: t.due[0].contractId }, t.att);
  return claim.headers.get("location")!.split("/").pop()!;
}

Deno.test("double submit: the same staff form twice answers the same redirect and sends one link", async () => {
  await using t = await setup();
  const id = await claimed(t);
  const f = { ...await formOf(t.app, `/app/cases/${id}`, `/app/cases/${id}/send_link`, t.att) };
  assert.ok(f._sub, "the form carries a submission id");
  const body = { ...f, channel: "whatsapp" };
  const first = await postForm(t.app, `/app/cases/${id}/send_link`, body, t.att);
  const again = await postForm(t.app, `/app/cases/${id}/send_link`, body, t.att);
  assert.equal(first.status, 303);
  assert.equal(again.status, 303, "the repeat is not 'alterado por outra pessoa'");
  assert.equal(again.headers.get("location"), first.headers.get("location"));
  assert.equal((await getCase(t.db, id))!.rev, Number(f.rev) + 1, "one change");
  assert.equal((await readOutbox(t.db, 10)).length, 1, "one link sent");
});

Deno.test("double submit: the same form twice at once (both read the same version) is one change", async () => {
  await using t = await setup();
  const id = await claimed(t);
  const f = await formOf(t.app, `/app/cases/${id}`, `/app/cases/${id}/contact`, t.att);
  const body = { ...f, channel: "phone", outcome: "answered", note: "quer ver planos" };
  const [a, b] = await Promise.all([
    postForm(t.app, `/app/cases/${id}/contact`, body, t.att),
    postForm(t.app, `/app/cases/${id}/contact`, body, t.att),
  ]);
  assert.deepEqual([a.status, b.status], [303, 303]);
  assert.equal(a.headers.get("location"), b.headers.get("location"));
  const c = (await getCase(t.db, id))!;
  assert.equal(c.step, "offer");
  assert.equal(c.rev, Number(f.rev) + 1);
});

Deno.test("double submit: claiming from the list twice opens the case once; both go to it", async () => {
  await using t = await setup();
  const f = await formOf(t.app, "/app", "/app/claim", t.att);
  const a = await postForm(t.app, "/app/claim", f, t.att);
  const b = await postForm(t.app, "/app/claim", f, t.att);
  assert.deepEqual([a.status, b.status], [303, 303]);
  assert.equal(a.headers.get("location"), b.headers.get("location"));
  const id = a.headers.get("location")!.split("/").pop()!;
  assert.equal((await getCase(t.db, id))!.rev, 1, "the repeat changed nothing");
});

Deno.test("double submit: the customer's changed contacts sent twice answer the same, one code", async () => {
  await using t = await setup();
  const { caseId, token } = await caseWithLink(t);
  await toHolderVerified(t, caseId, token);
  const f = await formOf(t.app, `/r/${token}`, `/r/${token}/submit_contacts`);
  const who = (await getCustomer(t.db, (await getCase(t.db, caseId))!.customerId))!;
  const body = new URLSearchParams({ ...f, email: "outro.email@exemplo.com" });
  for (const p of who.phones) body.append("phone", p.slice(2));
  const send = () =>
    t.app.request(`/r/${token}/submit_contacts`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  const a = await send();
  const b = await send();
  assert.deepEqual([a.status, b.status], [303, 303]);
  assert.equal(b.headers.get("location"), a.headers.get("location"));
  const codes = (await readOutbox(t.db, 20)).filter((m) => m.template === "contact_code");
  assert.equal(codes.length, 1, "one code sent");
});

Deno.test("double submit: a different change made from the same page version is still a 409", async () => {
  await using t = await setup();
  const id = await claimed(t);
  const link = await formOf(t.app, `/app/cases/${id}`, `/app/cases/${id}/send_link`, t.att);
  const contact = await formOf(t.app, `/app/cases/${id}`, `/app/cases/${id}/contact`, t.att);
  const [a, b] = await Promise.all([
    postForm(t.app, `/app/cases/${id}/send_link`, { ...link, channel: "whatsapp" }, t.att),
    postForm(t.app, `/app/cases/${id}/contact`, {
      ...contact,
      channel: "phone",
      outcome: "no_answer",
    }, t.att),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [303, 409], "one wins, the other is told");
});
