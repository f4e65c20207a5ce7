// The README's "Walk one renewal" stays true (#16 item 14): every label it quotes in bold is a
// control or title (button, link, option, field label, heading) on the page where the walk uses
// it. The case moves through the real verbs; at each README step
// the test renders the pages that step looks at (attendant, admin or customer) in-process.
import assert from "node:assert/strict";
import { signInAs, testApp } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { claimCase, lastLinkToken, walkTo } from "../factories.ts";
import * as staff from "../../services/renewals/staff_actions.ts";

const README = new URL("../../README.md", import.meta.url);
const PASSWORDS = {
  ADMIN_PASSWORD: "senha-forte-123",
  SUPERVISOR_PASSWORD: "senha-forte-123",
  ATTENDANT1_PASSWORD: "senha-forte-123",
  ATTENDANT2_PASSWORD: "senha-forte-123",
};

/** The walk's numbered steps and the bold labels each quotes. */
export function walkLabels(readme: string): Map<number, string[]> {
  const start = readme.indexOf("### Walk one renewal");
  assert.ok(start >= 0, "README has the walk");
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const steps = new Map<number, string[]>();
  for (const line of section.split("\n")) {
    const m = line.match(/^(\d+)\. (.*)$/);
    if (m) steps.set(Number(m[1]), [...m[2].matchAll(/\*\*(.+?)\*\*/g)].map((x) => x[1]));
  }
  return steps;
}

function decode(text: string): string {
  return text
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ").trim();
}

/**
 * What the walk can point at: the text of the page's controls and titles (buttons, links,
 * options, field labels, headings, summaries). A label that is only in running text (a
 * history line, say) is not something the reader can click, choose or look for.
 */
function pointable(html: string): string[] {
  const out: string[] = [];
  const element = /<(button|a|option|label|legend|summary|h[1-6])\b[^>]*>([\s\S]*?)<\/\1>/g;
  for (const m of html.matchAll(element)) out.push(decode(m[2]));
  return out;
}

Deno.test("README walk: every bold label is a control or title on the page where its step uses it", async () => {
  const steps = walkLabels(await Deno.readTextFile(README));
  assert.ok(steps.size >= 10, "the walk has its ten steps");
  await using t = await testApp();
  await seedIfEmpty(t.db, PASSWORDS);
  const desk = await signInAs(t.app, "atendente1");
  const admin = await signInAs(t.app, "admin");
  const get = async (path: string, cookie?: string) => {
    const res = await t.app.request(path, { headers: cookie ? { cookie } : {} });
    assert.equal(res.status, 200, path);
    return pointable(await res.text());
  };

  // The pages each README step looks at, in walk order (the case moves on in between).
  const pages = new Map<number, string[][]>();
  pages.set(1, []);
  pages.set(2, [await get("/app", desk.cookie)]);
  const h = await claimCase(t.db, { attendant: "atendente1" });
  const casePage = () => get(`/app/cases/${h.id}`, desk.cookie);
  const customerPage = () => get(`/r/${h.token}`);
  const before = await casePage();
  await staff.recordContact(h.ctx, h.id, { channel: "phone", outcome: "answered", note: "ok" });
  pages.set(3, [before, await casePage()]);
  await staff.sendLink(h.ctx, h.id, "whatsapp");
  h.token = await lastLinkToken(t.db);
  pages.set(4, [await get("/admin/outbox", admin.cookie)]);
  const offer = await customerPage();
  await walkTo(h, "plan_chosen");
  pages.set(5, [offer, await customerPage()]);
  await walkTo(h, "photo_sent");
  const review = await casePage();
  await walkTo(h, "holder_verified");
  pages.set(6, [review, await customerPage()]);
  await walkTo(h, "data_confirmed");
  const change = await casePage();
  await walkTo(h, "plan_changed");
  pages.set(7, [change, await casePage()]);
  await walkTo(h, "signature_sent");
  pages.set(8, [await customerPage()]);
  await walkTo(h, "signed");
  const confirm = await casePage();
  await walkTo(h, "registered");
  pages.set(9, [confirm, await casePage()]);
  await walkTo(h, "notified");
  pages.set(10, [await customerPage(), await casePage()]);

  const missing: string[] = [];
  for (const [n, labels] of steps) {
    const seen = pages.get(n);
    assert.ok(seen, `README step ${n} is new: give it its pages in this test`);
    for (const label of labels) {
      if (!seen.some((texts) => texts.some((text) => text.includes(label)))) {
        missing.push(`step ${n}: **${label}**`);
      }
    }
  }
  assert.deepEqual(missing, [], "README labels not on their pages");
});
