/**
 * After the customer signs: the signature block drawn on the last contract page, and the
 * evidence page ("Certificado de assinatura") appended before the final seal (seal.ts).
 */
import bwipjs from "bwip-js";
import {
  fill,
  PDFDocument,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
} from "pdf-lib";
import { formatDateTimeSeconds, maskCpf, maskEmail, maskPhone } from "../../domain/format.ts";
import {
  A4,
  CONTENT_BOTTOM,
  drawFooter,
  embedFonts,
  Flow,
  type Fonts,
  getFreeY,
  GREY,
  INK,
  MARGIN,
  setFreeY,
  SIGNATURE_BLOCK_HEIGHT,
  wrapText,
} from "./pdf.ts";

/** One audit event shown on the certificate. */
export interface EvidenceEvent {
  /** Audit action code, e.g. "sign"; printed in pt-BR through EVENT_LABELS. */
  action: string;
  /** pt-BR name to print instead (for codes not in EVENT_LABELS). */
  label?: string;
  /** ISO 8601 instant. */
  at: string;
  ip?: string;
  userAgent?: string;
}

/** Everything the certificate page shows; plain JSON so it can be stored with the case. */
export interface Evidence {
  /** SHA-256 (64 hex digits) of the document as presented, before signing. */
  documentSha256: string;
  contractVersion: string;
  caseId?: string;
  /** Raw or already masked values; raw ones are masked when printed (LGPD). */
  signer: { name: string; cpf: string; phone?: string; email?: string };
  /** ISO 8601 instant of the signature. */
  signedAt: string;
  /** Holder check by photo with ID; null when none was recorded. */
  holderPhoto: { approvedBy: string; approvedAt: string } | null;
  events: EvidenceEvent[];
}

export interface SignatureStamp {
  typedName: string;
  /** ISO 8601 instant; printed in Brasília time. */
  signedAt: string;
  drawnSignaturePng?: Uint8Array;
}

/** pt-BR names of the audit actions that appear on a signature certificate. */
export const EVENT_LABELS: Record<string, string> = {
  "case.opened": "Caso de renovação aberto",
  contact_answered: "Contato atendido",
  choose_plan: "Plano escolhido",
  change_plan: "Plano alterado",
  upload_photo: "Foto com documento enviada",
  approve_photo: "Foto com documento aprovada",
  reject_photo: "Foto com documento recusada",
  confirm_data: "Dados confirmados pelo cliente",
  send_signature: "Link de assinatura enviado",
  link_opened: "Link de assinatura aberto",
  contract_viewed: "Contrato visualizado",
  sign: "Contrato assinado",
  register: "Contrato registrado",
  notify: "Cliente notificado",
};

/** bwip-js options missing from its typings. */
type BwipOptions = Parameters<typeof bwipjs.toBuffer>[0] & { eclevel?: string };

const SIGN_IMAGE_W = 220;
const SIGN_IMAGE_H = 60;
const NOTE_FILL = rgb(1, 0.96, 0.8);
const NOTE_BORDER = rgb(0.85, 0.65, 0.1);
const QR_SIZE = 110;

function parseInstant(iso: string, field: string): Date {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) throw new Error(`Data inválida em ${field}: "${iso}".`);
  return d;
}

/** "05/03/2026 às 11:07:33" in America/Sao_Paulo, whatever the server's zone. */
export function formatBrasilia(iso: string): string {
  return formatDateTimeSeconds(parseInstant(iso, "signedAt"));
}

