// Streaming CSV reader for ERP exports: detects UTF-8 or Latin-1 over the whole file and the
// delimiter (; , or tab) from the header line, then yields records chunk by chunk. The file is
// never held whole: memory stays at one chunk plus the record being read.

import { ValidationError } from "../errors.ts";
import { TEXT_MAX } from "../text.ts";
import { formatCount } from "../../domain/format.ts";

export type CsvEncoding = "utf-8" | "latin1";

export interface CsvRecord {
  /** Physical line (1-based) where the record starts, as a spreadsheet shows it. */
  line: number;
  fields: string[];
}

export interface CsvSource {
  encoding: CsvEncoding;
  delimiter: string;
  headers: string[];
  /** Data records (the header is not repeated), a chunk's worth at a time. */
  records: AsyncGenerator<CsvRecord[]>;
  /** Bytes read from the input so far (for progress bars). */
  bytesRead(): number;
}

/** A byte that is not UTF-8 in a file already read as UTF-8: the line says where. */
export class CsvEncodingError extends ValidationError {
  constructor(readonly line: number) {
    super({
      file: `Linha ${line}: o arquivo mistura codificações (UTF-8 antes, outra aqui). ` +
        "Salve-o como UTF-8 e envie de novo.",
    });
  }
}

/** A field longer than any real cell (usually a quote that never closes). */
export class CsvFieldError extends ValidationError {
  constructor(readonly line: number) {
    super({
      file: `Linha ${line}: um campo passa de ${formatCount(TEXT_MAX.csvField)} ` +
        "caracteres (aspas sem fechamento?).",
    });
  }
}

const LF = 10, CR = 13;

/**
 * Decides the encoding over the whole file, not a sample: bytes stay undecided while they are
 * ASCII (the same in both encodings); the first non-ASCII bytes decide — valid UTF-8 → UTF-8,
 * otherwise Latin-1 (decoded as windows-1252, its superset that Windows exports use, which
 * accepts every byte). Once UTF-8, a byte that is not UTF-8 is refused with its line number
 * rather than turning names into "Jo\uFFFDo". One linear pass; lines counted by LF.
 */
export class CsvDecoder {
  mode: "ascii" | CsvEncoding = "ascii";
  private line = 1;
  private carry = new Uint8Array(0);
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private readonly utf8 = new TextDecoder("utf-8");
  private readonly latin1 = new TextDecoder("windows-1252");

  get encoding(): CsvEncoding {
    return this.mode === "latin1" ? "latin1" : "utf-8";
  }

  decode(input: Uint8Array, final = false): string {
    let bytes = input;
    if (this.carry.length) {
      bytes = new Uint8Array(this.carry.length + input.length);
      bytes.set(this.carry);
      bytes.set(input, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    if (this.mode === "ascii") {
      const i = bytes.findIndex((b) => b >= 0x80);
      if (i < 0) return this.ascii(bytes);
      // Too few bytes after the first non-ASCII one to judge: wait for the next chunk.
      if (!final && bytes.length - i < 4) {
        this.carry = bytes.slice(i);
        return this.ascii(bytes.subarray(0, i));
      }
      this.mode = looksUtf8(bytes.subarray(i), final) ? "utf-8" : "latin1";
    }
    if (this.mode === "latin1") return this.latin1.decode(bytes, { stream: !final });
    this.validate(bytes, final);
    return this.utf8.decode(bytes, { stream: !final });
  }

  private ascii(bytes: Uint8Array): string {
    for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) this.line++;
    return this.utf8.decode(bytes, { stream: true });
  }

  /** A UTF-8 state machine (no overlongs, surrogates or code points past U+10FFFF). */
  private validate(bytes: Uint8Array, final: boolean) {
    let { need, lo, hi, line } = this;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (need === 0) {
        if (b < 0x80) {
          if (b === LF) line++;
          continue;
        }
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          if (b === 0xe0) lo = 0xa0;
          if (b === 0xed) hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          if (b === 0xf0) lo = 0x90;
          if (b === 0xf4) hi = 0x8f;
        } else throw new CsvEncodingError(line);
      } else {
        if (b < lo || b > hi) throw new CsvEncodingError(line);
        lo = 0x80;
        hi = 0xbf;
        need--;
      }
    }
    if (final && need) throw new CsvEncodingError(line);
    Object.assign(this, { need, lo, hi, line });
  }
}

function looksUtf8(bytes: Uint8Array, final: boolean): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

/** The delimiter that splits the header line into the most columns (quotes respected). */
export function sniffDelimiter(firstLine: string): string {
  const counts: Record<string, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ",";
}

