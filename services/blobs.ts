// Encrypted blob store for photos and PDFs. KV values are capped at 64 KiB and an atomic at
// 800 KiB, so a blob is split into 63 KB chunks, each sealed with AES-GCM (bound to its blob
// id and position), written in batches, and made visible only by the final metadata write.
// A blob starts pending (a marker written before its first chunk, with an expiry): the atomic
// that references it promotes it (deletes the marker, under a check), so a double submit or a
// crash between the upload and that atomic leaves a pending blob that sweepOrphanBlobs removes.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid, ulidTime } from "./ulid.ts";
import { decryptBytes, encryptBytes, sha256Hex } from "./crypto.ts";
import { NotFoundError, TooLargeError } from "./errors.ts";

export const CHUNK_BYTES = 63 * 1000;
const CHUNKS_PER_ATOMIC = 10; // 10 × ~63 KB stays under the 800 KiB atomic limit
export const MAX_BLOB_BYTES = 20 * 1024 * 1024;
/** How long a blob may stay unreferenced before the sweep may delete it. */
export const PENDING_BLOB_TTL_MS = 3600_000;

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

interface PendingMarker {
  expiresAt: string;
  purpose: string;
  /** Set by the sweep when it claims the blob: a late promotion then fails its check. */
  sweeping?: boolean;
}

/** A freshly written blob: `pending` is the check that promoteBlob() adds to its atomic. */
export interface PendingBlob extends BlobMeta {
  pending: Deno.AtomicCheck;
}

/** Writes a blob as pending; the caller promotes it in the atomic that references it. */
export async function putBlob(
  db: Db,
  data: Uint8Array,
  contentType: string,
  purpose: string,
): Promise<PendingBlob> {
  if (data.length > MAX_BLOB_BYTES) throw new TooLargeError();
  const id = ulid();
  const marker: PendingMarker = {
    expiresAt: new Date(db.now().getTime() + PENDING_BLOB_TTL_MS).toISOString(),
    purpose,
  };
  const first = await db.kv.atomic().check({ key: keys.blobPending(id), versionstamp: null })
    .set(keys.blobPending(id), marker).commit();
  if (!first.ok) throw new Error("blob id collision");
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
  return { ...meta, pending: { key: keys.blobPending(id), versionstamp: first.versionstamp } };
}

/** Adds the promotion to `op`: fails (and so does the change) if the sweep took the blob. */
export function promoteBlob(op: Deno.AtomicOperation, blob: { pending: Deno.AtomicCheck }) {
  op.check(blob.pending).delete(blob.pending.key);
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
  await db.kv.delete(keys.blobPending(id)); // last: a cut-short delete is swept again
}

/** Every blob id that a record points to: cases, tickets and the signing certificate. */
async function referencedBlobIds(db: Db): Promise<Set<string>> {
  const refs = new Set<string>();
  const add = (id: unknown) => typeof id === "string" && id && refs.add(id);
  // Read loosely (no import of the case module): only the blob id fields matter here.
  type Refs = {
    photo?: { blobId?: string };
    oldPhotoBlobIds?: string[];
    contractDoc?: { blobId?: string };
    signature?: { signedBlobId?: string };
    carneBlobId?: string;
    documentBlobId?: string;
    blobId?: string;
  };
  for await (const e of db.kv.list<Refs>({ prefix: keys.cases() })) {
    const c = e.value;
    add(c.photo?.blobId);
    (c.oldPhotoBlobIds ?? []).forEach(add);
    add(c.contractDoc?.blobId);
    add(c.signature?.signedBlobId);
    add(c.carneBlobId);
  }
  for await (const e of db.kv.list<Refs>({ prefix: keys.ticketsAll() })) {
    add(e.value.documentBlobId);
  }
  add((await db.kv.get<Refs>(keys.signingP12())).value?.blobId);
  // The ERP's boletos fetched for a case (services/erp/invoices.ts).
  type ErpRefs = { items?: { blobId?: string }[] };
  for await (const e of db.kv.list<ErpRefs>({ prefix: keys.erpInvoicesAll() })) {
    (e.value.items ?? []).forEach((i) => add(i.blobId));
  }
  return refs;
}

/** Ids of every stored blob (metadata, chunks or a pending marker) with its oldest trace. */
async function storedBlobIds(db: Db): Promise<Map<string, { meta?: BlobMeta; marker?: boolean }>> {
  const out = new Map<string, { meta?: BlobMeta; marker?: boolean }>();
  const at = (id: string) => out.get(id) ?? out.set(id, {}).get(id)!;
  for await (const e of db.kv.list<BlobMeta>({ prefix: keys.blobsAll() })) {
    at(String(e.key[1])).meta = e.value;
  }
  // One chunk read per blob: the next list starts past the last id's chunks.
  let sel: Deno.KvListSelector = { prefix: keys.blobChunksAll() };
  while (true) {
    let id = "";
    for await (const e of db.kv.list(sel, { limit: 1 })) id = String(e.key[1]);
    if (!id) break;
    at(id);
    sel = { prefix: keys.blobChunksAll(), start: [...keys.blobChunksAll(), `${id}\u0000`] };
  }
  for await (const e of db.kv.list({ prefix: keys.blobsPending() })) {
    at(String(e.key[1])).marker = true;
  }
  return out;
}

/**
 * Blobs nothing points to: files no case, ticket or certificate references (a double submit,
 * a crash before the step's atomic, a replaced contract) and chunk sets without metadata.
 * Includes uploads still in flight; sweepOrphanBlobs leaves those until their expiry.
 */
export async function findOrphanBlobs(db: Db): Promise<string[]> {
  const refs = await referencedBlobIds(db);
  return [...(await storedBlobIds(db)).keys()].filter((id) => !refs.has(id));
}

/**
 * Daily: deletes unreferenced blobs once their pending marker expired (or, for leftovers from
 * before markers existed, once they are older than the pending TTL), and drops the marker of
 * a referenced blob. A claimed marker makes a late promotion fail instead of dangling.
 */
export async function sweepOrphanBlobs(db: Db): Promise<{ deleted: number }> {
  const now = db.now();
  const nowIso = now.toISOString();
  const oldEnough = new Date(now.getTime() - PENDING_BLOB_TTL_MS).toISOString();
  const refs = await referencedBlobIds(db);
  let deleted = 0;
  for (const [id, s] of await storedBlobIds(db)) {
    const marker = await db.kv.get<PendingMarker>(keys.blobPending(id));
    if (refs.has(id)) {
      // Referenced but still marked (rows written before promotion existed): keep the file.
      if (marker.value) await db.kv.atomic().check(marker).delete(marker.key).commit();
      continue;
    }
    if (marker.value) {
      if (marker.value.expiresAt > nowIso && !marker.value.sweeping) continue;
      const claim = await db.kv.atomic().check(marker)
        .set(marker.key, { ...marker.value, sweeping: true }).commit();
      if (!claim.ok) continue; // promoted (or claimed) just now
    } else {
      const born = s.meta?.createdAt ?? bornAt(id);
      if (born > oldEnough) continue;
    }
    await deleteBlob(db, id);
    deleted++;
  }
  return { deleted };
}

/** When a blob id was made (ids are ULIDs); unreadable ids count as old. */
function bornAt(id: string): string {
  const t = ulidTime(id);
  return Number.isFinite(t) && t > 0 && t < 8.64e15 ? new Date(t).toISOString() : "";
}
