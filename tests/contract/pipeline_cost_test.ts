// The contract pipeline's expensive set-up work happens once per process, not per contract
// (issue #21). Cost is checked by counting the work, never by timing it.
import assert from "node:assert/strict";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import {
  appendCertificatePage,
  contractHash,
  generateSelfSignedP12,
  renderContractPdf,
  sealPdf,
  stampSignature,
  verifySealedPdf,
} from "../../services/contract/mod.ts";
import { defaultFontDir, embedFonts, wrapText } from "../../services/contract/pdf.ts";
import { evidence, pdfText, SECTIONS, TITLE, VERIFY_URL, writeTemp } from "./fixtures.ts";

const PASS = "senha-do-selo";
const INFO = { reason: "Contrato assinado", location: "Ribeirão Preto/SP", name: "Renova" };

async function fullContract(fontDir: string): Promise<Uint8Array> {
  const pdf = await renderContractPdf(SECTIONS, { title: TITLE, fontDir });
  const stamped = await stampSignature(pdf, {
    typedName: "João Conceição Araújo",
    signedAt: "2026-03-05T14:07:33Z",
  }, { fontDir });
  return await appendCertificatePage(stamped, evidence(await contractHash(SECTIONS)), {
    verifyUrl: VERIFY_URL,
    selfSigned: true,
    fontDir,
  });
}

Deno.test("contract fonts are read once per process: the next contract needs no font file", async () => {
  const fonts = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  try {
    for (const f of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
      await Deno.copyFile(`${defaultFontDir()}/${f}`, `${fonts}/${f}`);
    }
    await fullContract(fonts);
    await Deno.remove(fonts, { recursive: true });

    const second = await fullContract(fonts);
    const text = await pdfText(await writeTemp(out, "segundo.pdf", second));
    assert.match(text, /Certificado de assinatura/);
    assert.match(text, /João Conceição Araújo/);
  } finally {
    await Deno.remove(fonts, { recursive: true }).catch(() => {});
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("contract word wrap measures each distinct word once, not every candidate line", async () => {
  const doc = await PDFDocument.create();
  const { regular } = await embedFonts(doc);
  let measured = 0;
  const measure = regular.widthOfTextAtSize.bind(regular);
  regular.widthOfTextAtSize = (text: string, size: number) => {
    measured++;
    return measure(text, size);
  };
  const words = Array.from({ length: 300 }, (_, i) => `palavra${i % 40}`);
  const lines = wrapText(words.join(" "), regular, 12, 480);

  assert.deepEqual(lines.join(" ").split(" "), words, "every word, in order");
  assert.ok(lines.length > 5, `wrapped into ${lines.length} lines`);
  assert.ok(measured <= 41, `measured ${measured} strings for 40 distinct words and a space`);
});

Deno.test("seal: the P12 is opened once per process and later seals still verify", async () => {
  const p12 = generateSelfSignedP12({
    commonName: "Renova Selo",
    organization: "Renova Selo",
    passphrase: PASS,
  });
  const pdf = await fullContract(defaultFontDir());
  const first = await sealPdf(pdf, { p12, passphrase: PASS }, INFO);
  // Same signer object, bytes no longer readable: only an already opened key can seal.
  const kept = p12.slice();
  p12.fill(0);
  try {
    const second = await sealPdf(pdf, { p12, passphrase: PASS }, INFO);
    for (const sealed of [first, second]) {
      const check = await verifySealedPdf(sealed);
      assert.equal(check.signatureValid, true);
      assert.equal(check.digestMatches, true);
      assert.equal(check.signerCommonName, "Renova Selo");
    }
  } finally {
    p12.set(kept);
  }
});

Deno.test("certificate QR is drawn as vectors: no image to rasterize, encode and decode", async () => {
  const pdf = await fullContract(defaultFontDir());
  const doc = await PDFDocument.load(pdf);
  const cert = doc.getPages().at(-1)!;
  const xobjects = cert.node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict);
  assert.equal(xobjects?.keys().length ?? 0, 0, "no image XObject on the certificate page");
});
