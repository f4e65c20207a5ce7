/**
 * Carnê PDF: one A4 page per invoice with the boleto (linha digitável + interleaved 2 of 5 bar
 * code at FEBRABAN size) and the PIX QR code with its copy-and-paste text.
 *
 * Fonts are DejaVu Sans embedded through fontkit so accents (João, Beneficiário) survive text
 * extraction; FONT_DIR overrides the Debian default directory.
 */
import fontkit from "@pdf-lib/fontkit";
import bwipjs from "bwip-js";
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import { BillingError } from "./errors.ts";
import { barcodeToLinhaDigits, checkBarcode, dueDateFactor, isoToDays } from "./febraban.ts";
import { parsePix } from "./pix.ts";
import { formatDate, formatDocument, formatMoney } from "../../domain/format.ts";

export interface CarneParty {
  name: string;
  /** CPF or CNPJ; digits-only values are masked for printing. */
  document: string;
  /** One string or one entry per printed line. */
  address: string | string[];
}

export interface CarneInvoice {
  /** Document number (nº do documento) as shown to the customer. */
  number: string | number;
  /** Installment index (1-based) and total, printed as "Parcela 3 de 12". */
  sequence?: number;
  total?: number;
  /** YYYY-MM-DD. */
  dueDate: string;
  amountCents: number;
  /** Optional line such as "Mensalidade internet 300 Mb — março/2027". */
  description?: string;
  boleto: { barcode: string; linha: string; nossoNumero: string };
  /** Complete BR Code (copia e cola), CRC included. */
  pixPayload: string;
}

