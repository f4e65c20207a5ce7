// From contract sections to the final signed file: render → (customer signs) → stamp the
// signature → append the evidence page → one PAdES seal. Pure apart from the inputs; the
// renewal service stores what it returns.
import { renderContractPdf } from "./pdf.ts";
import { appendCertificatePage, type Evidence, stampSignature } from "./stamp.ts";
import { sealPdf } from "./seal.ts";
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
  const stamped = await stampSignature(i.unsignedPdf, {
    typedName: i.typedName,
    signedAt: i.signedAt,
    drawnSignaturePng: i.drawnSignaturePng,
  });
  const withEvidence = await appendCertificatePage(stamped, i.evidence, {
    verifyUrl: i.verifyUrl,
    selfSigned: i.signer.selfSigned,
  });
  const sealed = await sealPdf(
    withEvidence,
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