/** "05/03/2026 14:07:33 UTC". */
export function formatUtc(iso: string): string {
  const d = parseInstant(iso, "evento");
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** Masks unless the caller already did (a "*" means masked). */
const masked = (v: string | undefined, mask: (s: string) => string) =>
  !v ? "não informado" : v.includes("*") ? v : mask(v);

/**
 * Draws the signature block on the last contract page (the one renderContractPdf marked), or
 * on a new page right after it when there is no room or the PDF carries no mark.
 */
export async function stampSignature(
  pdf: Uint8Array,
  s: SignatureStamp,
  opts: { fontDir?: string } = {},
): Promise<Uint8Array> {
  if (!s.typedName?.trim()) throw new Error("Informe o nome digitado pelo signatário.");
  const doc = await PDFDocument.load(pdf);
  await drawSignatureBlock(doc, await embedFonts(doc, opts.fontDir), s);
  return await doc.save();
}

/**
 * stampSignature on an open document: the pipeline stamps, appends the certificate and seals
 * one loaded document, saved once (each load/save re-parsed and re-deflated the whole file).
 */
export async function drawSignatureBlock(doc: PDFDocument, fonts: Fonts, s: SignatureStamp) {
  if (!s.typedName?.trim()) throw new Error("Informe o nome digitado pelo signatário.");
  const when = formatBrasilia(s.signedAt);
  const pages = doc.getPages();

  let index = pages.length - 1;
  while (index >= 0 && getFreeY(pages[index]) === undefined) index--;
  let page: PDFPage;
  let y: number;
  const freeY = index >= 0 ? getFreeY(pages[index])! : -Infinity;
  if (freeY - SIGNATURE_BLOCK_HEIGHT >= CONTENT_BOTTOM) {
    page = pages[index];
    y = freeY;
  } else {
    // No room (or a PDF we did not render): a page of its own, right after the contract.
    index = index >= 0 ? index + 1 : pages.length;
    page = doc.insertPage(index, A4);
    y = page.getHeight() - MARGIN;
    drawFooter(page, fonts, doc.getTitle() ?? "", "Página de assinatura");
  }

  const image = s.drawnSignaturePng ? await doc.embedPng(s.drawnSignaturePng) : undefined;
  y -= 16;
  page.drawText("Assinatura eletrônica do CONTRATANTE", {
    x: MARGIN,
    y,
    size: 11,
    font: fonts.bold,
    color: INK,
  });
  if (image) {
    const k = Math.min(SIGN_IMAGE_W / image.width, SIGN_IMAGE_H / image.height, 1);
    y -= 6 + SIGN_IMAGE_H;
    page.drawImage(image, {
      x: MARGIN,
      y: y + (SIGN_IMAGE_H - image.height * k) / 2,
      width: image.width * k,
      height: image.height * k,
    });
  } else {
    y -= 30;
  }
  y -= 4;
  page.drawLine({
    start: { x: MARGIN, y },
    end: { x: MARGIN + 260, y },
    thickness: 0.7,
    color: INK,
  });
  y -= 16;
  page.drawText(s.typedName.trim(), { x: MARGIN, y, size: 12, font: fonts.bold, color: INK });
  y -= 15;
  page.drawText(`Assinado eletronicamente em ${when} (horário de Brasília).`, {
    x: MARGIN,
    y,
    size: 10,
    font: fonts.regular,
    color: INK,
  });
  y -= 13;
  page.drawText("Os registros da assinatura estão no certificado anexo a este documento.", {
    x: MARGIN,
    y,
    size: 9,
    font: fonts.regular,
    color: GREY,
  });
  setFreeY(page, y - 10);
}

/**
 * The QR code as vector squares (one rectangle per run of dark modules, one fill): a PNG took
 * bwip-js's rasterizer, a deflate and pdf-lib's PNG decode, most of the certificate's cost.
 */
function drawQr(page: PDFPage, text: string, x: number, y: number) {
  const [sym] = bwipjs.raw("qrcode", text, { eclevel: "M" } as BwipOptions) as {
    pixs: number[];
    pixx: number;
    pixy: number;
  }[];
  const m = QR_SIZE / Math.max(sym.pixx, sym.pixy);
  const ops = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let r = 0; r < sym.pixy; r++) {
    for (let c = 0; c < sym.pixx;) {
      if (!sym.pixs[r * sym.pixx + c]) {
        c++;
        continue;
      }
      let end = c;
      while (end < sym.pixx && sym.pixs[r * sym.pixx + end]) end++;
      ops.push(rectangle(x + c * m, y + QR_SIZE - (r + 1) * m, (end - c) * m, m));
      c = end;
    }
  }
  page.pushOperators(...ops, fill(), popGraphicsState());
}

/** A shaded box with wrapped text (the self-signed warning). */
function drawNote(flow: Flow, text: string) {
  const size = 10;
  const leading = 13;
  const lines = wrapText(text, flow.fonts.bold, size, flow.width - 16);
  const h = lines.length * leading + 12;
  flow.ensure(h);
  flow.page.drawRectangle({
    x: MARGIN,
    y: flow.y - h,
    width: flow.width,
    height: h,
    color: NOTE_FILL,
    borderColor: NOTE_BORDER,
    borderWidth: 0.8,
  });
  let y = flow.y - 6;
  for (const line of lines) {
    y -= leading;
    flow.page.drawText(line, { x: MARGIN + 8, y: y + 3, size, font: flow.fonts.bold, color: INK });
  }
  flow.y -= h + 10;
}

function heading(flow: Flow, text: string) {
  flow.ensure(40);
  flow.gap(8);
  flow.text(text, { size: 12, bold: true, leading: 18 });
}

