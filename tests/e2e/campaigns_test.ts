// Browser walk: an admin opens the campaigns from the menu, reads a wave's preview, fixes a bad
// edit from the field's own message, activates the wave; after the daily planner ran, the
// wave's report counts the contacts and an attendant's list shows the cases it opened.
import assert from "node:assert/strict";
import { launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { listWaves } from "../../services/campaigns/waves.ts";
import { runCampaigns } from "../../services/campaigns/job.ts";
import { testEnv } from "../factories.ts";
import { keys } from "../../services/keys.ts";
import type { SendRecord } from "../../services/campaigns/planner.ts";
import { getMessage, openMessage } from "../../services/messaging/messages.ts";

Deno.test({
  name: "browser: an admin previews and activates a wave; the planner's contacts show up",
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
      await page.goto(`${server.base}/login`);
      await page.getByLabel("Usuário").fill("admin");
      await page.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ADMIN_PASSWORD);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.waitForURL(/\/app$/);

      await page.getByRole("link", { name: "Campanhas" }).click();
      await page.getByRole("heading", { name: "Campanhas de renovação" }).waitFor();
      assert.equal(await page.getByTestId("wave-row").count(), 3);
      await page.getByRole("link", { name: "D-30" }).click();
      const preview = await page.getByTestId("wave-preview").textContent();
      assert.match(preview ?? "", /^Vai contatar \d+/);
      assert.match(await page.getByTestId("wave-status").textContent() ?? "", /Pausada/);

      // A bad edit: the field says what is wrong, and is tied to it for screen readers.
      await page.getByLabel("Limite por dia (contatos)").fill("0");
      await page.getByRole("button", { name: "Salvar alterações" }).click();
      const cap = page.getByLabel("Limite por dia (contatos)");
      assert.equal(await cap.getAttribute("aria-invalid"), "true");
      assert.match(await page.locator("#f-dailyCap-err").textContent() ?? "", /O limite diário/);
      await shot(page, "campaigns-01-bad-edit.png");
      await cap.fill("500");
      await page.getByLabel("Enviar a partir das (hora, Brasília)").fill("0");
      await page.getByLabel("Enviar até as (hora, Brasília)").fill("24");
      await page.getByRole("button", { name: "Salvar alterações" }).click();
      await page.getByText("Alterações salvas.").waitFor();

      await page.getByRole("button", { name: "Ativar onda" }).click();
      await page.getByText("Onda ativa").first().waitFor();
      assert.match(await page.getByTestId("wave-status").textContent() ?? "", /Ativa/);

      // The daily planner (as the scheduler runs it) contacts the wave's customers.
      const opened = (await runCampaigns(testEnv(server.db))).opened;
      assert.ok(opened > 0, "the demo data has loyalty ends in the D-30 range");
      const d30 = (await listWaves(server.db)).find((w) => w.offsetDays === 30)!;
      await page.reload();
      const report = await page.getByTestId("wave-report").textContent();
      assert.match(report ?? "", new RegExp(`Contatados${opened}`));
      await shot(page, "campaigns-02-active.png");
      assert.equal(d30.status, "active");

      // A contacted customer opens their link on a phone and stops the reminders from it;
      // the wave's report then counts one link opened.
      const [send] = await Array.fromAsync(
        server.db.kv.list<SendRecord>({ prefix: keys.campaignSendsOfWave(d30.id) }, { limit: 1 }),
      );
      const msg = (await getMessage(server.db, send.value.messageId!))!;
      const token = (await openMessage(server.db, msg)).body.match(/\/r\/([\w-]{43})/)![1];
      const phone = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 390, height: 844 },
      })).newPage();
      await phone.goto(`${server.base}/r/${token}`);
      await phone.getByRole("link", { name: "Lembretes por mensagem" }).click();
      await phone.getByRole("button", { name: "Parar de receber lembretes" }).click();
      await phone.getByText("Pronto: você não vai mais receber lembretes.").waitFor();
      await shot(phone, "campaigns-04-customer-stops-reminders.png");
      await page.reload();
      assert.match(
        await page.getByTestId("wave-report").textContent() ?? "",
        /Abriram o link1/,
      );

      // Phone viewport: still usable.
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, "campaigns-03-phone.png");
      assert.deepEqual(errors, [], "no script errors in the page");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
