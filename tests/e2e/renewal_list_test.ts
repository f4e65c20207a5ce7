// The attendant's list in Chromium (issue #16 items 8, 9, 13): a photo arriving moves its case
// from "Aguardando o cliente" to "Minha vez" within seconds, without a reload; a customer who
// refused is listed apart with the reason and the date to call again, with no Assumir; a name
// search opens the record; a supervisor assigns ticked rows in one action.
import assert from "node:assert/strict";
import { launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { caseAt, claimCase } from "../factories.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import { getCustomer } from "../../services/customers.ts";
import { PNG } from "../fixtures/images/mod.ts";
import type { Page } from "playwright-core";

async function signIn(page: Page, base: string, user: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Usuário").fill(user);
  await page.getByLabel("Senha", { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL(/\/app$/),
    page.getByRole("button", { name: "Entrar" }).click(),
  ]);
  await page.getByRole("heading", { name: "Renovações a vencer" }).waitFor();
}

Deno.test({
  name: "browser: the list moves a case live, shows refusals apart, searches by name, bulk-assigns",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const db = server.db;
      const waiting = await caseAt(db, "plan_chosen");
      const refused = await claimCase(db);
      await staff.recordRefusal(refused.ctx, refused.id, "Vai mudar de cidade");
      const desk = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 1280, height: 900 },
      })).newPage();
      await signIn(desk, server.base, "atendente1", STAFF_PASSWORDS.ATTENDANT1_PASSWORD);
      const mine = desk.locator('[data-queue="staff"]');
      const theirs = desk.locator('[data-queue="customer"]');
      await theirs.first().waitFor();
      assert.equal(await theirs.count(), 1);
      assert.equal(await mine.count(), 0);
      // The declined customer: listed apart, reason and date, no Assumir.
      const declined = desk.getByTestId("declined-row");
      assert.equal(await declined.count(), 1);
      assert.match(await declined.innerText(), /Vai mudar de cidade/);
      assert.match(await declined.innerText(), /Contatar de novo a partir de \d{2}\/\d{2}\/\d{4}/);
      assert.equal(await declined.getByRole("button", { name: "Assumir" }).count(), 0);
      await desk.locator('[data-live="stream"]').waitFor();
      await shot(desk, "list-01-before-photo.png");

      // The customer sends the photo: the row moves with no reload.
      await desk.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
      await customer.uploadPhoto(
        waiting.cu,
        waiting.id,
        new File([PNG], "eu.png", { type: "image/png" }),
      );
      // Pushed by the live stream (a change to a watched key), not by the 20 s poll fallback:
      // the wait stays under the poll interval, with room for a loaded CI machine.
      await mine.first().waitFor({ timeout: 15_000 });
      assert.match(await mine.first().innerText(), /Foto enviada/);
      assert.match(await mine.first().innerText(), /Revisar a foto do titular/);
      assert.equal(await theirs.count(), 0);
      assert.equal(
        await desk.evaluate(() => (globalThis as unknown as { marker?: number }).marker),
        1,
        "same page: not reloaded",
      );
      await shot(desk, "list-02-after-photo.png");

      // Search by name opens the record.
      const person = (await getCustomer(db, waiting.customerId))!;
      await desk.getByLabel("Buscar cliente por nome, telefone, CPF/CNPJ ou protocolo").fill(
        person.name.toLowerCase(),
      );
      await Promise.all([
        desk.waitForURL(/\/app\/customers/),
        desk.getByRole("button", { name: "Buscar" }).click(),
      ]);
      // The demo's names are random: a namesake lists both; then the record is one click away.
      if (!desk.url().includes(`/app/customers/${waiting.customerId}`)) {
        await Promise.all([
          desk.waitForURL(new RegExp(`/app/customers/${waiting.customerId}`)),
          desk.locator(`a[href="/app/customers/${waiting.customerId}"]`).first().click(),
        ]);
      }
      await desk.getByRole("heading", { name: person.name }).waitFor();

      // A supervisor ticks two due rows and assigns them at once.
      const sup = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 1280, height: 900 },
      })).newPage();
      await signIn(sup, server.base, "supervisora", STAFF_PASSWORDS.SUPERVISOR_PASSWORD);
      const rows = sup.getByTestId("due-row");
      await rows.nth(0).getByRole("checkbox").check();
      await rows.nth(1).getByRole("checkbox").check();
      await sup.getByLabel("Atribuir a").selectOption({ label: "Bruno Lima" }).catch(async () => {
        await sup.getByLabel("Atribuir a").selectOption({ index: 1 });
      });
      await shot(sup, "list-03-supervisor-ticked.png");
      await Promise.all([
        sup.waitForURL(/\/app\?msg=/),
        sup.getByRole("button", { name: "Atribuir marcados" }).click(),
      ]);
      await sup.getByText(/2 atribuído\(s\) a/).waitFor();
      await shot(sup, "list-04-supervisor-done.png");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
