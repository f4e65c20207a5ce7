// The customer's plan, photo and signing steps on cheap phones (#16 items 4, 5, 6), in Chromium
// at 360×640 and 390×844. Screenshots go to artifacts/phone-*.png (the first screen as seen,
// not the full page: what matters is what shows without scrolling).
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchBrowser, startServer } from "./browser.ts";
import { caseAt } from "../factories.ts";
import { getCustomer } from "../../services/customers.ts";
import { Buffer } from "node:buffer";
import sharp from "sharp";

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

/** A 3000×2000 camera-like JPEG (noise keeps it heavy, as real photos are). */
async function bigPhoto() {
  return await sharp({
    create: {
      width: 3000,
      height: 2000,
      channels: 3,
      background: "#8899aa",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  }).jpeg({ quality: 92 }).toBuffer();
}

/** The bytes of the `photo` part the browser sent (the non-empty one). */
function photoPart(body: Buffer): { type: string; bytes: Buffer } | undefined {
  const text = body.toString("latin1");
  const boundary = text.slice(0, text.indexOf("\r\n"));
  for (const part of text.split(boundary)) {
    if (!/name="photo"; filename="[^"]+"/.test(part)) continue;
    const head = part.slice(0, part.indexOf("\r\n\r\n"));
    const start = text.indexOf(part) + head.length + 4;
    const end = text.indexOf(part) + part.length - 2;
    return { type: /Content-Type: (\S+)/i.exec(head)![1], bytes: body.subarray(start, end) };
  }
}

async function photoPage(browser: Browser, vp: { width: number; height: number }, url: string) {
  const p = await phonePage(browser, vp);
  let sent: Buffer | undefined;
  await p.page.route("**/upload_photo", async (route) => {
    sent = route.request().postDataBuffer() ?? undefined;
    await route.continue();
  });
  await load(p.page, url);
  await p.page.getByRole("heading", { name: "Foto segurando seu documento" }).waitFor();
  return { ...p, sent: () => sent };
}

for (const vp of PHONES) {
  Deno.test({
    name:
      `browser ${vp.width}×${vp.height}: the photo step shows an example, Portuguese buttons, and sends a photo shrunk to 1600 px`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const h = await caseAt(server.db, "plan_chosen");
        const { page, errors, sent } = await photoPage(browser, vp, `${server.base}/r/${h.token}`);
        assert.ok(await inView(page, '[data-testid="photo-example"]'), "example on screen 1");
        await screen(page, `phone-${vp.width}-photo-1-top.png`);
        // The bare inputs are hidden (no English "Choose File"); the labels are the buttons.
        for (const id of ["photo-camera", "photo-gallery"]) {
          const box = (await page.getByTestId(id).boundingBox())!;
          assert.ok(box.width <= 1 && box.height <= 1, `${id} is visually hidden`);
        }
        const camera = page.getByLabel("Tirar foto");
        assert.equal(await camera.getAttribute("capture"), "");
        await page.getByText("Escolher da galeria").scrollIntoViewIfNeeded();
        assert.ok(await page.getByText("Escolher da galeria").isVisible());
        // Keyboard: the hidden input takes the focus and its label shows the ring.
        await page.getByLabel("Escolher da galeria").focus();
        await screen(page, `phone-${vp.width}-photo-2-focus.png`);

        const big = await bigPhoto();
        await page.getByLabel("Escolher da galeria").setInputFiles({
          name: "camera.jpg",
          mimeType: "image/jpeg",
          buffer: big,
        });
        await page.getByTestId("photo-preview").waitFor();
        assert.match(await page.getByTestId("photo-size").textContent() ?? "", /reduzida/);
        await screen(page, `phone-${vp.width}-photo-3-chosen.png`);
        await Promise.all([
          page.waitForURL(`${server.base}/r/${h.token}`),
          page.getByRole("button", { name: "Enviar foto" }).click(),
        ]);
        await page.getByRole("heading", { name: "Estamos verificando sua foto" }).waitFor();
        const part = photoPart(sent()!)!;
        assert.equal(part.type, "image/jpeg");
        const meta = await sharp(part.bytes).metadata();
        assert.equal(Math.max(meta.width!, meta.height!), 1600);
        assert.ok(part.bytes.length < big.length / 2, `${part.bytes.length} < ${big.length} / 2`);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  });
}

/** A browser test on the photo step: a case at plan_chosen, a 360 px phone, and the teardown. */
function photoStepTest(
  name: string,
  fn: (
    t: { base: string; token: string } & Awaited<ReturnType<typeof phonePage>>,
  ) => Promise<void>,
) {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const server = await startServer();
      const browser = await launchBrowser();
      try {
        const h = await caseAt(server.db, "plan_chosen");
        await fn({ base: server.base, token: h.token!, ...await phonePage(browser, PHONES[0]) });
      } finally {
        await browser.close();
        await server.stop();
      }
    },
  });
}

