// Over 400 lines on purpose: the signature's steps (document, code, sign, evidence) share the
// hashes and the evidence shape that must match what the sealed PDF states.
// Electronic signature of the renewal contract, at the "avançada" level of Lei 14.063/2020:
// the personal link, the holder photo already approved, a one-time code to the confirmed phone
// or e-mail, the SHA-256 of the exact PDF shown, the signature stamped by the server into the
// PDF it rendered (never one from the browser), an evidence page and a PAdES seal.
import { priorSubmission } from "../submissions.ts";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit, type AuditAction, auditOf } from "../audit.ts";
import { type Actor } from "../../domain/actor.ts";
import { deleteBlob, getBlob, type PendingBlob, promoteBlob, putBlob } from "../blobs.ts";
import { checkCode, newCode } from "../codes.ts";
import { ConflictError, NotFoundError, RateLimitError, ValidationError } from "../errors.ts";
import { getCustomer } from "../customers.ts";
import { type Limit, stageTake } from "../rate_limit.ts";
import { stageTemplate } from "../messaging/mod.ts";
import { sha256Hex } from "../crypto.ts";
import { maskCpf, maskEmail, maskPhone } from "../../domain/format.ts";
import { finalizeSigned, renderUnsigned } from "../contract/pipeline.ts";
import { loadSigner } from "../contract/signer.ts";
import { type Evidence, verifySealedPdf } from "../contract/mod.ts";
import {
  type ContractDoc,
  getCaseEntry,
  type RenewalCase,
  transition,
  updateCase,
} from "./cases.ts";
import { contractSectionsFor } from "./contract_view.ts";
import { releaseGuess, reserveGuess } from "./code_limits.ts";
import { currentLinkToken } from "./links.ts";
import type { CustomerCtx, RenewalEnv } from "./env.ts";

export const SIGN_CODE_TTL_MS = 5 * 60_000;
export const SIGN_CODE_RESEND_MS = 60_000;
export const SIGN_CODE_SENDS: Limit = { max: 5, windowMs: 3600_000 };
const MAX_DRAWING_BYTES = 300_000;
/** The drawing's form field: its PNG as a base64 data URL (4/3 of the bytes, plus the prefix). */
export const DRAWING_FIELD_MAX = Math.ceil(MAX_DRAWING_BYTES * 1.4) + 100;

/** The part of the renewal environment (env.ts) the signing steps use. */
/** What the signing steps read of the environment (the staff verb that offers the contract too). */
export type SigningEnv = Pick<RenewalEnv, "db" | "provider" | "signingP12" | "baseUrl">;

/** Renders the contract PDF for a case and stores it; the transition that offers it commits. */
export async function prepareContractDoc(
  env: SigningEnv,
  c: RenewalCase,
): Promise<ContractDoc & Pick<PendingBlob, "pending">> {
  const { sections, version } = await contractSectionsFor(env.db, c, env.provider);
  const { pdf, sha256 } = await renderUnsigned(sections);
  const blob = await putBlob(env.db, pdf, "application/pdf", "contract_unsigned");
  return {
    blobId: blob.id,
    sha256,
    templateVersion: version,
    renderedAt: env.db.now().toISOString(),
    sections,
    pending: blob.pending, // promoted by the transition that offers it
  };
}

