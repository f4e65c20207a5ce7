// Over 400 lines on purpose: one renderer whose layout state (fonts, width cache, cursor) the
// section, table and footer drawers share; split, they would pass it around in every call.
/**
 * Contract PDF: renders the very sections the web page shows (terms.ts) on A4, with DejaVu Sans
 * embedded so every accent survives text extraction. The fine table is drawn as a real table.
 *
 * The renderer records, in the last page's dictionary, how far down the text went, and keeps
 * room for the signature block there, so stamp.ts can sign on the last contract page.
 */
import "./deflate.ts"; // before pdf-lib saves anything: native stream compression
import fontkit from "@pdf-lib/fontkit";
import {
  PDFDocument,
  type PDFFont,
  PDFName,
  PDFNumber,
  type PDFPage,
  type RGB,
  rgb,
} from "pdf-lib";
import type { ContractSection } from "./terms.ts";

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 56;
/** Lowest baseline for body text: below it sits the footer. */
export const CONTENT_BOTTOM = 64;
/** Vertical room the signature block needs (see stamp.ts). */
export const SIGNATURE_BLOCK_HEIGHT = 150;
/** Page-dictionary key holding the y where free space starts on a contract page. */
export const FREE_Y_KEY = "RenovaFreeY";
export const INK = rgb(0, 0, 0);
export const GREY = rgb(0.38, 0.38, 0.38);
const LINE_GREY = rgb(0.6, 0.6, 0.6);
const HEAD_FILL = rgb(0.9, 0.9, 0.9);

const BODY_SIZE = 12;
const BODY_LEADING = 16;
const TITLE_SIZE = 13;
const DOC_TITLE_SIZE = 16;
const FOOTER_SIZE = 9;
const TABLE_SIZE = 11;
const CELL_PAD = 4;

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface RenderOptions {
  /** Document title: first heading and footer line. */
  title: string;
  /** Directory with DejaVuSans.ttf and DejaVuSans-Bold.ttf. */
  fontDir?: string;
}

export function defaultFontDir(): string {
  try {
    return Deno.env.get("FONT_DIR") ?? "/usr/share/fonts/truetype/dejavu";
  } catch {
    // Without --allow-env, fall back to the Debian location.
    return "/usr/share/fonts/truetype/dejavu";
  }
}

// Font programs are read and parsed once per process: fontkit's parse of DejaVu (~700 KB) cost
// more than the whole rest of a contract when it ran six times per signed contract. Each
// document still gets its own subset (only the glyphs it uses).
const fontFiles = new Map<string, Promise<Uint8Array>>();
const parsedFonts = new WeakMap<Uint8Array, unknown>();
const sharedFontkit = {
  create(data: Uint8Array) {
    let font = parsedFonts.get(data);
    if (!font) {
      font = shapeByWord(fontkit.create(data) as unknown as Shaper);
      parsedFonts.set(data, font);
    }
    return font;
  },
} as unknown as typeof fontkit;

// fontkit shapes every drawn string in full (GSUB/GPOS lookups over each glyph): most of a
// contract's CPU. pdf-lib reads only the glyphs of a layout (widths are glyph advances, kerning
// is not drawn), and no DejaVu substitution crosses a space, so a line's glyphs are its words'
// glyphs joined by the space glyph: each distinct word is shaped once per process.
interface Shaper {
  layout(text: string, features?: unknown): { glyphs: unknown[] };
}
const SHAPED_WORDS_MAX = 20_000;