photoStepTest("browser: a browser that cannot shrink sends the original photo", async (p) => {
  await p.page.addInitScript(() => {
    // deno-lint-ignore no-explicit-any
    delete (globalThis as any).createImageBitmap;
  });
  let sent: Buffer | undefined;
  await p.page.route("**/upload_photo", async (route) => {
    sent = route.request().postDataBuffer() ?? undefined;
    await route.continue();
  });
  await load(p.page, `${p.base}/r/${p.token}`);
  const big = await bigPhoto();
  await p.page.getByLabel("Escolher da galeria").setInputFiles({
    name: "camera.jpg",
    mimeType: "image/jpeg",
    buffer: big,
  });
  await p.page.getByTestId("photo-preview").waitFor();
  assert.equal(await p.page.getByTestId("photo-size").count(), 0);
  await Promise.all([
    p.page.waitForURL(`${p.base}/r/${p.token}`),
    p.page.getByRole("button", { name: "Enviar foto" }).click(),
  ]);
  const part = photoPart(sent!)!;
  assert.equal(part.bytes.length, big.length);
  assert.ok(part.bytes.equals(big), "the original bytes");
  assert.deepEqual(p.errors, []);
});

Deno.test({
  name: "browser: a failed upload's error replaces the earlier one, never stacks",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const h = await caseAt(server.db, "photo_rejected");
      const { page, errors } = await phonePage(browser, PHONES[0]);
      await load(page, `${server.base}/r/${h.token}`);
      assert.equal(await page.getByRole("alert").count(), 1, "the rejection");
      // A file the server cannot read: the page comes back with its error only.
      await page.getByLabel("Escolher da galeria").setInputFiles({
        name: "foto.png",
        mimeType: "image/png",
        buffer: Buffer.from("not an image at all"),
      });
      await Promise.all([
        page.waitForURL(/upload_photo$/),
        page.getByRole("button", { name: "Enviar foto" }).click(),
      ]);
      await page.waitForLoadState("load");
      assert.equal(await page.getByRole("alert").count(), 1);
      assert.match(await page.getByRole("alert").textContent() ?? "", /JPG, PNG ou WEBP/);
      await screen(page, "phone-360-photo-4-server-error.png");
      // A wrong type chosen next: its message replaces the server's.
      await page.getByLabel("Tirar foto").setInputFiles({
        name: "anim.gif",
        mimeType: "image/gif",
        buffer: Buffer.from("GIF89a"),
      });
      await page.waitForTimeout(100);
      assert.equal(await page.getByRole("alert").count(), 1);
      assert.match(await page.getByRole("alert").textContent() ?? "", /Envie uma foto em JPG/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

photoStepTest(
  "browser: a photo chosen before the page's script loaded still gets its preview",
  async (p) => {
    // A slow phone: the scripts arrive only after the customer picked the photo.
    let release = () => {};
    const held = new Promise<void>((ok) => (release = ok));
    await p.page.route("**/*.js", async (route) => {
      await held;
      await route.continue();
    });
    // Module scripts hold DOMContentLoaded back: wait for the response, then for the input.
    await p.page.goto(`${p.base}/r/${p.token}`, { waitUntil: "commit" });
    await p.page.getByLabel("Escolher da galeria").setInputFiles({
      name: "camera.jpg",
      mimeType: "image/jpeg",
      buffer: await bigPhoto(),
    });
    release();
    await p.page.getByTestId("photo-preview").waitFor({ timeout: 15_000 });
    assert.match(await p.page.getByTestId("photo-size").textContent() ?? "", /reduzida/);
    assert.deepEqual(p.errors, []);
  },
);
