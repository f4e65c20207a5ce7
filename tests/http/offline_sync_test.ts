// The offline endpoints in-process: /app/sync (CSRF header + Origin, idempotency, conflicts,
// refusals), the JSON the device keeps, the manifest and service worker, logout clearing the
// device, and the twind safelist covering the classes the offline islands draw.
import assert from "node:assert/strict";
import { type Browser, ORIGIN, postForm, signInAs, testApp } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { contactLog } from "../../services/renewals/staff_actions.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { twindSafelist } from "../../app.config.ts";
import { ui } from "../../islands/OfflineOutbox.tsx";
import { bannerCls } from "../../islands/SyncAgent.tsx";

const PW = "senha-forte-123";

async function setup() {
  const t = await testApp();
  await seedIfEmpty(t.db, {
    ATTENDANT1_PASSWORD: PW,
    ATTENDANT2_PASSWORD: PW,
    SUPERVISOR_PASSWORD: PW,
  });
  const today = todayInBrazil(t.db.now());
  const due = (await listDue(t.db, today, addDays(today, 60))).items;
  const att1 = await signInAs(t.app, "atendente1", PW);
  const claim = await postForm(t.app, "/app/claim", { contractId: due[0].contractId }, att1);
  const caseId = claim.headers.get("location")!.split("/").pop()!;
  const sync = (
    b: Browser | null,
    body: unknown,
    opts: { csrf?: string; origin?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      origin: opts.origin ?? ORIGIN,
    };
    if (b) headers.cookie = b.cookie;
    if (b || opts.csrf) headers["x-csrf-token"] = opts.csrf ?? b!.csrf;
    return t.app.request("/app/sync", { method: "POST", headers, body: JSON.stringify(body) });
  };
  return { ...t, att1, caseId, due, sync };
}

const contact = (id: string, caseId: string, baseRev: number, note = "Anotação offline.") => ({
  mutations: [{
    id,
    kind: "contact",
    caseId,
    baseRev,
    fields: { channel: "phone", outcome: "answered", note },
  }],
});

Deno.test("sync: needs the session, its CSRF token in the header and our Origin", async () => {
  await using t = await setup();
  const body = contact("mutation-h001", t.caseId, 1);
  assert.equal((await t.sync(null, body)).status, 401);
  assert.equal((await t.sync(t.att1, body, { csrf: "wrong" })).status, 403);
  const noHeader = await t.app.request("/app/sync", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, cookie: t.att1.cookie },
    body: JSON.stringify(body),
  });
  assert.equal(noHeader.status, 403);
  assert.equal((await t.sync(t.att1, body, { origin: "https://evil.example" })).status, 403);
  assert.equal((await contactLog(t.db, t.caseId)).length, 0, "nothing applied");
  const bad = await t.sync(t.att1, { mutations: "no" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /de 1 a 50/);
});

Deno.test("sync: the same mutation twice → the same answer, applied once", async () => {
  await using t = await setup();
  const body = contact("mutation-h010", t.caseId, 1);
  const first = await t.sync(t.att1, body);
  assert.equal(first.status, 200);
  const a = await first.json();
  assert.deepEqual(a.results, [{
    id: "mutation-h010",
    status: "applied",
    caseId: t.caseId,
    rev: 2,
  }]);
  assert.deepEqual(await (await t.sync(t.att1, body)).json(), a);
  assert.equal((await contactLog(t.db, t.caseId)).length, 1);
});

Deno.test("sync: a stale version is a conflict carrying the current case", async () => {
  await using t = await setup();
  const rev = (await getCase(t.db, t.caseId))!.rev;
  // Someone else acts first, through the normal form.
  await postForm(t.app, `/app/cases/${t.caseId}/contact`, {
    rev: String(rev),
    channel: "whatsapp",
    outcome: "no_answer",
    note: "Tentativa pelo WhatsApp.",
  }, t.att1);
  const res = await (await t.sync(t.att1, contact("mutation-h020", t.caseId, rev))).json();
  const [r] = res.results;
  assert.equal(r.status, "conflict");
  assert.equal(r.theirs.rev, rev + 1);
  assert.equal(r.theirs.contacts[0].note, "Tentativa pelo WhatsApp.");
  assert.equal((await contactLog(t.db, t.caseId)).length, 1);
});

