// Issue #16 items 10–12 in a real browser: a renewal the customer completes alone, counted in
// attendant clicks from the due list to the closed case (at most 4), with the keyboard path to
// the first Assumir, the "waiting on the customer" line, the photo review (zoom and rotate by
// keyboard, the record's name and CPF beside it, one history line per visit) and the shortcuts.
// Screenshots: artifacts/clicks-*.png (desktop for the attendant, 390×844 for the customer).
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bwipjs from "bwip-js";
import { clickButton, launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getCase } from "../../services/renewals/cases.ts";

Deno.test({
  name: "browser: a self-service renewal takes the attendant at most 4 clicks, list to closed",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    let clicks = 0;
    try {
      const desk = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 1280, height: 900 },
      })).newPage();
      const phone = await (await browser.newContext({
        locale: "pt-BR",
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      })).newPage();
      for (const p of [desk, phone]) p.on("pageerror", (e) => errors.push(String(e)));
      /** One attendant click on a button that submits a form. */
      const attendant = async (name: string | RegExp) => {
        clicks++;
        await clickButton(desk, name);
      };

      await desk.goto(`${server.base}/login`);
      await desk.getByLabel("Usuário").fill("atendente1");
      await desk.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ATTENDANT1_PASSWORD);
      await clickButton(desk, "Entrar");
      await desk.getByRole("heading", { name: "Renovações a vencer" }).waitFor();

      // Keyboard: the skip link reaches the first Assumir in a few Tabs, not ~20.
      let tabs = 0;
      while (tabs < 30) {
        await desk.keyboard.press("Tab");
        tabs++;
        const text = await desk.evaluate(() => document.activeElement?.textContent?.trim());
        if (text === "Ir para a primeira renovação a vencer") break;
      }
      assert.ok(tabs <= 6, `skip link after ${tabs} Tabs`);
      await desk.keyboard.press("Enter");
      assert.equal(
        await desk.evaluate(() => document.activeElement?.textContent?.trim()),
        "Assumir",
      );
      const firstRow = desk.getByTestId("due-row").first();
      const customerName = (await firstRow.locator("a").first().textContent())!.trim();

      // 1. Assumir.
      clicks++;
      await Promise.all([
        desk.waitForURL(/\/app\/cases\//),
        firstRow.getByRole("button", { name: "Assumir" }).click(),
      ]);
      const caseId = desk.url().split("/").pop()!;
      // 2. Sends the customer's link; the page then says it waits on the customer.
      await attendant("Enviar link do cliente");
      assert.match(
        await desk.getByTestId("next-action").textContent() ?? "",
        /^Aguardando o cliente — link enviado em .+, válido até .+\.$/,
      );
      await shot(desk, "clicks-01-waiting-on-customer.png");

      // The customer does everything alone on the phone.
      const msg = (await readOutbox(server.db, 50)).find((m) => m.template === "first_contact")!;
      const link = msg.body.match(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]{43}/)![0];
      await phone.goto(link);
      await phone.getByRole("article", { name: "Fibra 1 Giga" }).getByRole("link", {
        name: "Escolher este plano",
      }).click();
      await phone.getByRole("checkbox").check();
      await clickButton(phone, "Confirmar escolha");
      const png = await bwipjs.toBuffer({
        bcid: "qrcode",
        text: "documento de teste",
        scale: 8,
        backgroundcolor: "FFFFFF",
      });
      await phone.getByLabel("Escolher da galeria").setInputFiles({
        name: "selfie.png",
        mimeType: "image/png",
        buffer: Buffer.from(png),
      });
      await clickButton(phone, "Enviar foto");

      // Photo review: full width, name and CPF beside it, zoom and rotate by keyboard.
      await desk.getByTestId("photo-viewer").waitFor({ timeout: 10_000 });
      await desk.locator("[data-testid=shortcuts][data-ready=true]").waitFor({ state: "attached" });
      assert.match(await desk.getByTestId("photo-compare").textContent() ?? "", /CPF no cadastro/);
      assert.match(await desk.getByTestId("photo-compare").textContent() ?? "", /\d{3}\.\d{3}/);
      await desk.keyboard.press("f");
      assert.equal(
        await desk.evaluate(() => document.activeElement?.getAttribute("data-testid")),
        "photo-area",
      );
      await desk.keyboard.press("+");
      await desk.keyboard.press("+");
      await desk.keyboard.press("r");
      assert.equal(
        await desk.getByTestId("photo-state").textContent(),
        "Zoom 200% · rotação 90°",
      );
      await shot(desk, "clicks-02-photo-zoomed.png");
      await desk.keyboard.press("0");
      assert.equal(await desk.getByTestId("photo-state").textContent(), "Zoom 100% · rotação 0°");
      await shot(desk, "clicks-03-photo-review.png");
      // Shortcuts never fire while typing; "t" only moves the focus to the approval.
      const reason = desk.getByLabel("Motivo (o cliente verá)");
      await reason.fill("");
      await reason.pressSequentially("talvez");
      assert.equal(await reason.inputValue(), "talvez");
      await reason.fill("");
      await desk.getByRole("heading", { name: "Verificação de titularidade" }).click();
      await desk.keyboard.press("t");
      assert.equal(
        await desk.evaluate(() => document.activeElement?.textContent?.trim()),
        "Aprovar: é o titular",
      );
      assert.equal((await getCase(server.db, caseId))!.step, "photo_sent", "focus, not approve");
      // 3. Approves the holder.
      await attendant("Aprovar: é o titular");

      // The customer confirms the contacts; Renova changes the plan and sends the contract.
      await phone.getByRole("heading", { name: "Confirme seus contatos" }).waitFor({
        timeout: 10_000,
      });
      await clickButton(phone, "Confirmar dados");
      await phone.getByRole("heading", { name: "Leia seu novo contrato" }).waitFor({
        timeout: 30_000,
      });
      await clickButton(phone, "Enviar código");
      const codeMsg = (await readOutbox(server.db, 50)).find((m) => m.template === "sign_code")!;
      await phone.getByLabel("Código recebido").fill(codeMsg.body.match(/\d{6}/)![0]);
      await phone.getByLabel("Digite seu nome completo").fill(customerName);
      await phone.getByRole("checkbox").check();
      await clickButton(phone, "Assinar contrato");
      await phone.getByRole("heading", { name: /Tudo pronto/ }).waitFor({ timeout: 30_000 });
      await shot(phone, "clicks-04-customer-all-set.png");

      // 4. The attendant's page moved on by itself; one click closes.
      await desk.getByTestId("case-step").getByText("Cliente avisado").waitFor({
        timeout: 30_000,
      });
      await shot(desk, "clicks-05-ready-to-close.png");
      await attendant("Encerrar atendimento");
      await desk.getByTestId("case-step").getByText("Encerrado").waitFor();
      await shot(desk, "clicks-06-closed.png");

      assert.equal((await getCase(server.db, caseId))!.step, "closed");
      assert.ok(clicks <= 4, `the attendant clicked ${clicks} times`);
      // The page reloaded by itself many times; the photo went into the history once.
      const timeline = await desk.getByTestId("timeline").textContent() ?? "";
      assert.equal(timeline.split("Foto do titular visualizada").length - 1, 1);
      assert.deepEqual(errors, [], "no script errors");
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