/** Sends the 6-digit signing code to the confirmed phone (WhatsApp) or e-mail. */
export async function sendSigningCode(
  ctx: CustomerCtx,
  caseId: string,
  channel: "whatsapp" | "email",
) {
  const { actor, ...env } = ctx;
  const entry = await getCaseEntry(env.db, caseId); // read once, written against this version
  const c = entry.value;
  // The same "send code" form twice: the code went the first time (no "wait a minute").
  if (await priorSubmission(env.db, actor, caseId)) return c;
  const customer = await getCustomer(env.db, c.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  const now = env.db.now().getTime();
  assertResendAllowed(c, now);
  const to = channel === "email" ? customer.email : customer.phones[0];
  if (!to) {
    throw new ValidationError({
      channel: "Não há e-mail no seu cadastro. Peça o código pelo WhatsApp.",
    });
  }
  const toMasked = channel === "email" ? maskEmail(to) : maskPhone(to);
  const { code, pending } = await newCode(`${caseId}:sign`, now, SIGN_CODE_TTL_MS);
  try {
    return await updateCase(env.db, {
      caseId,
      actor,
      action: "sign.code_sent",
      entry,
      allowedSteps: ["signature_sent"],
      auditData: { channel, to: toMasked },
      apply: async (next, op, prev) => {
        // Checked again on the version this atomic commits over: a double tap whose twin
        // committed meanwhile must not replace the code that is on its way.
        assertResendAllowed(prev, now);
        // Charged in this atomic: a refused step or a repeated form costs no send.
        await stageTake(
          env.db,
          op,
          [{ scope: "sign_code", subject: caseId, limit: SIGN_CODE_SENDS }],
          () => "Muitos códigos pedidos. Tente de novo em uma hora ou fale com a operadora.",
        );
        next.signCode = { ...pending, channel, toMasked };
        await stageTemplate(env.db, op, {
          caseId,
          channel,
          template: "sign_code",
          to,
          vars: { codigo: code },
        });
      },
    });
  } catch (e) {
    // Lost the race to the twin request: answer as a resend within the minute would.
    if (e instanceof ConflictError) {
      assertResendAllowed((await getCaseEntry(env.db, caseId)).value, now);
    }
    throw e;
  }
}

function assertResendAllowed(c: RenewalCase, now: number) {
  if (c.signCode && now - c.signCode.sentAt < SIGN_CODE_RESEND_MS) {
    throw new RateLimitError(
      Math.max(1, Math.ceil((c.signCode.sentAt + SIGN_CODE_RESEND_MS - now) / 1000)),
      "Aguarde um minuto antes de pedir outro código.",
    );
  }
}

export interface SignInput {
  code: string;
  typedName: string;
  consent: boolean;
  documentSha256: string;
  drawnSignature?: string;
  ip: string;
  userAgent: string;
}

function foldName(s: string) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ")
    .trim();
}

function decodeDrawing(dataUrl: string | undefined): Uint8Array | undefined {
  if (!dataUrl) return undefined;
  const m = dataUrl.match(/^data:image\/png;base64,([A-Za-z0-9+/=]+)$/);
  if (!m || m[1].length > MAX_DRAWING_BYTES * 1.4) return undefined;
  const bytes = Uint8Array.from(atob(m[1]), (ch) => ch.charCodeAt(0));
  return bytes[0] === 0x89 && bytes[1] === 0x50 ? bytes : undefined;
}

/**
 * The audit events printed on the signed contract's evidence page, with their pt-BR labels.
 * Keyed by the audit vocabulary (services/audit.ts): a misspelled action does not compile, so
 * no event can silently drop out of the legal evidence.
 */
export const EVIDENCE_LABELS: { readonly [A in AuditAction]?: string } = {
  "case.opened": "Renovação aberta",
  "link.sent": "Link pessoal enviado",
  choose_plan: "Plano escolhido com aceite da fidelidade",
  upload_photo: "Foto com documento enviada",
  approve_photo: "Titularidade verificada (foto aprovada)",
  confirm_data: "Contatos confirmados",
  send_signature: "Contrato enviado para assinatura",
  "contract.viewed": "Contrato visualizado",
  "sign.code_sent": "Código de assinatura enviado",
  "sign.code_refused": "Código de assinatura recusado",
  "sign.code_accepted": "Código de assinatura aceito",
  sign: "Contrato assinado",
};