Deno.test("sync: another attendant's case, or releasing it, is refused", async () => {
  await using t = await setup();
  const att2 = await signInAs(t.app, "atendente2", PW);
  const [c] = (await (await t.sync(att2, contact("mutation-h030", t.caseId, 1))).json()).results;
  assert.equal(c.status, "rejected");
  assert.match(c.message, /Este caso está com/);
  const release = {
    mutations: [{ id: "mutation-h031", kind: "release", caseId: t.caseId, baseRev: 1 }],
  };
  const [r] = (await (await t.sync(att2, release)).json()).results;
  assert.equal(r.status, "rejected");
  assert.match(r.message, /Só quem está com o caso/);
  assert.equal((await getCase(t.db, t.caseId))!.assigneeId !== undefined, true);
  // A supervisor may release anyone's case.
  const sup = await signInAs(t.app, "supervisora", PW);
  const rel2 = {
    mutations: [{ id: "mutation-h032", kind: "release", caseId: t.caseId, baseRev: 1 }],
  };
  const [s] = (await (await t.sync(sup, rel2)).json()).results;
  assert.equal(s.status, "applied");
});

Deno.test("offline JSON: the queue and one case, nothing secret in them", async () => {
  await using t = await setup();
  const headers = { cookie: t.att1.cookie, accept: "application/json" };
  const q = await (await t.app.request("/app/api/queue", { headers })).json();
  assert.equal(q.cases.length, 1);
  assert.equal(q.cases[0].id, t.caseId);
  assert.ok(q.cases[0].customerName && q.cases[0].phone && q.cases[0].nextAction);
  const res = await t.app.request(`/app/api/case?id=${t.caseId}`, { headers });
  assert.match(res.headers.get("cache-control")!, /no-store/);
  const text = await res.text();
  assert.equal(JSON.parse(text).id, t.caseId);
  assert.doesNotMatch(text, /"(link|photo|cpf|pii|signCode)"|\/r\//i);
  const s = await (await t.app.request("/app/api/session", { headers })).json();
  assert.equal(s.csrf, t.att1.csrf);
  const anon = await t.app.request("/app/api/queue", { headers: { accept: "application/json" } });
  assert.equal(anon.status, 401);
  assert.equal((await t.app.request("/app/api/case?id=..%2F", { headers })).status, 400);
});

Deno.test("installable: manifest, service worker, icons; staff pages link them", async () => {
  await using t = await setup();
  const m = await t.app.request("/manifest.webmanifest");
  assert.match(m.headers.get("content-type")!, /application\/manifest\+json/);
  const manifest = await m.json();
  for (const k of ["name", "short_name", "theme_color", "background_color"]) {
    assert.ok(manifest[k]);
  }
  assert.equal(manifest.lang, "pt-BR");
  assert.equal(manifest.start_url, "/app");
  assert.equal(manifest.scope, "/");
  assert.equal(manifest.display, "standalone");
  for (const icon of manifest.icons) {
    const png = new Uint8Array(await (await t.app.request(icon.src)).arrayBuffer());
    const v = new DataView(png.buffer);
    const [w, h] = icon.sizes.split("x").map(Number);
    assert.deepEqual([v.getUint32(16), v.getUint32(20)], [w, h], icon.src);
  }
  assert.ok(manifest.icons.some((i: { purpose: string }) => i.purpose === "maskable"));
  const sw = await t.app.request("/sw.js");
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get("content-type")!, /^text\/javascript/);
  assert.equal(sw.headers.get("cache-control"), "no-cache");
  const source = await sw.text();
  assert.doesNotMatch(source, /__VERSION__/);
  assert.match(source, /addEventListener\("fetch"/);
  const html = await (await t.app.request("/app", { headers: { cookie: t.att1.cookie } })).text();
  assert.match(html, /<link rel="manifest" href="\/manifest.webmanifest"/);
  assert.match(html, /data-island="SyncAgent"/);
  const shell = await (await t.app.request("/app/offline", { headers: { cookie: t.att1.cookie } }))
    .text();
  assert.match(shell, /data-island="OfflineQueue"/);
  assert.doesNotMatch(await (await t.app.request("/login")).text(), /rel="manifest"/);
});

Deno.test("logout tells the browser to clear the device's caches and storage", async () => {
  await using t = await setup();
  const res = await postForm(t.app, "/logout", {}, t.att1);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("clear-site-data"), '"cache", "storage"');
});

Deno.test("the twind safelist covers every class the offline islands draw in the browser", async () => {
  const used = new Set<string>();
  for (const v of [...Object.values(ui), ...Object.values(bannerCls)]) {
    for (const c of v.split(/\s+/)) used.add(c);
  }
  for (const f of ["OfflineQueue", "OfflineOutbox", "SyncAgent"]) {
    const src = await Deno.readTextFile(new URL(`../../islands/${f}.tsx`, import.meta.url));
    const found = /class="([^"]+)"|class=\{`([^`]+)`\}|(?:field|badge) = "([^"]+)"/g;
    for (const m of src.matchAll(found)) {
      const text = (m[1] ?? m[2] ?? m[3]).replace(/\$\{[^}]*\}/g, " ");
      for (const c of text.split(/\s+/)) used.add(c);
    }
  }
  const safe = new Set(twindSafelist);
  assert.deepEqual([...used].filter((c) => c && !safe.has(c)), []);
});
