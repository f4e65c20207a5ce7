// Browser smoke test: a seeded attendant signs in through the real login form, the password
// island hydrates, the console lists the due contracts, and sign-out works.
import assert from "node:assert/strict";
import { launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";

Deno.test({
  name: "browser: an attendant signs in and sees the renewal list",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ locale: "pt-BR" });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.base}/app`);
      assert.match(page.url(), /\/login\?next=%2Fapp$/);
      await page.getByLabel("Usuário").fill("atendente1");
      await page.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ATTENDANT1_PASSWORD);

      // The island hydrated: its toggle reveals the password.
      await page.getByTestId("toggle-password").click();
      assert.equal(await page.getByLabel("Senha", { exact: true }).getAttribute("type"), "text");
      await page.getByTestId("toggle-password").click();
      await shot(page, "smoke-01-login.png");

      await page.getByRole("button", { name: "Entrar" }).click();
      await page.waitForURL(/\/app$/);
      await page.getByRole("heading", { name: "Renovações a vencer" }).waitFor();
      assert.equal(await page.getByTestId("whoami").textContent(), "Bruna Atendente · Atendente");
      const rows = await page.getByTestId("due-row").count();
      assert.equal(rows, 25, "first page of the due list");
      await shot(page, "smoke-02-renewals.png");

      // Phone viewport: the same page stays usable.
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, "smoke-03-renewals-phone.png");

      await page.getByRole("button", { name: "Sair" }).click();
      await page.waitForURL(/\/login$/);
      assert.deepEqual(errors, [], "no script errors in the page");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "browser: an admin publishes a plan from the keyboard",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ locale: "pt-BR" });
      const page = await context.newPage();
      await page.goto(`${server.base}/login?next=%2Fadmin%2Fplans`);
      await page.getByLabel("Usuário").fill("admin");
      await page.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.waitForURL(/\/admin\/plans$/);
      assert.equal(await page.getByTestId("plan-row").count(), 6, "the demo offers");
      // Every field has a label; fill them in order and submit with Enter.
      const fields: [string, string][] = [
        ["Nome", "Fibra 700 Mega"],
        ["Download (Mbps)", "700"],
        ["Upload (Mbps)", "350"],
        ["Preço por mês (R$)", "139,90"],
        ["Benefício da fidelidade", "Instalação grátis"],
        ["Valor do benefício (R$; define a multa)", "300,00"],
        ["Código da oferta", "FIBRA700-26"],
      ];
      for (const [label, value] of fields) await page.getByLabel(label).fill(value);
      await page.getByLabel("Código da oferta").press("Enter");
      await page.waitForURL(/ok=created/);
      assert.equal(await page.getByTestId("plan-row").count(), 7);
      await page.getByText("Fibra 700 Mega").first().waitFor();
      await shot(page, "admin-01-plans.png");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