/** Opens a CSV byte stream: encoding, delimiter and header, then the records. */
export async function openCsv(input: ReadableStream<Uint8Array>): Promise<CsvSource> {
  const decoder = new CsvDecoder();
  let bytes = 0;
  const text = input.pipeThrough(
    new TransformStream<Uint8Array, string>({
      transform(chunk, ctl) {
        bytes += chunk.length;
        const s = decoder.decode(chunk);
        if (s) ctl.enqueue(s);
      },
      flush(ctl) {
        const s = decoder.decode(new Uint8Array(0), true);
        if (s) ctl.enqueue(s);
      },
    }),
  );
  const textReader = text.getReader();
  let first = "";
  // Up to the first line break, but bounded: a file without one is not held whole (the parser
  // then refuses its overlong field).
  for (let seen = false; !seen && first.length <= TEXT_MAX.csvField;) {
    const r = await textReader.read();
    if (r.done) break;
    seen = r.value.includes("\n");
    first += r.value;
  }
  const delimiter = sniffDelimiter(first.slice(0, TEXT_MAX.csvField).split(/\r?\n/, 1)[0]);
  const all = parseRecords(first, textReader, delimiter);
  const headerChunk = await nextNonEmpty(all);
  const headers = headerChunk.shift()?.fields.map((h) => h.trim()) ?? [];
  async function* records(): AsyncGenerator<CsvRecord[]> {
    if (headerChunk.length) yield headerChunk;
    for await (const chunk of all) if (chunk.length) yield chunk;
  }
  return {
    // Known for sure once the records are read (the whole file decides it).
    get encoding() {
      return decoder.encoding;
    },
    delimiter,
    headers,
    records: records(),
    bytesRead: () => bytes,
  };
}

async function nextNonEmpty(gen: AsyncGenerator<CsvRecord[]>): Promise<CsvRecord[]> {
  for (;;) {
    const r = await gen.next();
    if (r.done) return [];
    if (r.value.length) return r.value;
  }
}

const QUOTE = 34;
const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * RFC 4180 with the leniencies real exports need: CRLF or LF, quoted fields with doubled
 * quotes and line breaks, text after a closing quote kept, blank lines skipped.
 */
async function* parseRecords(
  firstText: string,
  rest: ReadableStreamDefaultReader<string>,
  delimiter: string,
): AsyncGenerator<CsvRecord[]> {
  const DELIM = delimiter.charCodeAt(0);
  let state = S.FieldStart as S;
  let field = "";
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let skipLf = false;
  let out: CsvRecord[] = [];

  // Bounded: a quote never closed would otherwise swallow the rest of the file into one field.
  const pushField = (v: string) => {
    if (v.length > TEXT_MAX.csvField) throw new CsvFieldError(recordLine);
    fields.push(v);
  };
  const endRecord = () => {
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: recordLine, fields });
    fields = [];
  };

  let chunk: string | undefined = firstText;
  while (chunk !== undefined) {
    let start = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      switch (state) {
        case S.FieldStart:
          if (fields.length === 0) recordLine = line;
          if (c === QUOTE) {
            state = S.Quoted;
            field = "";
            start = i + 1;
          } else if (c === DELIM) {
            pushField("");
          } else if (c === LF || c === CR) {
            pushField("");
            endRecord();
            line++;
            skipLf = c === CR;
          } else {
            state = S.Unquoted;
            field = "";
            start = i;
          }
          break;
        case S.Unquoted:
          if (c === DELIM) {
            pushField(field + chunk.slice(start, i));
            state = S.FieldStart;
          } else if (c === LF || c === CR) {
            pushField(field + chunk.slice(start, i));
            endRecord();
            line++;
            skipLf = c === CR;
            state = S.FieldStart;
          }
          break;
        case S.Quoted:
          if (c === QUOTE) {
            field += chunk.slice(start, i);
            state = S.QuoteInQuoted;
          } else if (c === LF) {
            line++;
          }
          break;
        case S.QuoteInQuoted:
          if (c === QUOTE) {
            field += '"';
            start = i + 1;
            state = S.Quoted;
          } else if (c === DELIM) {
            pushField(field);
            state = S.FieldStart;
          } else if (c === LF || c === CR) {
            pushField(field);
            endRecord();
            line++;
            skipLf = c === CR;
            state = S.FieldStart;
          } else {
            state = S.Unquoted; // `"abc"def` → abcdef
            start = i;
          }
          break;
      }
    }
    if (state === S.Unquoted || state === S.Quoted) field += chunk.slice(start);
    if (field.length > TEXT_MAX.csvField) throw new CsvFieldError(recordLine);
    if (out.length) {
      yield out;
      out = [];
    }
    const r = await rest.read();
    chunk = r.done ? undefined : r.value;
  }
  if (state === S.Unquoted || state === S.Quoted || state === S.QuoteInQuoted) {
    pushField(field);
  }
  if (fields.length) endRecord();
  if (out.length) yield out;
}