function shapeByWord(font: Shaper): Shaper {
  const words = new Map<string, unknown[]>();
  const shape = (w: string) => {
    let g = words.get(w);
    if (!g) {
      g = Object.getPrototypeOf(font).layout.call(font, w).glyphs as unknown[];
      if (words.size >= SHAPED_WORDS_MAX) words.clear(); // names, hashes: memory stays bounded
      words.set(w, g);
    }
    return g;
  };
  font.layout = (text: string, features?: unknown) => {
    if (features !== undefined) {
      return Object.getPrototypeOf(font).layout.call(font, text, features);
    }
    const parts = text.split(" ");
    if (parts.length === 1) return { glyphs: shape(text) };
    const space = shape(" ");
    const glyphs: unknown[] = [];
    parts.forEach((w, i) => {
      if (i) glyphs.push(...space);
      if (w) glyphs.push(...shape(w));
    });
    return { glyphs };
  };
  return font;
}

function readFont(path: string): Promise<Uint8Array> {
  let p = fontFiles.get(path);
  if (!p) {
    p = Deno.readFile(path).catch((e) => {
      fontFiles.delete(path); // a font installed later is picked up on the next call
      throw new Error(
        `Fonte não encontrada em ${path} (instale fonts-dejavu-core ou defina FONT_DIR): ${
          (e as Error).message
        }`,
      );
    });
    fontFiles.set(path, p);
  }
  return p;
}

/** Embeds DejaVu Sans regular and bold (subset: only the glyphs used end up in the file). */
export async function embedFonts(doc: PDFDocument, fontDir?: string): Promise<Fonts> {
  const dir = (fontDir ?? defaultFontDir()).replace(/\/$/, "");
  const [regular, bold] = await Promise.all([
    readFont(`${dir}/DejaVuSans.ttf`),
    readFont(`${dir}/DejaVuSans-Bold.ttf`),
  ]);
  doc.registerFontkit(sharedFontkit);
  return {
    regular: await doc.embedFont(regular, { subset: true }),
    bold: await doc.embedFont(bold, { subset: true }),
  };
}

// Word widths at size 1, per parsed font program (shared by every document). pdf-lib measures
// a string by running fontkit's full layout over it; word wrap asked that for every growing
// candidate line (quadratic in the paragraph). A line's width is the sum of its glyph
// advances, so words are measured once and lines are summed.
const wordWidths = new WeakMap<object, Map<string, number>>();
const WORD_CACHE_MAX = 20_000;

/** Width of `text` at `size`, memoized per font program and string. */
export function textWidth(font: PDFFont, text: string, size: number): number {
  const program = (font as unknown as { embedder: { font?: object } }).embedder.font ?? font;
  let m = wordWidths.get(program);
  if (!m) wordWidths.set(program, m = new Map());
  let w = m.get(text);
  if (w === undefined) {
    w = font.widthOfTextAtSize(text, 1);
    if (m.size >= WORD_CACHE_MAX) m.clear(); // names, e-mails, hashes: keep memory bounded
    m.set(text, w);
  }
  return w * size;
}

