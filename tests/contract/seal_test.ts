import assert from "node:assert/strict";
import {
  appendCertificatePage,
  contractHash,
  generateSelfSignedP12,
  renderContractPdf,
  sealPdf,
  stampSignature,
  SUBFILTER,
  verifySealedPdf,
} from "../../services/contract/mod.ts";
import { evidence, pdfText, run, SECTIONS, TITLE, VERIFY_URL, writeTemp } from "./fixtures.ts";

const PASS = "senha-de-demonstração";
const INFO = {
  reason: "Contrato de renovação assinado eletronicamente",
  location: "Ribeirão Preto/SP",
  name: "Renova Telecomunicações Ltda",
};

// One key pair for the whole file: RSA 2048 generation is the slow part.
const P12 = generateSelfSignedP12({
  commonName: "Renova Telecomunicações Ltda",
  organization: "Renova Telecomunicações Ltda",
  cnpj: "11.444.777/0001-61",
  passphrase: PASS,
});

async function signedContract(): Promise<Uint8Array> {
  const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
  const stamped = await stampSignature(pdf, {
    typedName: "João Conceição Araújo",
    signedAt: "2026-03-05T14:07:33Z",
  });
  return await appendCertificatePage(stamped, evidence(await contractHash(SECTIONS)), {
    verifyUrl: VERIFY_URL,
    selfSigned: true,
  });
}

async function pdfsig(path: string): Promise<string> {
  const r = await run("pdfsig", [path]);
  return r.stdout + r.stderr;
}

Deno.test("seal: pdfsig validates the PAdES signature and our own check agrees", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const pdf = await signedContract();
    const sealed = await sealPdf(pdf, { p12: P12, passphrase: PASS }, INFO);
    const path = await writeTemp(dir, "selado.pdf", sealed);

    const out = await pdfsig(path);
    assert.match(out, /Signature Validation: Signature is Valid\./, out);
    assert.match(out, /Signature Type: ETSI\.CAdES\.detached/, out);
    assert.match(out, /Signer Certificate Common Name: Renova Telecomunicações Ltda/, out);
    assert.match(out, /Signing Hash Algorithm: SHA-256/, out);
    assert.match(out, /Total document signed/, out);

    const check = await verifySealedPdf(sealed);
    assert.deepEqual(check, {
      byteRangeCoversAllButContents: true,
      digestMatches: true,
      signatureValid: true,
      signerCommonName: "Renova Telecomunicações Ltda",
      hasSigningCertificateV2: true,
      hasSigningTime: true,
      subFilter: SUBFILTER,
    });

    // The seal changes nothing visible: the evidence page still reads the same.
    const text = await pdfText(path);
    assert.ok(text.includes("Certificado de assinatura"));
    assert.ok(text.includes(await contractHash(SECTIONS)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seal: one flipped byte in the signed range breaks the digest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sealed = await sealPdf(await signedContract(), { p12: P12, passphrase: PASS }, INFO);
    // Byte 10 lies in the binary comment after "%PDF-1.7": the file still parses.
    const tampered = sealed.slice();
    tampered[10] ^= 0x01;
    const check = await verifySealedPdf(tampered);
    assert.equal(check.digestMatches, false);
    assert.equal(check.signatureValid, true, "the CMS itself is untouched");

    const out = await pdfsig(await writeTemp(dir, "adulterado.pdf", tampered));
    assert.doesNotMatch(out, /Signature is Valid/, out);
    assert.match(out, /Signature Validation: (Digest Mismatch|Signature is Invalid)/, out);

    // A byte after /Contents (second range) is covered too.
    const tail = sealed.slice();
    const at = tail.length - 20;
    tail[at] = tail[at] === 0x20 ? 0x0a : tail[at] ^ 0x01;
    assert.equal((await verifySealedPdf(tail)).digestMatches, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seal: PAdES-baseline mode leaves signing-time out and stays valid", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const info = { ...INFO, signingTimeAttribute: false };
    const sealed = await sealPdf(await signedContract(), { p12: P12, passphrase: PASS }, info);
    const check = await verifySealedPdf(sealed);
    assert.equal(check.hasSigningTime, false);
    assert.equal(check.hasSigningCertificateV2, true);
    assert.equal(check.digestMatches && check.signatureValid, true);
    const out = await pdfsig(await writeTemp(dir, "baseline.pdf", sealed));
    assert.match(out, /Signature Validation: Signature is Valid\./, out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("seal: wrong passphrase is refused with a clear message", async () => {
  const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
  await assert.rejects(
    sealPdf(pdf, { p12: P12, passphrase: "errada" }, INFO),
    /Não foi possível abrir o certificado PKCS#12/,
  );
});

Deno.test("verifySealedPdf: an unsigned PDF is reported, not guessed", async () => {
  const pdf = await renderContractPdf(SECTIONS, { title: TITLE });
  await assert.rejects(verifySealedPdf(pdf), /não tem assinatura/);
});
