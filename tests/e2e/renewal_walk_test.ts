// The whole renewal in a real browser, two contexts: an attendant at a desk and the customer on
// a phone (390×844). Screenshots of every step go to artifacts/renewal-NN-*.png.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bwipjs from "bwip-js";
import { clickButton, launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { getContract } from "../../services/contracts.ts";
import { getTicket } from "../../services/tickets.ts";
import { addMonths, todayInBrazil } from "../../services/dates.ts";

async function linkFromOutbox(
  db: Parameters<typeof readOutbox>[0],
  template: string,
): Promise<string> {
  const m = (await readOutbox(db, 50)).find((x) => x.template === template);
  assert.ok(m, `a ${template} message was recorded`);
  return m.body.match(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]{43}/)![0];
}

Deno.test({
  name: "browser: one renewal from the list to the closed ticket, attendant and customer",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      const desk = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 1280, height: 900 },
      })).newPage();
      const phoneCtx = await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        userAgent:
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36",
      });
      const phone = await phoneCtx.newPage();
      for (const p of [desk, phone]) p.on("pageerror", (e) => errors.push(String(e)));

      // 1. The attendant signs in and sees the list.
      await desk.goto(`${server.base}/login`);
      await desk.getByLabel("Usuário").fill("atendente1");
      await desk.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ATTENDANT1_PASSWORD);
      await clickButton(desk, "Entrar");
      await desk.getByRole("heading", { name: "Renovações a vencer" }).waitFor();
      await shot(desk, "renewal-01-list.png");

      // 2. Claims the first due contract and records the call.
      const firstRow = desk.getByTestId("due-row").first();
      const customerName = (await firstRow.locator("a").first().textContent())!.trim();
      await Promise.all([
        desk.waitForURL(/\/app\/cases\//),
        firstRow.getByRole("button", { name: "Assumir" }).click(),
      ]);
      const caseId = desk.url().split("/").pop()!;
      assert.equal(await desk.getByTestId("customer-name").textContent(), customerName);
      await desk.getByLabel("Resultado").selectOption("answered");
      await desk.getByLabel("Anotação").fill("Cliente atendeu e quer ver os planos.");
      await clickButton(desk, "Registrar contato");
      await clickButton(desk, "Enviar link do cliente");
      await shot(desk, "renewal-02-case-link-sent.png");
      assert.match(await desk.getByTestId("messages").textContent() ?? "", /renove seu plano/);

      // 3. The customer opens the link on the phone, compares and chooses a plan.
      const link = await linkFromOutbox(server.db, "first_contact");
      await phone.goto(link);
      await phone.getByRole("heading", { name: "Escolha seu novo plano" }).waitFor();
      assert.ok((await phone.getByTestId("plan-card").count()) >= 6);
      await shot(phone, "renewal-03-customer-plans.png");
      await phone.getByRole("article", { name: "Fibra 1 Giga" }).getByRole("link", {
        name: "Escolher este plano",
      }).click();
      await phone.getByRole("heading", { name: "Confirme sua escolha" }).waitFor();
      const consent = phone.getByRole("checkbox");
      assert.equal(await consent.isChecked(), false, "nothing pre-ticked");
      await clickButton(phone, "Confirmar escolha");
      assert.match(
        await phone.getByRole("alert").first().textContent() ?? "",
        /marque que você leu e aceita/,
      );
      await phone.getByRole("checkbox").check();
      await shot(phone, "renewal-04-customer-consent.png");
      await clickButton(phone, "Confirmar escolha");

      // 4. Sends a photo holding the ID (an image made by the test).
      await phone.getByRole("heading", { name: "Foto segurando seu documento" }).waitFor();
      const png = await bwipjs.toBuffer({
        bcid: "qrcode",
        text: "foto de teste com documento",
        scale: 8,
        backgroundcolor: "FFFFFF",
      });
      await phone.getByLabel("Escolher da galeria").setInputFiles({
        name: "selfie.png",
        mimeType: "image/png",
        buffer: Buffer.from(png),
      });
      await phone.getByTestId("photo-preview").waitFor();
      await shot(phone, "renewal-05-customer-photo.png");
      await clickButton(phone, "Enviar foto");
      await phone.getByRole("heading", { name: "Estamos verificando sua foto" }).waitFor();
      await shot(phone, "renewal-06-customer-waiting.png");

      // 5. The attendant's page updated by itself; the photo is reviewed and approved.
      await desk.getByTestId("holder-photo").waitFor({ timeout: 10_000 });
      await shot(desk, "renewal-07-attendant-photo-review.png");
      await clickButton(desk, "Aprovar: é o titular");

      // 6. The customer's page moved on by itself to the contacts; confirms them unchanged.
      await phone.getByRole("heading", { name: "Confirme seus contatos" }).waitFor({
        timeout: 10_000,
      });
      await shot(phone, "renewal-08-customer-contacts.png");
      await clickButton(phone, "Confirmar dados");

      // 7. Renova changes the plan on the record and sends the signing link itself (nothing
      // waits between them); the attendant's page shows it by itself.
      await desk.getByTestId("case-step").getByText("Link de assinatura enviado").waitFor({
        timeout: 30_000,
      });
      assert.equal(await desk.getByTestId("contract-plan").textContent(), "Fibra 1 Giga");

      // 8. The customer reads the whole contract and signs.
      await phone.getByRole("heading", { name: "Leia seu novo contrato" }).waitFor({
        timeout: 10_000,
      });
      assert.match(
        await phone.getByTestId("contract").textContent() ?? "",
        /Fidelidade e benefício/,
      );
      await shot(phone, "renewal-09-customer-contract.png");
      await clickButton(phone, "Enviar código");
      const codeMsg = (await readOutbox(server.db, 50)).find((m) => m.template === "sign_code")!;
      const code = codeMsg.body.match(/\d{6}/)![0];
      await phone.getByLabel("Código recebido").fill(code);
      await phone.getByLabel("Digite seu nome completo").fill(customerName);
      // Draw a signature with the finger (touch-friendly canvas).
      await phone.getByTestId("signature-pad").scrollIntoViewIfNeeded();
      const pad = await phone.getByTestId("signature-pad").boundingBox();
      await phone.mouse.move(pad!.x + 20, pad!.y + 60);
      await phone.mouse.down();
      for (let i = 1; i <= 10; i++) {
        await phone.mouse.move(pad!.x + 20 + i * 25, pad!.y + 60 + (i % 2 ? -25 : 25));
      }
      await phone.mouse.up();
      await phone.getByRole("checkbox").check();
      await shot(phone, "renewal-09b-customer-signing.png");
      await clickButton(phone, "Assinar contrato");

      // 9. Renova confirms the signature on the record (contract + ticket) and sends the final
      // message itself; the attendant checks and closes.
      await phone.getByRole("heading", { name: /Tudo pronto/ }).waitFor({ timeout: 30_000 });
      await desk.getByTestId("case-step").getByText("Cliente avisado").waitFor({
        timeout: 30_000,
      });
      assert.match(await desk.getByTestId("ticket").textContent() ?? "", /Protocolo \d{14}/);
      assert.match(await phone.getByTestId("protocol").textContent() ?? "", /\d{14}/);
      assert.equal(await phone.getByTestId("invoices").locator("li").count(), 12);
      await shot(phone, "renewal-10-customer-all-set.png");
      const carne = await phone.request.get(`${link}/faturas.pdf`);
      assert.equal(carne.status(), 200);
      assert.equal(carne.headers()["content-type"], "application/pdf");
      const signedPdf = await phone.request.get(`${link}/contrato.pdf`);
      assert.equal(signedPdf.status(), 200);
      await clickButton(desk, "Encerrar atendimento");
      await desk.getByTestId("case-step").getByText("Encerrado").waitFor();
      await shot(desk, "renewal-11-attendant-closed.png");

      // End state, read back from the store.
      const done = (await getCase(server.db, caseId))!;
      assert.equal(done.step, "closed");
      const ticket = (await getTicket(server.db, done.ticket!.id)).value!;
      assert.equal(ticket.status, "closed");
      assert.match(ticket.protocol, /^\d{14}$/);
      const signedOn = todayInBrazil(new Date(done.signature!.at));
      const contract = (await getContract(server.db, done.contractId))!;
      assert.equal(contract.loyaltyStart, signedOn);
      assert.equal(contract.loyaltyEnd, addMonths(signedOn, 12));
      assert.equal(contract.nextRenewalDue, addMonths(signedOn, 12));
      const allSet = (await readOutbox(server.db, 50)).filter((m) => m.template === "all_set");
      assert.equal(allSet.length, 2, "WhatsApp and e-mail");
      assert.match(allSet[0].body, /desligue o roteador da tomada/);
      assert.match(allSet[0].body, /12\. vencimento/);
      assert.ok(done.signature!.drawn, "the drawn signature went into the PDF");
      assert.match(done.signature!.finalSha256!, /^[0-9a-f]{64}$/);

      // The link stays, read-only, with the invoices, PIX and contract (issue #16).
      await phone.goto(link);
      await phone.getByTestId("closed-note").waitFor();
      assert.match(await phone.locator("main").textContent() ?? "", /Tudo pronto/);
      assert.deepEqual(errors, [], "no script errors");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
