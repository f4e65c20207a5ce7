// Encrypted blob store for photos and PDFs. KV values are capped at 64 KiB and an atomic at
// 800 KiB, so a blob is split into 63 KB chunks, each sealed with AES-GCM (bound to its blob
// id and position), written in batches, and made visible only by the final metadata write.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { decryptBytes, encryptBytes, sha256Hex } from "./crypto.ts";
import { NotFoundError, TooLargeError } from "./errors.ts";

export const CHUNK_BYTES = 63 * 1000;
const CHUNKS_PER_ATOMIC = 10; // 10 × ~63 KB stays under the 800 KiB atomic limit
export const MAX_BLOB_BYTES = 20 * 1024 * 1024;

export interface BlobMeta {
  id: string;
  contentType: string;
  size: number;
  chunks: number;
  sha256: string;
  createdAt: string;
  /** What the blob is for (e.g. "holder_photo"); drives retention. */
  purpose: string;
}

export async function putBlob(
  db: Db,
  data: Uint8Array,
  contentType: string,
  purpose: string,
): Promise<BlobMeta> {
  if (data.length > MAX_BLOB_BYTES) throw new TooLargeError();
  const id = ulid();
  const chunks = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
  for (let start = 0; start < chunks; start += CHUNKS_PER_ATOMIC) {
    const op = db.kv.atomic();
    for (let n = start; n < Math.min(start + CHUNKS_PER_ATOMIC, chunks); n++) {
      const part = data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
      op.set(keys.blobChunk(id, n), await encryptBytes(db.crypto.aes, part, `blob:${id}:${n}`));
    }
    const res = await op.commit();
    if (!res.ok) throw new Error("blob chunk write failed");
  }
  const meta: BlobMeta = {
    id,
    contentType,
    size: data.length,
    chunks,
    sha256: await sha256Hex(data),
    createdAt: db.now().toISOString(),
    purpose,
  };
  const res = await db.kv.atomic().check({ key: keys.blob(id), versionstamp: null })
    .set(keys.blob(id), meta).commit();
  if (!res.ok) throw new Error("blob id collision");
  return meta;
}

export async function getBlobMeta(db: Db, id: string): Promise<BlobMeta | null> {
  return (await db.kv.get<BlobMeta>(keys.blob(id))).value;
}

/** Reads, decrypts and verifies the whole blob (its SHA-256 must match the metadata). */
export async function getBlob(db: Db, id: string): Promise<{ meta: BlobMeta; data: Uint8Array }> {
  const meta = await getBlobMeta(db, id);
  if (!meta) throw new NotFoundError("Arquivo não encontrado.");
  const data = new Uint8Array(meta.size);
  let offset = 0;
  let n = 0;
  for await (const entry of db.kv.list<Uint8Array>({ prefix: keys.blobChunks(id) })) {
    if (entry.key[2] !== n) throw new Error(`blob ${id}: chunk ${n} missing`);
    const part = await decryptBytes(db.crypto.aes, entry.value, `blob:${id}:${n}`);
    data.set(part, offset);
    offset += part.length;
    n++;
  }
  if (n !== meta.chunks || offset !== meta.size) throw new Error(`blob ${id}: incomplete`);
  if ((await sha256Hex(data)) !== meta.sha256) throw new Error(`blob ${id}: checksum mismatch`);
  return { meta, data };
}

export async function deleteBlob(db: Db, id: string): Promise<void> {
  // Metadata first: once it is gone the blob is invisible even if chunk deletes are cut short.
  await db.kv.delete(keys.blob(id));
  let op = db.kv.atomic();
  let count = 0;
  for await (const entry of db.kv.list({ prefix: keys.blobChunks(id) })) {
    op.delete(entry.key);
    if (++count % 100 === 0) {
      await op.commit();
      op = db.kv.atomic();
    }
  }
  await op.commit();
}
