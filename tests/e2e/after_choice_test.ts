// Issue #16 items 1, 2, 3, 7 on a phone (360×640 and 390×844): the final page's PIX (QR that
// decodes, "Copiar" with and without the clipboard API), the closed renewal's read-only page,
// declining with "Tem certeza?", and the invalid-link page with "Pedir novo link".
// Screenshots: artifacts/after-<phone>-NN-*.png.
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ARTIFACTS, launchBrowser, shot, STAFF_PASSWORDS, startServer } from "./browser.ts";
import { caseAt, walkTo } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { run } from "../contract/fixtures.ts";

const PHONES = [
  { name: "360", viewport: { width: 360, height: 640 } },
  { name: "390", viewport: { width: 390, height: 844 } },
];

function phoneContext(browser: Browser, viewport: { width: number; height: number }) {
  return browser.newContext({
    locale: "pt-BR",
    viewport,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (Linux; Android 14; moto g) AppleWebKit/537.36 Chrome/126 Mobile Safari/537.36",
  });
}

async function opened(ctx: BrowserContext, url: string, errors: string[]): Promise<Page> {
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return page;
}

Deno.test({
  name: "browser: PIX copy and QR, closed read-only page, declining, invalid link (two phones)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    const errors: string[] = [];
    try {
      for (const phone of PHONES) {
        const pre = `after-${phone.name}`;
        const h = await caseAt(server.db, "notified");
        const url = `${server.base}/r/${h.token}`;
        const payloads = (await getCase(server.db, h.id))!.invoices!.map((i) => i.pixPayload);

        // 1. Final page: Copiar with the clipboard API says "Copiado" (aria-live).
        const ctx = await phoneContext(browser, phone.viewport);
        await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
        const page = await opened(ctx, url, errors);
        await page.getByRole("heading", { name: /Tudo pronto/ }).waitFor();
        await page.waitForSelector("renova-island[data-island=CopyCode] button");
        await shot(page, `${pre}-01-final.png`);
        const next = page.getByTestId("pix-next");
        // "R$ 179,90" split over two lines at 360 px before the amount went unbreakable.
        const amountBoxes = await next.locator("h4 span").evaluate((el) =>
          el.getClientRects().length
        );
        assert.equal(amountBoxes, 1, "the next invoice's amount stays on one line");
        // "✓ Contrato" broke in two at 360 px while the five stages had equal widths.
        const stageLines = await page.locator('ol[aria-label="Etapas da renovação"] li')
          .evaluateAll(
            (items) =>
              items.map((li) => {
                const range = document.createRange();
                range.selectNodeContents(li);
                return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
              }),
          );
        assert.deepEqual(stageLines, [1, 1, 1, 1, 1], "each stage's label stays on one line");
        await next.getByRole("button", { name: "Copiar código PIX" }).click();
        await next.getByText("Copiado", { exact: true }).waitFor();
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        assert.ok(payloads.includes(copied), "the exact copia-e-cola is on the clipboard");
        await shot(page, `${pre}-02-copied.png`);

        // The QR as the phone shows it decodes back to the same code.
        const qrPng = new URL(`${pre}-qr.png`, ARTIFACTS).pathname;
        await page.getByTestId("pix-qr").screenshot({ path: qrPng });
        const qr = await run("zbarimg", ["--raw", "-q", qrPng]);
        assert.equal(qr.code, 0, qr.stderr);
        assert.equal(qr.stdout.trim(), copied);

        // 2. Without the clipboard API, Copiar selects the code for a manual copy.
        const bare = await phoneContext(browser, phone.viewport);
        await bare.addInitScript(() => {
          Object.defineProperty(navigator, "clipboard", { value: undefined });
        });
        const plain = await opened(bare, url, errors);
        await plain.waitForSelector("renova-island[data-island=CopyCode] button");
        await plain.waitForTimeout(300); // hydration
        await plain.getByTestId("pix-next").getByRole("button", { name: "Copiar código PIX" })
          .click();
        await plain.getByText(/Código selecionado/).waitFor();
        const selected = await plain.evaluate(() => {
          const el = document.activeElement as HTMLTextAreaElement;
          return el.value.slice(el.selectionStart, el.selectionEnd);
        });
        assert.equal(selected, copied);
        await bare.close();

        // 3. After "Encerrar atendimento" the same link is read-only with everything kept.
        await walkTo(h, "closed");
        await page.reload();
        await page.getByTestId("closed-note").waitFor();
        assert.ok(await page.getByTestId("pix-qr").isVisible());
        assert.ok(await page.getByTestId("signed-pdf").isVisible());
        await shot(page, `${pre}-03-closed.png`);
        await ctx.close();

        // 4. Declining: asked once, with an optional reason, then the calm page.
        const d = await caseAt(server.db, "offer");
        const dctx = await phoneContext(browser, phone.viewport);
        const dp = await opened(dctx, `${server.base}/r/${d.token}`, errors);
        await dp.getByRole("link", { name: "Não quero renovar" }).click();
        await dp.getByRole("heading", { name: "Tem certeza que não quer renovar?" }).waitFor();
        assert.equal((await getCase(server.db, d.id))!.step, "offer", "asking changed nothing");
        await shot(dp, `${pre}-04-decline-ask.png`);
        await dp.getByLabel("Vou me mudar").check();
        await dp.getByLabel("Quer contar mais? (opcional)").fill("Mudo para outra cidade.");
        await Promise.all([
          dp.waitForLoadState("load"),
          dp.getByRole("button", { name: "Sim, não quero renovar" }).click(),
        ]);
        await dp.getByRole("heading", { name: /Tudo bem/ }).waitFor();
        assert.ok(await dp.getByRole("link", { name: "Conversar no WhatsApp" }).isVisible());
        await shot(dp, `${pre}-05-declined.png`);
        assert.equal(
          (await getCase(server.db, d.id))!.declined!.reason,
          "Vou me mudar: Mudo para outra cidade.",
        );
        await dctx.close();
        if (phone.name === "390") {
          // The attendant's case page shows the reason (desktop).
          const desk = await (await browser.newContext({
            locale: "pt-BR",
            viewport: { width: 1280, height: 900 },
          })).newPage();
          await desk.goto(`${server.base}/login`);
          await desk.getByLabel("Usuário").fill("atendente1");
          await desk.getByLabel("Senha", { exact: true }).fill(STAFF_PASSWORDS.ATTENDANT1_PASSWORD);
          await Promise.all([
            desk.waitForURL(/\/app/),
            desk.getByRole("button", { name: "Entrar" }).click(),
          ]);
          await desk.goto(`${server.base}/app/cases/${d.id}`);
          await desk.getByText("Recusa: “Vou me mudar: Mudo para outra cidade.”", { exact: false })
            .waitFor();
          await shot(desk, `${pre}-08-staff-declined.png`);
          await desk.context().close();
        }

        // 5. A dead link: the provider, its contacts and "Pedir novo link".
        const ictx = await phoneContext(browser, phone.viewport);
        const ip = await opened(ictx, `${server.base}/r/${"Z".repeat(43)}`, errors);
        await ip.getByRole("heading", { name: "Link inválido ou expirado" }).waitFor();
        assert.ok(await ip.getByText("Fibra Exemplo Telecom Ltda.").first().isVisible());
        await shot(ip, `${pre}-06-invalid.png`);
        await Promise.all([
          ip.waitForLoadState("load"),
          ip.getByRole("button", { name: "Pedir novo link" }).click(),
        ]);
        await ip.getByRole("status").waitFor();
        await shot(ip, `${pre}-07-invalid-asked.png`);
        await ictx.close();
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
