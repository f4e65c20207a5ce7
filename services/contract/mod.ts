// The renewal contract as documents: sections (terms), the PDF, the signature stamp and
// evidence page, and the final PAdES seal.
export {
  CONTRACT_VERSION,
  type ContractData,
  contractHash,
  type ContractSection,
  contractSections,
  contractText,
  type ProviderInfo,
} from "./terms.ts";
export { renderContractPdf, type RenderOptions } from "./pdf.ts";
export {
  appendCertificatePage,
  EVENT_LABELS,
  type Evidence,
  type EvidenceEvent,
  formatBrasilia,
  formatUtc,
  type SignatureStamp,
  stampSignature,
} from "./stamp.ts";
export {
  generateSelfSignedP12,
  type P12Signer,
  type SealCheck,
  type SealInfo,
  sealPdf,
  SUBFILTER,
  verifySealedPdf,
} from "./seal.ts";
