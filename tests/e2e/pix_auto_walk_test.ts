// Issue #20 in the browser, on a phone (390×844): the customer chooses Pix Automático, sees the
// authorization QR, and the stand-in PSP approves and calls the webhook → "Pix Automático
// autorizado", and the all-set page lists the months as "Débito via Pix Automático". With the
// stand-in down or rejecting, the renewal ends with boleto + PIX.
// Screenshots: artifacts/pix-auto-*.png.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { clickButton, launchBrowser, shot, startServer } from "./browser.ts";
import { caseAt, walkTo } from "../factories.ts";
import { StandinPsp } from "../pix_auto/standin_psp.ts";
import { getPixAuto } from "../../services/pix_auto/mod.ts";

const SECRET = "e".repeat(32);
const PHONE = { width: 390, height: 844 };

async function withPsp(
  fn: (s: {
    server: Awaited<ReturnType<typeof startServer>>;
    psp: StandinPsp;
    browser: Browser;
    errors: string[];
  }) => Promise<void>,
  env: Record<string, string> = {},
) {
  const psp = new StandinPsp({
    // The PSP calls Renova back over real HTTP.
    deliver: (url, body) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  });
  const server = await startServer({
    PIX_AUTO_API_URL: psp.url,
    PIX_AUTO_CLIENT_ID: psp.clientId,
    PIX_AUTO_CLIENT_SECRET: psp.clientSecret,
    PIX_AUTO_WEBHOOK_SECRET: SECRET,
    PIX_AUTO_TIMEOUT_MS: "800",
    ...env,
  });
  psp.webhookRec = psp.webhookCobr = `${server.base}/webhooks/pix-auto/${SECRET}`;
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    await fn({ server, psp, browser, errors });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.stop();
    await psp.close();
  }
}

async function phonePage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const ctx = await browser.newContext({
    locale: "pt-BR",
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return page;
}

Deno.test({
  name: "browser: Pix Automático chosen, QR shown, the PSP approves → 'Pix Automático autorizado'",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withPsp(async ({ server, psp, browser, errors }) => {
      const h = await caseAt(server.db, "plan_chosen");
      const url = `${server.base}/r/${h.token}`;
      const page = await phonePage(browser, url, errors);
      await page.getByRole("heading", { name: "Como você prefere pagar as mensalidades?" })
        .waitFor();
      await page.getByText("Pix Automático (recomendado)").scrollIntoViewIfNeeded();
      await shot(page, "pix-auto-01-choice.png");
      await page.getByRole("radio", { name: /Pix Automático/ }).check();
      await clickButton(page, "Confirmar forma de pagamento");
      await page.getByRole("heading", { name: "Autorize o Pix Automático" }).waitFor();
      await page.getByTestId("pix-auto-qr").scrollIntoViewIfNeeded();
      await shot(page, "pix-auto-02-qr.png");

      // The payer approves in the bank app; the stand-in calls the webhook.
      const rec = (await getPixAuto(server.db, h.id))!;
      const res = await psp.payer(rec.idRec!, "APROVADA");
      assert.equal(res?.status, 200);
      await page.reload();
      await page.getByText("Pix Automático autorizado").waitFor();
      await shot(page, "pix-auto-03-autorizado.png");

      // The renewal goes on to the end: the months are debited, no boleto to pay by hand.
      await walkTo(h, "notified");
      await page.reload();
      await page.getByRole("heading", { name: /Tudo pronto/ }).waitFor();
      await page.getByTestId("pix-auto-installment").first().waitFor();
      assert.equal(await page.getByTestId("pix-next").count(), 0);
      assert.equal(await page.getByText("Pix Automático autorizado").count(), 1);
      await shot(page, "pix-auto-04-tudo-pronto.png");
    });
  },
});

Deno.test({
  name: "browser: the PSP down, then rejecting → the renewal ends with boleto + PIX",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withPsp(async ({ server, psp, browser, errors }) => {
      // Down: the choice returns at once and says so.
      psp.mode = "down";
      const h = await caseAt(server.db, "plan_chosen");
      const page = await phonePage(browser, `${server.base}/r/${h.token}`, errors);
      await page.getByRole("radio", { name: /Pix Automático/ }).check();
      await clickButton(page, "Confirmar forma de pagamento");
      await page.getByTestId("pix-auto-unavailable").waitFor();
      await shot(page, "pix-auto-05-psp-fora.png");

      // Back up: offered again; the payer rejects in the bank app.
      psp.mode = "up";
      await page.getByRole("radio", { name: /Pix Automático/ }).check();
      await clickButton(page, "Confirmar forma de pagamento");
      await page.getByTestId("pix-auto-qr").waitFor();
      const rec = (await getPixAuto(server.db, h.id))!;
      await psp.payer(rec.idRec!, "REJEITADA");
      await page.reload();
      await page.getByText(/foi recusada no aplicativo do banco/).waitFor();
      await shot(page, "pix-auto-06-recusado.png");

      await walkTo(h, "notified");
      await page.reload();
      await page.getByRole("heading", { name: /Tudo pronto/ }).waitFor();
      await page.getByTestId("pix-next").waitFor();
      assert.equal(await page.getByTestId("pix-auto-installment").count(), 0);
      await shot(page, "pix-auto-07-boleto-pix.png");
    });
  },
});

Deno.test({
  name:
    "browser: journey 1, the request goes to the payer's bank app → 'Pix Automático autorizado'",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withPsp(async ({ server, psp, browser, errors }) => {
      const h = await caseAt(server.db, "plan_chosen");
      const page = await phonePage(browser, `${server.base}/r/${h.token}`, errors);
      await page.getByText("Receber o pedido no app do meu banco").click();
      // A typo first: the message sits next to the field, what was typed stays.
      await page.getByLabel("Banco", { exact: true }).selectOption("60701190");
      await page.getByLabel("Agência (sem o dígito)").fill("0341");
      await page.getByLabel("Conta com o dígito").fill("98765-x");
      await page.getByLabel("Tipo de conta").selectOption("corrente");
      await clickButton(page, "Enviar pedido ao meu banco");
      await page.getByText("Informe o número da conta com o dígito").waitFor();
      await shot(page, "pix-auto-08-banco-erro.png");
      await page.getByLabel("Conta com o dígito").fill("98765-0");
      await page.getByLabel("Tipo de conta").selectOption("corrente");
      await clickButton(page, "Enviar pedido ao meu banco");
      await page.getByText("Abra o app do seu banco para autorizar").waitFor();
      await shot(page, "pix-auto-09-pedido-enviado.png");

      // The payer accepts in the bank app; the stand-in calls the rec webhook.
      const rec = (await getPixAuto(server.db, h.id))!;
      const res = await psp.payerAcceptsRequest(rec.solicRec!.idSolicRec!);
      assert.equal(res?.status, 200);
      await page.reload();
      await page.getByText("Pix Automático autorizado").waitFor();
      await shot(page, "pix-auto-10-autorizado-banco.png");
    }, { PIX_AUTO_JOURNEY1: "true" });
  },
});