export interface CarneOptions {
  title: string;
  beneficiary: CarneParty;
  payer: CarneParty;
  /** Printed under the PIX block, e.g. fine and interest rules. */
  instructions?: string[];
  /** Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (default: env FONT_DIR). */
  fontDir?: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const MM = 72 / 25.4;
/** FEBRABAN: narrow bar 0.254 mm (103 mm for the 44 digits), bar height 13 mm. */
const BAR_MODULE_PT = 0.254 * MM;
const BAR_HEIGHT_PT = 13 * MM;
const BAR_SCALE = 3;
const QR_SIZE_PT = 150;
const INK = rgb(0, 0, 0);
/** Bank name and compensation code with its check digit, as printed on boletos. */
const BANK_NAMES: Record<string, string> = {
  "001": "Banco do Brasil 001-9",
  "104": "Caixa 104-0",
  "237": "Bradesco 237-2",
  "341": "Itaú 341-7",
};
const GREY = rgb(0.35, 0.35, 0.35);

/** bwip-js options that its typings do not list. */
type BwipOptions = Parameters<typeof bwipjs.toBuffer>[0] & {
  barratio?: number;
  spaceratio?: number;
  eclevel?: string;
};

function defaultFontDir(): string {
  try {
    return Deno.env.get("FONT_DIR") ?? "/usr/share/fonts/truetype/dejavu";
  } catch {
    // Without --allow-env fall back to the Debian location.
    return "/usr/share/fonts/truetype/dejavu";
  }
}

async function readFont(dir: string, file: string): Promise<Uint8Array> {
  const path = `${dir.replace(/\/$/, "")}/${file}`;
  try {
    return await Deno.readFile(path);
  } catch (e) {
    throw new BillingError(
      "fontDir",
      `Fonte não encontrada em ${path} (instale fonts-dejavu-core ou defina FONT_DIR): ${
        (e as Error).message
      }`,
    );
  }
}

function docLabel(doc: string): string {
  return doc.replace(/[^0-9A-Za-z]/g, "").length === 11 ? "CPF" : "CNPJ";
}

/** Greedy word wrap; words wider than the line (the PIX code) are split by character. */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= maxWidth;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    let rest = word;
    while (!fits(rest)) {
      let n = 1;
      while (n < rest.length && fits(rest.slice(0, n + 1))) n++;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** Character wrap that keeps every character (spaces included) so the PIX code stays exact. */
export function wrapChars(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const ch of text) {
    if (line && font.widthOfTextAtSize(line + ch, size) > maxWidth) {
      lines.push(line);
      line = "";
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

function validateInvoice(inv: CarneInvoice, i: number): void {
  const at = `invoices[${i}]`;
  if (!inv || typeof inv !== "object" || !inv.boleto) {
    throw new BillingError(at, `Parcela ${i + 1}: dados do boleto ausentes.`);
  }
  isoToDays(inv.dueDate, `${at}.dueDate`);
  const barcode = String(inv.boleto.barcode ?? "");
  checkBarcode(barcode, `${at}.boleto.barcode`);
  if (String(inv.boleto.linha ?? "").replace(/\D/g, "") !== barcodeToLinhaDigits(barcode)) {
    throw new BillingError(
      `${at}.boleto.linha`,
      `Parcela ${i + 1}: a linha digitável não corresponde ao código de barras.`,
    );
  }
  if (!Number.isSafeInteger(inv.amountCents) || inv.amountCents < 0) {
    throw new BillingError(`${at}.amountCents`, `Parcela ${i + 1}: valor inválido.`);
  }
  if (Number(barcode.slice(9, 19)) !== inv.amountCents) {
    throw new BillingError(
      `${at}.amountCents`,
      `Parcela ${i + 1}: o valor não confere com o código de barras.`,
    );
  }
  const factor = barcode.slice(5, 9);
  if (factor !== "0000" && factor !== dueDateFactor(inv.dueDate)) {
    throw new BillingError(
      `${at}.dueDate`,
      `Parcela ${i + 1}: o vencimento não confere com o fator do código de barras.`,
    );
  }
  const pix = parsePix(inv.pixPayload);
  if (pix.amountCents !== undefined && pix.amountCents !== inv.amountCents) {
    throw new BillingError(
      `${at}.pixPayload`,
      `Parcela ${i + 1}: o valor do PIX não confere com o da parcela.`,
    );
  }
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Draws a labelled block and returns the y below it. */
function drawParty(
  page: PDFPage,
  fonts: Fonts,
  label: string,
  party: CarneParty,
  x: number,
  y: number,
  width: number,
): number {
  page.drawText(label, { x, y, size: 10, font: fonts.bold, color: GREY });
  y -= 15;
  for (const line of wrapText(party.name, fonts.bold, 12, width)) {
    page.drawText(line, { x, y, size: 12, font: fonts.bold, color: INK });
    y -= 15;
  }
  const doc = `${docLabel(party.document)}: ${formatDocument(party.document)}`;
  page.drawText(doc, { x, y, size: 10, font: fonts.regular, color: INK });
  y -= 13;
  const address = Array.isArray(party.address) ? party.address : [party.address];
  for (const part of address) {
    for (const line of wrapText(part, fonts.regular, 10, width)) {
      page.drawText(line, { x, y, size: 10, font: fonts.regular, color: INK });
      y -= 13;
    }
  }
  return y;
}

function drawCell(
  page: PDFPage,
  fonts: Fonts,
  label: string,
  value: string,
  x: number,
  y: number,
  width: number,
) {
  page.drawText(label, { x, y, size: 10, font: fonts.regular, color: GREY });
  // Shrink long values (a 17-digit nosso número) to the cell, never below 10 pt.
  let size = 13;
  while (size > 10 && fonts.bold.widthOfTextAtSize(value, size) > width - 8) size -= 0.5;
  page.drawText(value, { x, y: y - 16, size, font: fonts.bold, color: INK });
}

async function drawPage(
  doc: PDFDocument,
  fonts: Fonts,
  inv: CarneInvoice,
  opts: CarneOptions,
): Promise<void> {
  const page = doc.addPage(A4);
  const [pageW, pageH] = A4;
  const contentW = pageW - 2 * MARGIN;
  const x = MARGIN;
  let y = pageH - MARGIN - 16;

  for (const line of wrapText(opts.title, fonts.bold, 16, contentW)) {
    page.drawText(line, { x, y, size: 16, font: fonts.bold, color: INK });
    y -= 20;
  }
  const seq = inv.sequence
    ? `Parcela ${inv.sequence}${inv.total ? ` de ${inv.total}` : ""} · `
    : "";
  page.drawText(`${seq}Documento nº ${inv.number}`, {
    x,
    y,
    size: 11,
    font: fonts.regular,
    color: INK,
  });
  if (inv.description) {
    y -= 15;
    for (const line of wrapText(inv.description, fonts.regular, 11, contentW)) {
      page.drawText(line, { x, y, size: 11, font: fonts.regular, color: INK });
      y -= 14;
    }
    y += 14;
  }
  y -= 14;
  page.drawLine({ start: { x, y }, end: { x: pageW - MARGIN, y }, thickness: 0.8, color: GREY });
  y -= 18;

  const colW = (contentW - 20) / 2;
  const yB = drawParty(page, fonts, "Beneficiário", opts.beneficiary, x, y, colW);
  const yP = drawParty(page, fonts, "Pagador", opts.payer, x + colW + 20, y, colW);
  y = Math.min(yB, yP) - 10;
  page.drawLine({ start: { x, y }, end: { x: pageW - MARGIN, y }, thickness: 0.8, color: GREY });
  y -= 18;

  const cellW = contentW / 3;
  drawCell(page, fonts, "Vencimento", formatDate(inv.dueDate), x, y, cellW);
  drawCell(page, fonts, "Valor do documento", formatMoney(inv.amountCents), x + cellW, y, cellW);
  drawCell(page, fonts, "Nosso número", inv.boleto.nossoNumero, x + 2 * cellW, y, cellW);
  y -= 46;

  const bank = inv.boleto.barcode.slice(0, 3);
  const bankLabel = BANK_NAMES[bank] ? `${BANK_NAMES[bank]} · ` : `Banco ${bank} · `;
  page.drawText(`${bankLabel}Linha digitável`, {
    x,
    y,
    size: 10,
    font: fonts.regular,
    color: GREY,
  });
  y -= 18;
  page.drawText(inv.boleto.linha, { x, y, size: 13, font: fonts.bold, color: INK });
  y -= 18;

  const barOpts: BwipOptions = {
    bcid: "interleaved2of5",
    text: inv.boleto.barcode,
    scale: BAR_SCALE,
    height: 13,
    barratio: 3,
    spaceratio: 3,
    includetext: false,
    backgroundcolor: "FFFFFF",
  };
  const barPng = await doc.embedPng(await bwipjs.toBuffer(barOpts));
  const barW = (barPng.width / BAR_SCALE) * BAR_MODULE_PT;
  y -= BAR_HEIGHT_PT;
  // 5 mm of page white on the left is the quiet zone; the margin already gives ~15 mm.
  page.drawImage(barPng, { x, y, width: barW, height: BAR_HEIGHT_PT });
  y -= 22;

  page.drawLine({
    start: { x, y },
    end: { x: pageW - MARGIN, y },
    thickness: 0.8,
    color: GREY,
    dashArray: [4, 3],
  });
  y -= 22;

  page.drawText("Pague com PIX", { x, y, size: 13, font: fonts.bold, color: INK });
  y -= 10;
  const qrOpts: BwipOptions = {
    bcid: "qrcode",
    text: inv.pixPayload,
    scale: 4,
    eclevel: "M",
    backgroundcolor: "FFFFFF",
  };
  const qrPng = await doc.embedPng(await bwipjs.toBuffer(qrOpts));
  page.drawImage(qrPng, { x, y: y - QR_SIZE_PT, width: QR_SIZE_PT, height: QR_SIZE_PT });

  const tx = x + QR_SIZE_PT + 24;
  const tw = pageW - MARGIN - tx;
  let ty = y - 12;
  page.drawText("PIX copia e cola:", { x: tx, y: ty, size: 10, font: fonts.bold, color: INK });
  ty -= 14;
  for (const line of wrapChars(inv.pixPayload, fonts.regular, 10, tw)) {
    page.drawText(line, { x: tx, y: ty, size: 10, font: fonts.regular, color: INK });
    ty -= 13;
  }
  y = Math.min(y - QR_SIZE_PT, ty) - 20;

  for (const text of opts.instructions ?? []) {
    for (const line of wrapText(text, fonts.regular, 10, contentW)) {
      if (y < MARGIN) break;
      page.drawText(line, { x, y, size: 10, font: fonts.regular, color: INK });
      y -= 13;
    }
  }
}

/** Renders the carnê; validates every invoice first so a wrong slip is never printed. */
export async function renderCarne(
  invoices: CarneInvoice[],
  opts: CarneOptions,
): Promise<Uint8Array> {
  if (!Array.isArray(invoices) || invoices.length === 0) {
    throw new BillingError("invoices", "Informe ao menos uma parcela para o carnê.");
  }
  if (!opts?.beneficiary?.name || !opts?.payer?.name) {
    throw new BillingError("opts", "Informe beneficiário e pagador do carnê.");
  }
  invoices.forEach(validateInvoice);

  const dir = opts.fontDir ?? defaultFontDir();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fonts: Fonts = {
    regular: await doc.embedFont(await readFont(dir, "DejaVuSans.ttf"), { subset: true }),
    bold: await doc.embedFont(await readFont(dir, "DejaVuSans-Bold.ttf"), { subset: true }),
  };
  doc.setTitle(opts.title);
  doc.setLanguage("pt-BR");
  for (const inv of invoices) await drawPage(doc, fonts, inv, opts);
  return await doc.save();
}
