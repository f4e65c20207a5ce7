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
import { contractText } from "../../services/contract/terms.ts";
import { finalizeSigned, renderUnsigned } from "../../services/contract/pipeline.ts";
import pako from "pako";
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

const signer = () => ({
  p12: generateSelfSignedP12({
    commonName: "Renova Selo",
    organization: "Renova",
    passphrase: PASS,
  }),
  passphrase: PASS,
  selfSigned: true,
});

async function signContract(s: ReturnType<typeof signer>, sections = SECTIONS) {
  const unsigned = await renderUnsigned(sections);
  const signedAt = "2026-03-05T14:07:33Z";
  return await finalizeSigned({
    unsignedPdf: unsigned.pdf,
    typedName: "João Conceição Araújo",
    signedAt,
    evidence: evidence(unsigned.sha256),
    verifyUrl: VERIFY_URL,
    signer: s,
    location: "Ribeirão Preto/SP",
    providerName: "Renova",
  });
}

Deno.test("signing parses the unsigned contract once and saves once: stamp, certificate and seal share one document", async () => {
  const s = signer();
  await signContract(s); // warm: the P12 opened, fonts parsed
  const load = PDFDocument.load, save = PDFDocument.prototype.save;
  let loads = 0, saves = 0;
  PDFDocument.load = ((...a: Parameters<typeof load>) => (loads++, load(...a))) as typeof load;
  PDFDocument.prototype.save = function (this: PDFDocument, ...a: Parameters<typeof save>) {
    saves++;
    return save.apply(this, a);
  };
  let signed;
  try {
    const unsigned = await renderUnsigned(SECTIONS);
    loads = saves = 0;
    signed = await finalizeSigned({
      unsignedPdf: unsigned.pdf,
      typedName: "João Conceição Araújo",
      signedAt: "2026-03-05T14:07:33Z",
      evidence: evidence(unsigned.sha256),
      verifyUrl: VERIFY_URL,
      signer: s,
      location: "Ribeirão Preto/SP",
      providerName: "Renova",
    });
  } finally {
    PDFDocument.load = load;
    PDFDocument.prototype.save = save;
  }
  assert.deepEqual({ loads, saves }, { loads: 1, saves: 1 });
  const check = await verifySealedPdf(signed.pdf);
  assert.equal(check.signatureValid && check.digestMatches, true, "the seal still verifies");
  const out = await Deno.makeTempDir();
  try {
    const text = await pdfText(await writeTemp(out, "assinado.pdf", signed.pdf));
    assert.match(text, /Assinatura eletrônica do CONTRATANTE/);
    assert.match(text, /Certificado de assinatura/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/** Counts fontkit's own shaping (the prototype's layout, under the per-word memo). */
async function countShaping(run: () => Promise<unknown>): Promise<number> {
  const doc = await PDFDocument.create();
  const { regular } = await embedFonts(doc);
  const program = (regular as unknown as { embedder: { font: object } }).embedder.font;
  const proto = Object.getPrototypeOf(program) as { layout: (...a: unknown[]) => unknown };
  const layout = proto.layout;
  let n = 0;
  proto.layout = function (this: unknown, ...a: unknown[]) {
    n++;
    return layout.apply(this, a);
  };
  try {
    await run();
  } finally {
    proto.layout = layout;
  }
  return n;
}

Deno.test("contract text is shaped once per distinct word: a second contract shapes next to nothing", async () => {
  const s = signer();
  // Words no earlier test in this file can have shaped (the memo lives for the process).
  const fresh = Array.from({ length: 8 }, () => `palavra${crypto.randomUUID().slice(0, 8)}`);
  const sections = [...SECTIONS, { title: "Anexo", paragraphs: [fresh.join(" ")] }];
  const first = await countShaping(() => signContract(s, sections));
  const second = await countShaping(() => signContract(s, sections));
  assert.ok(first > 0, "the first contract shapes its words");
  assert.ok(second <= 5, `the same contract again shaped ${second} strings (first: ${first})`);
});

Deno.test("shaping word by word gives the glyphs fontkit gives the whole line", async () => {
  const doc = await PDFDocument.create();
  const fonts = await embedFonts(doc);
  const lines = [
    ...contractText(SECTIONS).split("\n"),
    "fi fl ffi «Ação» R$ 1.199,00 — § 2º  dois  espaços, ÁÉÍÓÚ çãõ",
  ];
  for (const font of [fonts.regular, fonts.bold]) {
    const program = (font as unknown as { embedder: { font: object } }).embedder.font as {
      layout: (t: string) => { glyphs: { id: number }[] };
    };
    const whole = Object.getPrototypeOf(program).layout;
    for (const line of lines) {
      const ids = (g: { glyphs: { id: number }[] }) => g.glyphs.map((x) => x.id);
      assert.deepEqual(ids(program.layout(line)), ids(whole.call(program, line)), line);
    }
  }
});

Deno.test("contract streams are deflated by native zlib, not pako's JavaScript port", async () => {
  const js = (pako as unknown as { Deflate: { prototype: { push: (...a: unknown[]) => unknown } } })
    .Deflate.prototype;
  const push = js.push;
  let jsDeflates = 0;
  js.push = function (this: unknown, ...a: unknown[]) {
    jsDeflates++;
    return push.apply(this, a);
  };
  let pdf: Uint8Array;
  try {
    pdf = await renderContractPdf(SECTIONS, { title: TITLE });
  } finally {
    js.push = push;
  }
  assert.equal(jsDeflates, 0, "no stream went through pako's JavaScript deflate");
  const out = await Deno.makeTempDir();
  try {
    assert.match(await pdfText(await writeTemp(out, "c.pdf", pdf)), /Ribeirão Preto/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
