// axe-core on every page the demo reaches (#16: "axe-core 0 violations — keep it so"): sign-in,
// the attendant's list and customer pages, the case page at several steps, every admin page,
// the customer's page at every stage (phone), the invalid-link page and the 404s. Each page is
// loaded in Chromium, given time to hydrate its islands, and checked with axe's default rules.
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { caseAt, claimCase, type OpenStep, walkTo } from "../factories.ts";

const AXE_SOURCE = (axe as unknown as { source: string }).source;

interface Found {
  page: string;
  rule: string;
  impact: string;
  targets: string[];
}

async function signedIn(browser: Browser, base: string, username: string, password: string) {
  const page = await (await browser.newContext({
    locale: "pt-BR",
    viewport: { width: 1280, height: 900 },
  })).newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Usuário").fill(username);
  await page.getByLabel("Senha", { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL(/\/app/),
    page.getByRole("button", { name: "Entrar" }).click(),
  ]);
  return page;
}

/** Opens `url` and returns axe's violations there (axe evaluated through the debugger: CSP). */
async function check(page: Page, url: string, label: string, canary = false): Promise<Found[]> {
  await page.goto(url);
  await page.waitForLoadState("load");
  await page.waitForTimeout(300); // islands hydrate
  if (canary) {
    // A known fault (an input with no label), so a broken axe set-up cannot pass silently.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", "<input id=canary>"));
  }
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const r = await (globalThis as any).axe.run(document);
    // deno-lint-ignore no-explicit-any
    return r.violations.map((v: any) => ({
      rule: v.id,
      impact: v.impact ?? "",
      // deno-lint-ignore no-explicit-any
      targets: v.nodes.map((n: any) => n.target.join(" ")),
    }));
  });
  return violations.map((v: Omit<Found, "page">) => ({ page: label, ...v }));
}

Deno.test({
  name: "browser: axe-core finds no violation on any page the demo reaches",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    const found: Found[] = [];
    const checked: string[] = [];
    const run = async (page: Page, path: string, label: string) => {
      checked.push(label);
      found.push(...await check(page, `${server.base}${path}`, label));
    };
    try {
      // The customer's page at every stage, each on its own case (phone, 360×640).
      const phone = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 360, height: 640 },
        isMobile: true,
        hasTouch: true,
      })).newPage();
      const stages: OpenStep[] = [
        "offer",
        "plan_chosen",
        "photo_rejected",
        "photo_sent",
        "holder_verified",
        "data_confirmed",
        "signature_sent",
        "signed",
        "notified",
      ];
      const cases: Record<string, Awaited<ReturnType<typeof caseAt>>> = {};
      for (const step of stages) {
        cases[step] = await caseAt(server.db, step);
        await run(phone, `/r/${cases[step].token}`, `customer ${step}`);
      }
      const plan = await claimCase(server.db);
      await walkTo(plan, "offer");
      const planPage = await (await phone.request.get(`${server.base}/r/${plan.token}`)).text();
      const choose = planPage.match(/href="(\/r\/[^"]+\?plan=[^"]+)"/)?.[1];
      assert.ok(choose, "the plan list links a plan's confirmation");
      await run(phone, choose.replaceAll("&amp;", "&"), "customer plan confirmation");
      const closed = await caseAt(server.db, "notified");
      await walkTo(closed, "closed");
      await run(phone, `/r/${closed.token}`, "customer after closing");
      await run(phone, `/r/${closed.token}/mensagens`, "customer message preferences");
      await run(phone, `/r/${"x".repeat(43)}`, "customer invalid link");

      // Anonymous pages.
      const anon = await (await browser.newContext({ locale: "pt-BR" })).newPage();
      const canary = await check(anon, `${server.base}/login`, "canary", true);
      assert.ok(
        canary.some((f) => f.rule === "label" && f.targets.includes("#canary")),
        "axe runs",
      );
      await run(anon, "/login", "login");
      await run(anon, "/verificar", "verify contract form");
      await run(anon, "/verificar/01ARZ3NDEKTSV4RRFFQ69G5FAV", "verify contract unknown");
      await run(anon, "/nao-existe", "404");

      // The attendant (atendente1 claimed every case above).
      const desk = await signedIn(
        browser,
        server.base,
        "atendente1",
        STAFF_PASSWORDS.ATTENDANT1_PASSWORD,
      );
      await run(desk, "/app", "staff list");
      for (const step of ["offer", "photo_sent", "data_confirmed", "signed", "notified"]) {
        await run(desk, `/app/cases/${cases[step].id}`, `case ${step}`);
      }
      const fresh = await claimCase(server.db);
      await run(desk, `/app/cases/${fresh.id}`, "case contact");
      await run(desk, `/app/cases/${closed.id}`, "case closed");
      await run(desk, `/app/customers/${fresh.customerId}`, "customer record");
      await run(desk, "/app/customers", "customer search");
      await run(desk, "/app/offline", "offline shell");
      await run(desk, "/app/nao-existe", "staff 404");

      // The admin pages.
      const admin = await signedIn(browser, server.base, "admin", STAFF_PASSWORDS.ADMIN_PASSWORD);
      for (
        const path of [
          "/admin/users",
          "/admin/plans",
          "/admin/outbox",
          "/admin/messages",
          "/admin/dead-letters",
          "/admin/billing",
          "/admin/contract",
          "/admin/import",
        ]
      ) {
        await run(admin, path, path);
      }
      const planId = choose.match(/plan=([0-9A-Z]+)/)![1];
      await run(admin, `/admin/plans/${planId}`, "/admin/plans/:id");
    } finally {
      await browser.close();
      await server.stop();
    }
    console.log(`axe: ${checked.length} pages checked`);
    assert.deepEqual(
      found.map((f) => `${f.page}: ${f.rule} (${f.impact}) ${f.targets.slice(0, 3).join(", ")}`),
      [],
    );
  },
});
