// From contract sections to the final signed file: render → (customer signs) → stamp the
// signature → append the evidence page → one PAdES seal. Pure apart from the inputs; the
// renewal service stores what it returns.
import { PDFDocument } from "pdf-lib";
import { embedFonts, renderContractPdf } from "./pdf.ts";
import { drawCertificate, drawSignatureBlock, type Evidence } from "./stamp.ts";
import { sealDocument } from "./seal.ts";
import type { ContractSection } from "./terms.ts";
import type { Signer } from "./signer.ts";
import { sha256Hex } from "../crypto.ts";

export const CONTRACT_TITLE = "Contrato de renovação de serviço de internet";

export async function renderUnsigned(sections: ContractSection[]) {
  const pdf = await renderContractPdf(sections, { title: CONTRACT_TITLE });
  return { pdf, sha256: await sha256Hex(pdf) };
}

export interface FinalizeInput {
  unsignedPdf: Uint8Array;
  typedName: string;
  signedAt: string;
  drawnSignaturePng?: Uint8Array;
  evidence: Evidence;
  verifyUrl: string;
  signer: Signer;
  location: string;
  providerName: string;
}

export async function finalizeSigned(i: FinalizeInput) {
  // One parse and one save for stamp, certificate and seal (the fonts embedded once for both
  // drawings): each step's own load/save re-parsed, re-deflated and re-wrote the whole file.
  const doc = await PDFDocument.load(i.unsignedPdf);
  const fonts = await embedFonts(doc);
  await drawSignatureBlock(doc, fonts, {
    typedName: i.typedName,
    signedAt: i.signedAt,
    drawnSignaturePng: i.drawnSignaturePng,
  });
  drawCertificate(doc, fonts, i.evidence, {
    verifyUrl: i.verifyUrl,
    selfSigned: i.signer.selfSigned,
  });
  const sealed = await sealDocument(
    doc,
    { p12: i.signer.p12, passphrase: i.signer.passphrase },
    {
      reason: "Selo do contrato assinado eletronicamente",
      location: i.location,
      name: i.providerName,
      // ITI's validator and PAdES baseline reject a signingTime signed attribute; the time is
      // in the signature dictionary's /M entry instead.
      signingTimeAttribute: false,
    },
  );
  return { pdf: sealed, sha256: await sha256Hex(sealed) };
}