/** Signs: checks the code, name and consent, stamps + evidence + seal, then one transition. */
export async function signContract(
  ctx: CustomerCtx,
  caseId: string,
  input: SignInput,
  rev?: number,
) {
  const { actor, ...env } = ctx;
  const entry = await getCaseEntry(env.db, caseId);
  const c = entry.value;
  // Signing twice (double tap, retry) is harmless: the first signature stands.
  if (c.signature && c.signature.documentSha256 === input.documentSha256) {
    return { case: c, changed: false };
  }
  if (c.step !== "signature_sent" || !c.contractDoc) {
    throw new ConflictError("Este contrato não está aguardando assinatura. Recarregue a página.");
  }
  const customer = await getCustomer(env.db, c.customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  const f: Record<string, string> = {};
  if (foldName(input.typedName) !== foldName(customer.name)) {
    f.typedName = "Digite seu nome completo exatamente como aparece no contrato.";
  }
  if (!input.consent) f.consent = "Marque que você leu e concorda com o contrato.";
  if (input.documentSha256 !== c.contractDoc.sha256) {
    f.document =
      "O contrato mudou desde que você abriu a página. Leia a versão atual antes de assinar.";
  }
  if (!c.signCode) f.code = "Peça o código de assinatura primeiro.";
  if (Object.keys(f).length) throw new ValidationError(f);

  const now = env.db.now();
  // Wrong guesses are counted per case, so a new code does not buy new ones; the guess is
  // reserved before the comparison, so a parallel burst cannot compare past the limit.
  const exhausted = await reserveGuess(env.db, caseId, "sign");
  if (exhausted) throw new ValidationError({ code: exhausted });
  const result = await checkCode(c.signCode!, input.code.trim(), `${caseId}:sign`, now.getTime());
  if (result !== "wrong") await releaseGuess(env.db, caseId, "sign");
  if (result !== "ok") {
    await updateCase(env.db, {
      caseId,
      actor,
      action: "sign.code_refused",
      allowedSteps: ["signature_sent"],
      answersSubmission: false,
      auditData: { result },
      apply: (next) => {
        next.signCode = { ...next.signCode!, attempts: next.signCode!.attempts + 1 };
      },
    });
    throw new ValidationError({
      code: result === "wrong"
        ? "Código incorreto. Confira a mensagem e tente de novo."
        : result === "expired"
        ? "Este código expirou. Peça um novo."
        : "Tentativas esgotadas. Peça um novo código.",
    });
  }

  // Evidence: the case's own audit trail plus the two events this request adds.
  const signedAt = now.toISOString();
  const trail = (await auditOf(env.db, `case:${caseId}`, 500)).filter((e) =>
    EVIDENCE_LABELS[e.action] !== undefined
  );
  const events = [
    ...trail.map((e) => ({
      action: e.action,
      label: EVIDENCE_LABELS[e.action],
      at: e.at,
      ip: e.actor.ip,
      userAgent: e.actor.userAgent,
    })),
    {
      action: "sign.code_accepted",
      label: EVIDENCE_LABELS["sign.code_accepted"],
      at: signedAt,
      ip: input.ip,
      userAgent: input.userAgent,
    },
    {
      action: "sign",
      label: EVIDENCE_LABELS.sign,
      at: signedAt,
      ip: input.ip,
      userAgent: input.userAgent,
    },
  ];
  const signatureId = ulid();
  const evidence: Evidence = {
    documentSha256: c.contractDoc.sha256,
    contractVersion: c.contractDoc.templateVersion,
    caseId,
    signer: {
      name: customer.name,
      cpf: customer.cpf,
      phone: c.signCode!.channel === "whatsapp" ? c.signCode!.toMasked : undefined,
      email: c.signCode!.channel === "email" ? c.signCode!.toMasked : undefined,
    },
    signedAt,
    holderPhoto: c.photo?.status === "approved"
      ? { approvedBy: c.photo.reviewedBy!, approvedAt: c.photo.reviewedAt! }
      : null,
    events,
  };
  const unsigned = await getBlob(env.db, c.contractDoc.blobId);
  if (unsigned.meta.sha256 !== c.contractDoc.sha256) {
    throw new Error("stored contract does not match its hash");
  }
  const signer = await loadSigner(env.db, env.signingP12, {
    name: env.provider.name,
    cnpj: env.provider.cnpj,
  });
  const drawing = decodeDrawing(input.drawnSignature);
  const final = await finalizeSigned({
    unsignedPdf: unsigned.data,
    typedName: input.typedName.trim(),
    signedAt,
    drawnSignaturePng: drawing,
    evidence,
    verifyUrl: `${env.baseUrl}/verificar/${signatureId}`,
    signer,
    location: `${customer.address.city}/${customer.address.state}`,
    providerName: env.provider.name,
  });
  const blob = await putBlob(env.db, final.pdf, "application/pdf", "contract_signed");
  try {
    const r = await transition(env.db, {
      caseId,
      action: "sign",
      actor,
      rev,
      payload: { documentSha256: c.contractDoc.sha256 },
      auditData: {
        documentSha256: c.contractDoc.sha256,
        finalSha256: final.sha256,
        ip: input.ip,
        userAgent: input.userAgent,
      },
      apply: async (next, op) => {
        promoteBlob(op, blob);
        addAudit(env.db, op, `case:${caseId}`, "sign.code_accepted", actor, {
          channel: c.signCode!.channel,
        });
        next.signCode = undefined;
        next.signature = {
          at: signedAt,
          typedName: input.typedName.trim(),
          ip: input.ip,
          userAgent: input.userAgent.slice(0, 300),
          documentSha256: c.contractDoc!.sha256,
          signedBlobId: blob.id,
          finalSha256: final.sha256,
          signatureId,
          drawn: !!drawing,
        };
        const record: SignedContractRecord = {
          id: signatureId,
          caseId,
          signedAt,
          maskedName: maskName(customer.name),
          maskedCpf: maskCpf(customer.cpf),
          documentSha256: c.contractDoc!.sha256,
          finalSha256: final.sha256,
        };
        op.check({ key: keys.signedContract(signatureId), versionstamp: null })
          .set(keys.signedContract(signatureId), record)
          .set(keys.signedContractBySha(final.sha256), signatureId);
        const token = await currentLinkToken(env.db, next);
        // The customer gets the signed contract at once (ANATEL): by e-mail, or by WhatsApp
        // when the record has no e-mail (imported customers may lack one).
        await stageTemplate(env.db, op, {
          caseId,
          channel: customer.email ? "email" : "whatsapp",
          template: "signed_contract",
          to: customer.email || customer.phones[0],
          vars: {
            nome: customer.name.split(" ")[0],
            link: `${env.baseUrl}/r/${token}`,
            sha256: final.sha256,
            verificacao: `${env.baseUrl}/verificar/${signatureId}`,
          },
        });
      },
    });
    // The same form signed at once twice: the first signature stands, this file goes.
    if (!r.changed) await deleteBlob(env.db, blob.id);
    return r;
  } catch (e) {
    await deleteBlob(env.db, blob.id); // the step failed: its file goes with it
    throw e;
  }
}

export interface SignedContractRecord {
  id: string;
  caseId: string;
  signedAt: string;
  maskedName: string;
  maskedCpf: string;
  documentSha256: string;
  finalSha256: string;
}

function maskName(name: string): string {
  const parts = name.split(" ");
  return parts.map((p, i) => (i === 0 ? p : `${p[0]}.`)).join(" ");
}

export async function getSignedContract(db: Db, id: string): Promise<SignedContractRecord | null> {
  if (!/^[0-9A-Z]{26}$/.test(id)) return null;
  return (await db.kv.get<SignedContractRecord>(keys.signedContract(id))).value;
}

export type Verification =
  | { verified: true; record: SignedContractRecord; signer: string }
  | { verified: false; reason: string };

/** /verificar: is this file a contract sealed here, unchanged? Never throws for bad files. */
export async function verifyContractFile(db: Db, bytes: Uint8Array): Promise<Verification> {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 5)) !== "%PDF-") {
    return { verified: false, reason: "O arquivo enviado não é um PDF." };
  }
  const sha = await sha256Hex(bytes);
  const id = (await db.kv.get<string>(keys.signedContractBySha(sha))).value;
  const record = id ? await getSignedContract(db, id) : null;
  if (!record) {
    return {
      verified: false,
      reason:
        "Este arquivo não corresponde a nenhum contrato assinado por este sistema (ou foi alterado depois da assinatura).",
    };
  }
  try {
    const check = await verifySealedPdf(bytes);
    if (!check.digestMatches || !check.signatureValid || !check.byteRangeCoversAllButContents) {
      return { verified: false, reason: "O selo digital do arquivo não confere." };
    }
    return { verified: true, record, signer: check.signerCommonName };
  } catch {
    return { verified: false, reason: "O selo digital do arquivo não pôde ser lido." };
  }
}

/** The unsigned (before signing) or signed PDF of a case, for download. */
export async function contractFileOf(
  db: Db,
  c: RenewalCase,
  which: "current" | "signed" = "current",
) {
  const blobId = c.signature?.signedBlobId ??
    (which === "current" ? c.contractDoc?.blobId : undefined);
  if (!blobId) throw new NotFoundError("Contrato ainda não disponível.");
  return await getBlob(db, blobId);
}

/** Evidence that the customer opened the contract (page or PDF). No version bump: the open
 * pages must not reload because somebody read the contract. */
export async function recordContractViewed(
  db: Db,
  actor: Actor,
  caseId: string,
  how: "page" | "pdf",
) {
  const op = db.kv.atomic();
  addAudit(db, op, `case:${caseId}`, "contract.viewed", actor, { how });
  await op.commit();
}
