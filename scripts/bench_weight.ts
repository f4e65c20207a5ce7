// Bytes on the wire for one customer step on a phone (Chromium, real server, demo data in
// :memory:): the plan page on a first visit (empty cache), the same page again (second visit),
// the next step (a plan's confirmation page), then a step that loads the islands bundle (the
// photo check's waiting page) twice. Counts what the network really carried (CDP
// encodedDataLength: headers + compressed body; 0 for the browser cache).
//   deno task bench:weight        (run `deno task build` first: the islands bundle)
// Prints one JSON line per visit and a summary line.
import { customerActor, staffActor } from "../domain/actor.ts";
import { chromium } from "playwright-core";
import { start } from "../main.ts";
import { listDue } from "../services/contracts.ts";
import { findUserByUsername } from "../services/users.ts";
import * as staff from "../services/renewals/staff_actions.ts";
import * as customer from "../services/renewals/customer_actions.ts";
import { listPlans } from "../services/plans.ts";
import { readOutbox } from "../services/messaging/mod.ts";
import { addDays, todayInBrazil } from "../services/dates.ts";

const origLog = console.log;
console.log = () => {}; // the seed prints credentials
const app = await start({
  PORT: "0",
  KV_PATH: ":memory:",
  LOG_REQUESTS: "false",
  OUTBOX_LOG: "false",
  PASSWORD_ITERATIONS: "1000",
});
console.log = origLog;
const base = `http://localhost:${app.server.addr.port}`;

// A case with a customer link, through the same verbs the attendant's buttons call.
const db = app.db;
const u = (await findUserByUsername(db, "atendente1"))!;
const env = {
  db,
  baseUrl: base,
  linkTtlDays: 15,
  providerName: app.config.provider.name,
  provider: app.config.provider,
};
const ctx: staff.StaffCtx = {
  ...env,
  actor: staffActor(u, { ip: "127.0.0.1", userAgent: "bench" }),
};
const today = todayInBrazil(db.now());
const due = (await listDue(db, today, addDays(today, 60))).items[0];
const c = await staff.claimContract(ctx, due.contractId, { id: u.id, name: u.name });
await staff.recordContact(ctx, c.id, { channel: "phone", outcome: "answered", note: "bench" });
await staff.sendLink(ctx, c.id, "whatsapp");
const [m] = await readOutbox(db, 1);
const link = m.body.match(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]{43}/)![0];

const browser = await chromium.launch({
  executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
const results: Record<string, { requests: number; bytes: number; kinds: Record<string, number> }> =
  {};
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    locale: "pt-BR",
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let current: { requests: number; bytes: number; kinds: Record<string, number> } | undefined;
  const urls = new Map<string, string>();
  cdp.on("Network.requestWillBeSent", (e) => {
    urls.set(e.requestId, e.request.url);
    if (Deno.env.get("DEBUG")) console.error("req", e.request.url);
  });
  cdp.on("Network.responseReceived", (e) => {
    const enc = e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"];
    if (Deno.env.get("DEBUG")) console.error("res", e.response.url, enc ?? "identity");
  });
  cdp.on("Network.loadingFinished", (e) => {
    if (!current || e.encodedDataLength === 0) return;
    current.requests++;
    current.bytes += e.encodedDataLength;
    const path = new URL(urls.get(e.requestId) ?? base).pathname.replace(/\/r\/[^/]+/, "/r/…");
    current.kinds[path] = (current.kinds[path] ?? 0) + e.encodedDataLength;
  });
  const visit = async (name: string, go: () => Promise<unknown>) => {
    current = { requests: 0, bytes: 0, kinds: {} };
    await go();
    await page.waitForLoadState("networkidle");
    results[name] = current;
    console.log(JSON.stringify({ visit: name, ...current }));
    current = undefined;
  };
  await visit("first", () => page.goto(link));
  await visit("second", () => page.goto(link));
  await visit("next_step", () =>
    Promise.all([
      page.waitForLoadState("load"),
      page.locator('a[href*="?plan="]').first().click(),
    ]));
  // A step with the islands bundle (the "we are checking your photo" page, live updates):
  // the plan and the photo go in through the customer's own verbs.
  const cu = { ...env, actor: customerActor(c.id, { ip: "127.0.0.1", userAgent: "bench" }) };
  await customer.choosePlan(cu, c.id, (await listPlans(db))[2].id, true);
  const png = await Deno.readFile(new URL("../static/icons/icon-192.png", import.meta.url));
  await customer.uploadPhoto(cu, c.id, new File([png], "eu.png", { type: "image/png" }));
  await visit("script_step_first", () => page.goto(link));
  await visit("script_step_second", () => page.goto(link));
} finally {
  await browser.close();
  await app.stopJobs();
  await app.server.shutdown();
  app.db.kv.close();
}
console.log(JSON.stringify({
  summary: "bytes on the wire",
  first: results.first?.bytes,
  second: results.second?.bytes,
  next_step: results.next_step?.bytes,
  script_step_first: results.script_step_first?.bytes,
  script_step_second: results.script_step_second?.bytes,
}));
