// The customer's plan, photo and signing steps on cheap phones (#16 items 4, 5, 6), in Chromium
// at 360×640 and 390×844. Screenshots go to artifacts/phone-*.png (the first screen as seen,
// not the full page: what matters is what shows without scrolling).
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchBrowser, startServer } from "./browser.ts";
import { caseAt } from "../factories.ts";
import { getCustomer } from "../../services/customers.ts";

export const PHONES = [
  { width: 360, height: 640 },
  { width: 390, height: 844 },
];

export async function phonePage(browser: Browser, viewport: { width: number; height: number }) {
  const ctx = await browser.newContext({
    locale: "pt-BR",
    viewport,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (Linux; Android 12; moto e20) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36",
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, errors };
}

export async function screen(page: Page, name: string) {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(name, ARTIFACTS).pathname });
}

/** Is the element wholly inside the current viewport? */
export async function inView(page: Page, selector: string) {
  return await page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
  });
}

async function load(page: Page, url: string) {
  await Promise.all([page.waitForLoadState("load"), page.goto(url)]);
  // The islands hydrate after load.
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(150);
}

for (const vp of PHONES) {
  Deno.test({
    name:
      `browser ${vp.width}×${vp.height}: signing shows the summary and a sticky Assinar, the code request lands at the code field, a reload keeps name and tick`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const h = await caseAt(server.db, "signature_sent");
        const name = (await getCustomer(server.db, h.customerId))!.name;
        const url = `${server.base}/r/${h.token}`;
        const { page, errors } = await phonePage(browser, vp);
        await load(page, url);
        await page.getByTestId("sign-summary").waitFor();
        assert.ok(await inView(page, '[data-testid="sign-summary"]'), "summary on screen 1");
        assert.ok(await inView(page, '[data-testid="sign-submit"]'), "Assinar on screen 1");
        await screen(page, `phone-${vp.width}-sign-1-top.png`);

        await page.getByLabel("Digite seu nome completo").fill(name);
        await page.getByRole("checkbox").check();
        await Promise.all([
          page.waitForURL(/#codigo$/),
          page.getByRole("button", { name: "Enviar código" }).click(),
        ]);
        await page.waitForLoadState("load");
        await page.getByText("Código enviado para").waitFor();
        await page.waitForFunction(() => document.activeElement?.id === "code");
        assert.ok(await inView(page, "#code"), "back at the code field");
        assert.ok(await inView(page, '[data-testid="sign-submit"]'), "Assinar still in view");
        assert.equal(await page.getByLabel("Digite seu nome completo").inputValue(), name);
        assert.equal(await page.getByRole("checkbox").isChecked(), true);
        await screen(page, `phone-${vp.width}-sign-2-code-sent.png`);

        await page.getByLabel("Código recebido").fill("123456");
        await page.reload();
        await page.waitForLoadState("load");
        await page.waitForTimeout(150);
        assert.equal(await page.getByLabel("Digite seu nome completo").inputValue(), name);
        assert.equal(await page.getByRole("checkbox").isChecked(), true);
        const kept = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
        assert.ok(!kept.includes("123456"), "the code is never stored");

        // A wrong code: one message, name and tick kept, the page at the signing form.
        await page.getByLabel("Código recebido").fill("000000");
        await Promise.all([
          page.waitForURL(/\/sign#assinar$/),
          page.getByTestId("sign-submit").click(),
        ]);
        await page.waitForLoadState("load");
        assert.equal(await page.getByRole("alert").count(), 1);
        assert.equal(await page.getByLabel("Digite seu nome completo").inputValue(), name);
        assert.equal(await page.getByRole("checkbox").isChecked(), true);
        await screen(page, `phone-${vp.width}-sign-3-wrong-code.png`);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  });
}

for (const vp of PHONES) {
  Deno.test({
    name: `browser ${vp.width}×${vp.height}: the first plan and its button show without scrolling`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const h = await caseAt(server.db, "offer");
        const { page, errors } = await phonePage(browser, vp);
        await load(page, `${server.base}/r/${h.token}`);
        await page.getByRole("heading", { name: "Escolha seu novo plano" }).waitFor();
        const first = '[data-testid="plan-card"]';
        assert.ok(await inView(page, `${first} h3`), "first plan's name on screen 1");
        assert.ok(await inView(page, `${first} a`), "first plan's button on screen 1");
        await screen(page, `phone-${vp.width}-plans-1-top.png`);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  });
}