/** Splits a word wider than `width` into pieces that fit (e-mails, hashes, user agents). */
function breakWord(word: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of word) {
    if (cur && font.widthOfTextAtSize(cur + ch, size) > width) {
      out.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** Tokens that must not end a line: "R$ 600,00", "§ 2º", "nº 765" stay together. */
const STICKY = /^(R\$|§|nº|art\.)$/;

function glue(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(
      STICKY.test(words[i]) && i + 1 < words.length ? `${words[i]} ${words[++i]}` : words[i],
    );
  }
  return out;
}

/** Greedy word wrap; explicit newlines start new lines. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const space = textWidth(font, " ", size);
  for (const para of text.split("\n")) {
    let line = "";
    let lineW = 0;
    for (const word of glue(para.split(/\s+/).filter(Boolean))) {
      const wordW = textWidth(font, word, size);
      const candidateW = line ? lineW + space + wordW : wordW;
      if (candidateW <= width) {
        line = line ? `${line} ${word}` : word;
        lineW = candidateW;
        continue;
      }
      if (line) lines.push(line);
      if (wordW <= width) {
        line = word;
        lineW = wordW;
        continue;
      }
      const pieces = breakWord(word, font, size, width);
      line = pieces.pop() ?? "";
      lineW = textWidth(font, line, size);
      lines.push(...pieces);
    }
    lines.push(line);
  }
  return lines;
}

/** Cuts `text` with an ellipsis so it fits `width`. */
export function fitText(text: string, font: PDFFont, size: number, width: number): string {
  if (textWidth(font, text, size) <= width) return text;
  let s = text;
  while (s.length > 1 && textWidth(font, s + "…", size) > width) s = s.slice(0, -1);
  return s + "…";
}

/** Footer: a rule, the title on the left and `right` (e.g. "Página 1 de 3") on the right. */
export function drawFooter(page: PDFPage, fonts: Fonts, title: string, right: string) {
  const { width } = page.getSize();
  const y = 34;
  page.drawLine({
    start: { x: MARGIN, y: y + 12 },
    end: { x: width - MARGIN, y: y + 12 },
    thickness: 0.5,
    color: LINE_GREY,
  });
  const rightW = textWidth(fonts.regular, right, FOOTER_SIZE);
  const titleW = width - 2 * MARGIN - rightW - 16;
  page.drawText(fitText(title, fonts.regular, FOOTER_SIZE, titleW), {
    x: MARGIN,
    y,
    size: FOOTER_SIZE,
    font: fonts.regular,
    color: GREY,
  });
  page.drawText(right, {
    x: width - MARGIN - rightW,
    y,
    size: FOOTER_SIZE,
    font: fonts.regular,
    color: GREY,
  });
}

export function setFreeY(page: PDFPage, y: number) {
  page.node.set(PDFName.of(FREE_Y_KEY), PDFNumber.of(Math.floor(y)));
}

export function getFreeY(page: PDFPage): number | undefined {
  const v = page.node.lookupMaybe(PDFName.of(FREE_Y_KEY), PDFNumber);
  return v?.asNumber();
}

/** A cursor that writes top-down and opens a new A4 page when the next block does not fit. */
export class Flow {
  page: PDFPage;
  y: number;
  readonly width: number;

  constructor(readonly doc: PDFDocument, readonly fonts: Fonts, page?: PDFPage) {
    this.page = page ?? doc.addPage(A4);
    this.y = this.page.getHeight() - MARGIN;
    this.width = this.page.getWidth() - 2 * MARGIN;
  }

  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  /** Guarantees `h` points below the cursor, breaking the page if needed. */
  ensure(h: number) {
    if (this.y - h < CONTENT_BOTTOM) this.newPage();
  }

  /** Wrapped text; lines flow across pages one by one. */
  text(
    text: string,
    o: {
      size?: number;
      bold?: boolean;
      color?: RGB;
      indent?: number;
      leading?: number;
      /** Narrower column than the page (e.g. beside an image). */
      width?: number;
    } = {},
  ) {
    const size = o.size ?? BODY_SIZE;
    const leading = o.leading ?? size * 1.33;
    const font = o.bold ? this.fonts.bold : this.fonts.regular;
    const indent = o.indent ?? 0;
    for (const line of wrapText(text, font, size, (o.width ?? this.width) - indent)) {
      this.ensure(leading);
      this.y -= leading;
      this.page.drawText(line, {
        x: MARGIN + indent,
        y: this.y + (leading - size) * 0.6,
        size,
        font,
        color: o.color ?? INK,
      });
    }
  }

  gap(h: number) {
    this.y -= h;
  }
}

/** Draws a table with a shaded header row, repeated after a page break. */
function drawTable(flow: Flow, table: { head: string[]; rows: string[][] }) {
  const { fonts } = flow;
  const cols = table.head.length;
  // Columns sized by their widest cell, spread to at most the content width.
  const natural = table.head.map((h, i) =>
    Math.max(
      textWidth(fonts.bold, h, TABLE_SIZE),
      ...table.rows.map((r) => textWidth(fonts.regular, r[i] ?? "", TABLE_SIZE)),
    ) + 2 * CELL_PAD + 24
  );
  const total = natural.reduce((a, b) => a + b, 0);
  const widths = total > flow.width ? natural.map((w) => (w * flow.width) / total) : natural;
  const leading = TABLE_SIZE * 1.3;

  const rowHeight = (cells: string[], font: PDFFont) =>
    Math.max(
        ...cells.map((c, i) => wrapText(c, font, TABLE_SIZE, widths[i] - 2 * CELL_PAD).length),
      ) * leading + 2 * CELL_PAD;

  const drawRow = (cells: string[], head: boolean) => {
    const font = head ? fonts.bold : fonts.regular;
    const h = rowHeight(cells, font);
    let x = MARGIN;
    for (let i = 0; i < cols; i++) {
      const w = widths[i];
      flow.page.drawRectangle({
        x,
        y: flow.y - h,
        width: w,
        height: h,
        borderColor: LINE_GREY,
        borderWidth: 0.6,
        color: head ? HEAD_FILL : undefined,
      });
      let ty = flow.y - CELL_PAD;
      for (const line of wrapText(cells[i] ?? "", font, TABLE_SIZE, w - 2 * CELL_PAD)) {
        ty -= leading;
        flow.page.drawText(line, {
          x: x + CELL_PAD,
          y: ty + (leading - TABLE_SIZE) * 0.6,
          size: TABLE_SIZE,
          font,
          color: INK,
        });
      }
      x += w;
    }
    flow.y -= h;
  };

  const headH = rowHeight(table.head, fonts.bold);
  flow.ensure(headH + rowHeight(table.rows[0] ?? [], fonts.regular));
  drawRow(table.head, true);
  for (const row of table.rows) {
    const h = rowHeight(row, fonts.regular);
    if (flow.y - h < CONTENT_BOTTOM) {
      flow.newPage();
      drawRow(table.head, true);
    }
    drawRow(row, false);
  }
}

/** Renders the contract sections as an A4 PDF. */
export async function renderContractPdf(
  sections: ContractSection[],
  opts: RenderOptions,
): Promise<Uint8Array> {
  if (!opts?.title) throw new Error("Informe o título do contrato.");
  const doc = await PDFDocument.create();
  const fonts = await embedFonts(doc, opts.fontDir);
  doc.setTitle(opts.title, { showInWindowTitleBar: true });
  doc.setLanguage("pt-BR");
  doc.setCreator("Renova");
  doc.setProducer("Renova (pdf-lib)");

  const flow = new Flow(doc, fonts);
  flow.text(opts.title, { size: DOC_TITLE_SIZE, bold: true, leading: 22 });
  flow.gap(12);

  for (const s of sections) {
    // Keep a title with at least two lines of its first paragraph.
    flow.ensure(TITLE_SIZE * 1.5 + 2 * BODY_LEADING);
    flow.text(s.title, { size: TITLE_SIZE, bold: true, leading: TITLE_SIZE * 1.5 });
    flow.gap(4);
    for (const p of s.paragraphs) {
      flow.text(p, { leading: BODY_LEADING });
      flow.gap(6);
    }
    if (s.table && s.table.head.length > 0) {
      flow.gap(2);
      drawTable(flow, s.table);
      flow.gap(8);
    }
    flow.gap(8);
  }

  // Room for the signature on the last page; otherwise a page reserved for it.
  if (flow.y - SIGNATURE_BLOCK_HEIGHT < CONTENT_BOTTOM) {
    flow.newPage();
    flow.text("Página reservada para a assinatura eletrônica do CONTRATANTE.", {
      size: 10,
      color: GREY,
    });
    flow.gap(8);
  }
  setFreeY(flow.page, flow.y);

  const pages = doc.getPages();
  pages.forEach((page, i) =>
    drawFooter(page, fonts, opts.title, `Página ${i + 1} de ${pages.length}`)
  );
  return await doc.save();
}
