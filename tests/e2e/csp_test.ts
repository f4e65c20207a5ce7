// The strict style policy in a real browser: staff and customer pages are served with a
// style-src that has no 'unsafe-inline', Chromium reports no CSP violation, and the page's
// inline stylesheet (allowed by its hash) still styles it.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { clickButton, launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { readOutbox } from "../../services/messaging/messages.ts";

/** Collects CSP violations and the style-src of every document the page loads. */
function watch(page: Page) {
  const violations: string[] = [];
  const policies: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => violations.push(String(e)));
  page.on("response", (r) => {
    // Pages only (a 303 after a form has no stylesheet, so no hash).
    if (r.request().resourceType() === "document" && r.status() < 300) {
      policies.push(r.headers()["content-security-policy"] ?? "(none)");
    }
  });
  return { violations, policies };
}

/** bg-gray-50 on <body>: only there when the inline stylesheet was applied. */
async function styled(page: Page): Promise<boolean> {
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  return bg === "rgb(249, 250, 251)";
}

Deno.test({
  name: "browser: strict style-src, no CSP violation, pages still styled",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const desk = await (await browser.newContext({ locale: "pt-BR" })).newPage();
      const phone = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 390, height: 844 },
        isMobile: true,
      })).newPage();
      const seen = [watch(desk), watch(phone)];

      await desk.goto(`${server.base}/login`);
      assert.ok(await styled(desk), "login styled");
      await desk.getByLabel("Usuário").fill("atendente1");
      await desk.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ATTENDANT1_PASSWORD);
      await clickButton(desk, "Entrar");
      await desk.getByRole("heading", { name: "Renovações a vencer" }).waitFor();
      assert.ok(await styled(desk), "list styled");
      await Promise.all([
        desk.waitForURL(/\/app\/cases\//),
        desk.getByTestId("due-row").first().getByRole("button", { name: "Assumir" }).click(),
      ]);
      await desk.getByLabel("Resultado").selectOption("answered");
      await clickButton(desk, "Registrar contato");
      await clickButton(desk, "Enviar link do cliente");
      assert.ok(await styled(desk), "case page styled");
      await shot(desk, "csp-01-case.png");

      const m = (await readOutbox(server.db, 10)).find((x) => x.template === "first_contact");
      await phone.goto(m!.body.match(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]{43}/)![0]);
      await phone.getByRole("heading", { name: "Escolha seu novo plano" }).waitFor();
      assert.ok(await styled(phone), "customer page styled");
      await phone.reload(); // served again from the page cache, with its hash
      assert.ok(await styled(phone), "cached customer page styled");
      await shot(phone, "csp-02-customer.png");
      await desk.goto(`${server.base}/nao-existe`);
      assert.ok(await styled(desk), "404 styled");

      for (const { violations, policies } of seen) {
        assert.deepEqual(violations, []);
        assert.ok(policies.length >= 2);
        for (const p of policies) {
          assert.match(p, /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
          assert.doesNotMatch(p, /unsafe-inline/);
        }
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
