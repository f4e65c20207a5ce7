// Browser: a WhatsApp message whose sender died mid-send shows on the case page as "possibly
// sent", with a one-click "Reenviar" that queues one new attempt and records it.
import assert from "node:assert/strict";
import { launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { caseWithLink } from "../messaging/fixtures.ts";
import { keys } from "../../services/keys.ts";
import { getMessage, type Message, stageMessage } from "../../services/messaging/messages.ts";
import { scanDueMessages, stageRewrite } from "../../services/messaging/delivery.ts";

Deno.test({
  name: "browser: staff resend a possibly-sent WhatsApp message from the case page",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer({ MESSAGE_QUEUE: "false" });
    const browser = await launchBrowser();
    try {
      const db = server.db;
      const { customer, case: c } = await caseWithLink(db);
      const op = db.kv.atomic();
      const msg = await stageMessage(db, op, {
        caseId: c.id,
        channel: "whatsapp",
        template: "first_contact",
        to: customer.phones[0],
        subject: "Renove seu plano",
        body: `Olá! Veja seu link: http://localhost:8000/r/${"A".repeat(43)}`,
      });
      assert.ok((await op.commit()).ok);
      // As a worker killed mid-send leaves it: "sending", lease over.
      const e = await db.kv.get<Message>(keys.message(msg.id));
      const stuck: Message = {
        ...e.value!,
        status: "sending",
        attempts: 1,
        nextAttemptAt: new Date(Date.now() - 1000).toISOString(),
      };
      assert.ok(
        (await stageRewrite(db.kv.atomic(), e as Deno.KvEntry<Message>, stuck).commit()).ok,
      );
      await scanDueMessages(db, new Date(Date.now() + 3600_000));
      assert.equal((await getMessage(db, msg.id))!.status, "unknown");

      const page = await (await browser.newContext({ locale: "pt-BR" })).newPage();
      await page.goto(`${server.base}/login`);
      await page.getByLabel("Usuário").fill("supervisora");
      await page.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.SUPERVISOR_PASSWORD);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.waitForURL(/\/app$/);
      await page.goto(`${server.base}/app/cases/${c.id}`);
      const panel = page.getByTestId("messages");
      await panel.getByText("Possivelmente enviada").waitFor();
      await panel.getByText("pode ter chegado").waitFor();
      await shot(page, "possibly-sent-01-case.png");

      await panel.getByRole("button", { name: "Reenviar" }).click();
      await page.waitForURL(new RegExp(`/app/cases/${c.id}$`));
      await page.getByTestId("timeline").getByText("Mensagem reenviada").waitFor();
      assert.equal(await page.getByTestId("resend-message").count(), 0, "no second button");
      const m = (await getMessage(db, msg.id))!;
      assert.equal(m.retries, 1);
      assert.notEqual(m.status, "unknown");
      await shot(page, "possibly-sent-02-resent.png");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