const line = (flow: Flow, text: string, o: { bold?: boolean; indent?: number } = {}) =>
  flow.text(text, { size: 10, leading: 14, ...o });

/** Appends the evidence page(s) with a QR code to `verifyUrl`. */
export async function appendCertificatePage(
  pdf: Uint8Array,
  evidence: Evidence,
  opts: { verifyUrl: string; selfSigned: boolean; fontDir?: string },
): Promise<Uint8Array> {
  checkEvidence(evidence, opts.verifyUrl);
  const doc = await PDFDocument.load(pdf);
  drawCertificate(doc, await embedFonts(doc, opts.fontDir), evidence, opts);
  return await doc.save();
}

function checkEvidence(evidence: Evidence, verifyUrl: string) {
  if (!/^[0-9a-f]{64}$/i.test(evidence.documentSha256)) {
    throw new Error("documentSha256 deve ter 64 dígitos hexadecimais (SHA-256).");
  }
  if (!verifyUrl) throw new Error("Informe o endereço de verificação.");
}

/** appendCertificatePage on an open document (see drawSignatureBlock). */
export function drawCertificate(
  doc: PDFDocument,
  fonts: Fonts,
  evidence: Evidence,
  opts: { verifyUrl: string; selfSigned: boolean },
) {
  checkEvidence(evidence, opts.verifyUrl);
  const title = doc.getTitle() ?? "";
  const first = doc.getPageCount();

  const flow = new Flow(doc, fonts);
  const top = flow.y;
  drawQr(flow.page, opts.verifyUrl, flow.page.getWidth() - MARGIN - QR_SIZE, top - QR_SIZE);
  const beside = flow.width - QR_SIZE - 16;
  flow.text("Certificado de assinatura", { size: 16, bold: true, leading: 22, width: beside });
  if (title) flow.text(`Documento: ${title}`, { size: 10, leading: 14, width: beside });
  flow.gap(4);
  flow.text("Verificação online: aponte a câmera para o código ao lado ou acesse", {
    size: 9,
    leading: 12,
    width: beside,
    color: GREY,
  });
  flow.text(opts.verifyUrl, { size: 9, leading: 12, width: beside });
  flow.y = Math.min(flow.y, top - QR_SIZE) - 14;

  if (opts.selfSigned) {
    drawNote(
      flow,
      "Atenção: o selo digital deste PDF usa um certificado autoassinado de demonstração, " +
        "que não pertence à ICP-Brasil. Ele mostra se o arquivo foi alterado depois do selo, " +
        "mas não comprova a identidade da empresa perante terceiros.",
    );
  }

  heading(flow, "Documento");
  line(flow, "Resumo SHA-256 do documento antes da assinatura:");
  line(flow, evidence.documentSha256.toLowerCase(), { bold: true });
  line(flow, `Versão do contrato: ${evidence.contractVersion}`);
  if (evidence.caseId) line(flow, `Identificador do caso: ${evidence.caseId}`);

  heading(flow, "Signatário");
  const sg = evidence.signer;
  line(flow, `Nome: ${sg.name}`);
  line(flow, `CPF: ${masked(sg.cpf, maskCpf)}`);
  line(flow, `Telefone: ${masked(sg.phone, maskPhone)}`);
  line(flow, `E-mail: ${masked(sg.email, maskEmail)}`);
  line(
    flow,
    `Assinado em: ${formatUtc(evidence.signedAt)} (${
      formatBrasilia(evidence.signedAt)
    }, horário de Brasília)`,
  );

  heading(flow, "Verificação de titularidade (foto com documento)");
  const hp = evidence.holderPhoto;
  line(
    flow,
    hp
      ? `Foto com documento aprovada por ${hp.approvedBy} em ${formatUtc(hp.approvedAt)}.`
      : "Nenhuma verificação por foto foi registrada.",
  );

  heading(flow, "Registro de eventos (horários em UTC)");
  for (const ev of evidence.events) {
    flow.ensure(46);
    const name = ev.label ?? EVENT_LABELS[ev.action] ?? ev.action;
    line(flow, `${formatUtc(ev.at)} — ${name}`, { bold: true });
    line(flow, `IP: ${ev.ip || "não registrado"}`, { indent: 12 });
    line(flow, `Navegador: ${ev.userAgent || "não registrado"}`, { indent: 12 });
    flow.gap(4);
  }

  const added = doc.getPages().slice(first);
  added.forEach((page, i) =>
    drawFooter(
      page,
      fonts,
      title,
      added.length > 1
        ? `Certificado de assinatura — folha ${i + 1} de ${added.length}`
        : "Certificado de assinatura",
    )
  );
}
