// The uploaded CSV, kept only until its import ends: re-chunked into 63 KB pieces, each sealed
// with AES-GCM (it is a list of people), written 10 per atomic as the upload streams in, and
// read back as a stream. Also the light passes over it: header, row count, plan values.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { decryptBytes, encryptBytes } from "../crypto.ts";
import { openCsv } from "./csv.ts";

const CHUNK = 63_000;
const PER_ATOMIC = 10;
/** Clean-up only (never relied on): an abandoned upload disappears after a week. */
const EXPIRE_MS = 7 * 24 * 3600_000;
const MAX_PLAN_VALUES = 200;

/** Streams `input` into sealed chunks; returns its size and chunk count. */
export async function storeImportFile(
  db: Db,
  jobId: string,
  input: ReadableStream<Uint8Array>,
): Promise<{ size: number; chunks: number }> {
  let buf = new Uint8Array(CHUNK);
  let fill = 0, size = 0, n = 0;
  let op = db.kv.atomic(), inOp = 0;
  const put = async (bytes: Uint8Array) => {
    const sealed = await encryptBytes(db.crypto.aes, bytes, `import:${jobId}:${n}`);
    op.set(keys.importFileChunk(jobId, n++), sealed, { expireIn: EXPIRE_MS });
    if (++inOp >= PER_ATOMIC) {
      if (!(await op.commit()).ok) throw new Error("import file write failed");
      op = db.kv.atomic();
      inOp = 0;
    }
  };
  for await (const part of input) {
    size += part.length;
    let o = 0;
    while (o < part.length) {
      const take = Math.min(CHUNK - fill, part.length - o);
      buf.set(part.subarray(o, o + take), fill);
      fill += take;
      o += take;
      if (fill === CHUNK) {
        await put(buf);
        buf = new Uint8Array(CHUNK);
        fill = 0;
      }
    }
  }
  if (fill) await put(buf.slice(0, fill));
  if (inOp && !(await op.commit()).ok) throw new Error("import file write failed");
  return { size, chunks: n };
}

/** The stored file as a byte stream, one chunk decrypted at a time. */
export function importFileStream(db: Db, jobId: string, chunks: number) {
  let n = 0;
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      if (n >= chunks) return ctl.close();
      const e = await db.kv.get<Uint8Array>(keys.importFileChunk(jobId, n));
      if (!e.value) {
        return ctl.error(new Error("O arquivo da importação não está mais disponível."));
      }
      ctl.enqueue(await decryptBytes(db.crypto.aes, e.value, `import:${jobId}:${n}`));
      n++;
    },
  });
}

export async function deleteImportFile(db: Db, jobId: string): Promise<void> {
  let op = db.kv.atomic(), inOp = 0;
  for await (const e of db.kv.list({ prefix: keys.importFileChunks(jobId) })) {
    op.delete(e.key);
    if (++inOp >= 100) {
      await op.commit();
      op = db.kv.atomic();
      inOp = 0;
    }
  }
  if (inOp) await op.commit();
}

export interface FileFacts {
  encoding: "utf-8" | "latin1";
  delimiter: string;
  headers: string[];
  rows: number;
  /** Distinct values of the plan column with their row counts (at most 200). */
  planValues: { value: string; rows: number }[];
}

/** One pass over the file: its shape, row count and the plan values to map. */
export async function analyzeCsv(
  input: ReadableStream<Uint8Array>,
  planColumn: (headers: string[]) => number,
): Promise<FileFacts> {
  const src = await openCsv(input);
  const col = planColumn(src.headers);
  const plans = new Map<string, number>();
  let rows = 0;
  for await (const chunk of src.records) {
    for (const r of chunk) {
      rows++;
      const v = col >= 0 ? (r.fields[col] ?? "").trim() : "";
      if (v && (plans.has(v) || plans.size < MAX_PLAN_VALUES)) {
        plans.set(v, (plans.get(v) ?? 0) + 1);
      }
    }
  }
  return {
    encoding: src.encoding,
    delimiter: src.delimiter,
    headers: src.headers,
    rows,
    planValues: [...plans].map(([value, rows]) => ({ value, rows }))
      .sort((a, b) => b.rows - a.rows),
  };
}

/** The first data rows, for the mapping screen (admins only; nothing is stored). */
export async function previewCsv(input: ReadableStream<Uint8Array>, n = 3): Promise<string[][]> {
  const src = await openCsv(input);
  const out: string[][] = [];
  for await (const chunk of src.records) {
    for (const r of chunk) {
      out.push(r.fields);
      if (out.length >= n) {
        await src.records.return(undefined);
        return out;
      }
    }
  }
  return out;
}
