// Browser walk of the supervisor's dashboard and the work queues: axe-core finds no violation,
// the period form works without scripts, the charts are SVG with their tables, an attendant
// sees their own queues and gets 403 on the dashboard. Screenshots under artifacts/.
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { caseAt, claimCase, walkTo } from "../factories.ts";
import { recordRefusal } from "../../services/renewals/offer.ts";

const AXE_SOURCE = (axe as unknown as { source: string }).source;

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

async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState("load");
  await page.evaluate(AXE_SOURCE);
  return await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const r = await (globalThis as any).axe.run(document);
    // deno-lint-ignore no-explicit-any
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target).join()}`);
  });
}

Deno.test({
  name: "browser: the dashboard and the queues are axe-clean and work from the UI",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      await caseAt(server.db, "photo_sent");
      await caseAt(server.db, "offer");
      const done = await caseAt(server.db, "notified");
      await walkTo(done, "closed");
      const d = await claimCase(server.db);
      await recordRefusal(d.ctx, d.id, "Muito caro", 1);

      const sup = await signedIn(
        browser,
        server.base,
        "supervisora",
        STAFF_PASSWORDS.SUPERVISOR_PASSWORD,
      );
      await sup.getByRole("link", { name: "Painel" }).click();
      await sup.getByRole("heading", { name: "Painel de renovações" }).waitFor();
      assert.deepEqual(await axeViolations(sup), [], "dashboard");
      assert.equal(await sup.locator("svg[role=img]").count(), 4);
      const funnel = sup.getByTestId("funnel-table");
      assert.match(await funnel.innerText(), /Contatar cliente\s+4/);
      assert.match(await sup.getByTestId("link-to-sign").innerText(), /1 assinaturas · mediana/);
      await shot(sup, "painel-01-dashboard.png");

      // The period form (a plain GET form).
      await sup.getByLabel("De", { exact: true }).fill("2020-01-01");
      await sup.getByLabel("Até", { exact: true }).fill("2020-01-31");
      await sup.getByRole("button", { name: "Aplicar período" }).click();
      await sup.waitForURL(/de=2020-01-01&ate=2020-01-31/);
      assert.match(await sup.getByTestId("funnel-table").innerText(), /Contatar cliente\s+0/);
      await sup.setViewportSize({ width: 390, height: 844 });
      await shot(sup, "painel-02-empty-period-phone.png");
      await sup.setViewportSize({ width: 1280, height: 900 });

      await sup.goto(`${server.base}/app/filas`);
      await sup.getByRole("heading", { name: "Filas de trabalho" }).waitFor();
      assert.deepEqual(await axeViolations(sup), [], "team queues");
      await shot(sup, "painel-03-team-queues.png");

      const desk = await signedIn(
        browser,
        server.base,
        "atendente1",
        STAFF_PASSWORDS.ATTENDANT1_PASSWORD,
      );
      await desk.goto(`${server.base}/app/filas`);
      await desk.getByRole("heading", { name: "Minhas filas" }).waitFor();
      assert.deepEqual(await axeViolations(desk), [], "my queues");
      assert.equal(await desk.getByTestId("queue-count-review").innerText(), "1");
      assert.equal(await desk.getByTestId("queue-count-waiting").innerText(), "1");
      await shot(desk, "painel-04-my-queues.png");
      const res = await desk.goto(`${server.base}/app/painel`);
      assert.equal(res?.status(), 403);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
