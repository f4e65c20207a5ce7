// Issue #16 item 7: the customer's final page has the next invoice's PIX QR code, drawn on the
// server, that decodes back to the exact copia-e-cola code, and a "Copiar" button for it.
import assert from "node:assert/strict";
import { setup } from "./renewal_fixtures.ts";
import { caseAt } from "../factories.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { todayInBrazil } from "../../services/dates.ts";
import { run } from "../contract/fixtures.ts";
const decodeBase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

const unescape = (s: string) =>
  s.replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"').replaceAll("&#39;", "'");

Deno.test("PIX: the final page's QR code decodes (zbarimg) to the next invoice's exact copia-e-cola", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "notified");
  const c = (await getCase(t.db, h.id))!;
  const today = todayInBrazil(t.db.now());
  const next = c.invoices!.find((i) => i.dueDate >= today)!;
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const src = html.match(
    /<img src="data:image\/svg\+xml;base64,([^"]+)"[^>]*data-testid="pix-qr"/,
  )!;
  assert.ok(src, "QR image on the page");
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/qr.svg`;
    await Deno.writeFile(file, decodeBase64(src[1]));
    const qr = await run("zbarimg", ["--raw", "-q", file]);
    assert.equal(qr.code, 0, `zbarimg não achou o QR: ${qr.stderr}`);
    assert.equal(qr.stdout.trim(), next.pixPayload);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PIX: the copia-e-cola code comes with a Copiar button and a polite live region", async () => {
  await using t = await setup();
  const h = await caseAt(t.db, "notified");
  const c = (await getCase(t.db, h.id))!;
  const html = await (await t.app.request(`/r/${h.token}`)).text();
  const box = html.match(/<textarea[^>]*data-testid="pix-code"[^>]*>([^<]*)<\/textarea>/);
  assert.ok(box, "copia-e-cola box");
  assert.ok(c.invoices!.some((i) => i.pixPayload === unescape(box[1])));
  assert.match(html, /data-island="CopyCode"/);
  assert.match(html, /data-testid="pix-copy"[^>]*>\s*Copiar código PIX/);
  assert.match(html, /aria-live="polite"/);
});
