// Streaming CSV reader for ERP exports: detects UTF-8 or Latin-1 from the first bytes and the
// delimiter (; , or tab) from the header line, then yields records chunk by chunk. The file is
// never held whole: memory stays at one chunk plus the record being read.

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

const SNIFF_BYTES = 256 * 1024;

/**
 * UTF-8 unless the first bytes are not valid UTF-8 (then Latin-1, decoded as windows-1252, its
 * superset that Windows exports actually use). A partial character at the end of the sample
 * is fine: `stream: true` keeps it pending instead of failing.
 */
export function sniffEncoding(head: Uint8Array, complete: boolean): CsvEncoding {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: !complete });
    return "utf-8";
  } catch {
    return "latin1";
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
  const reader = input.getReader();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < SNIFF_BYTES) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    headSize += r.value.length;
  }
  const sample = new Uint8Array(headSize);
  let o = 0;
  for (const h of head) {
    sample.set(h, o);
    o += h.length;
  }
  const encoding = sniffEncoding(sample, done);
  let bytes = 0;
  const bytesStream = new ReadableStream<Uint8Array>({
    start(ctl) {
      if (sample.length) ctl.enqueue(sample);
      bytes = sample.length;
      if (done) ctl.close();
    },
    async pull(ctl) {
      const r = await reader.read();
      if (r.done) return ctl.close();
      bytes += r.value.length;
      ctl.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  // UTF-8 stays strict after the sample: a stray Latin-1 byte later fails loudly rather than
  // turning names into "Jo�o".
  const text = bytesStream.pipeThrough(
    new TextDecoderStream(encoding, { fatal: encoding === "utf-8" }) as unknown as TransformStream<
      Uint8Array,
      string
    >,
  );
  const textReader = text.getReader();
  let first = "";
  while (!first.includes("\n")) {
    const r = await textReader.read();
    if (r.done) break;
    first += r.value;
  }
  const delimiter = sniffDelimiter(first.split(/\r?\n/, 1)[0]);
  const all = parseRecords(first, textReader, delimiter);
  const headerChunk = await nextNonEmpty(all);
  const headers = headerChunk.shift()?.fields.map((h) => h.trim()) ?? [];
  async function* records(): AsyncGenerator<CsvRecord[]> {
    if (headerChunk.length) yield headerChunk;
    for await (const chunk of all) if (chunk.length) yield chunk;
  }
  return { encoding, delimiter, headers, records: records(), bytesRead: () => bytes };
}

async function nextNonEmpty(gen: AsyncGenerator<CsvRecord[]>): Promise<CsvRecord[]> {
  for (;;) {
    const r = await gen.next();
    if (r.done) return [];
    if (r.value.length) return r.value;
  }
}

const QUOTE = 34, LF = 10, CR = 13;
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
            fields.push("");
          } else if (c === LF || c === CR) {
            fields.push("");
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
            fields.push(field + chunk.slice(start, i));
            state = S.FieldStart;
          } else if (c === LF || c === CR) {
            fields.push(field + chunk.slice(start, i));
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
            fields.push(field);
            state = S.FieldStart;
          } else if (c === LF || c === CR) {
            fields.push(field);
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
    if (out.length) {
      yield out;
      out = [];
    }
    const r = await rest.read();
    chunk = r.done ? undefined : r.value;
  }
  if (state === S.Unquoted || state === S.Quoted || state === S.QuoteInQuoted) {
    fields.push(field);
  }
  if (fields.length) endRecord();
  if (out.length) yield out;
}
