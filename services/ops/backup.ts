// Backup and restore of the whole store as NDJSON: a header line, one line per entry, a footer
// with the count and the SHA-256 of every line before it. Both directions stream; nothing holds
// the whole store in memory.
//
// Consistency while the app runs: KV has no snapshot reads, so the dump notes a marker
// versionstamp before and after its pass; if any entry changed in between, the pass is redone
// (up to `maxPasses`). A dump that reports `consistent: true` saw no write during its pass; the
// footer records it, and a restore refuses an inconsistent dump unless told to accept it.
// A restore with `force` replaces the target (keys absent from the dump go) and re-derives key
// expiries (services/ops/kv_expiry.ts): KV does not expose them to the dump.
import { createHash } from "node:crypto";
import { decode, encode } from "./kv_codec.ts";
import { restoredExpireIn } from "./kv_expiry.ts";
import { keys } from "../keys.ts";

export const FORMAT = "renova-backup";
const MARKER = keys.backupMarker();
const isMarker = (k: Deno.KvKey) =>
  k.length === MARKER.length && k.every((p, i) => p === MARKER[i]);
const enc = new TextEncoder();

export interface BackupResult {
  entries: number;
  sha256: string;
  consistent: boolean;
  passes: number;
}

async function marker(kv: Deno.Kv): Promise<string> {
  const res = await kv.set(MARKER, Date.now());
  return res.versionstamp;
}

/** Writes the dump to `out`. `open` gives a fresh writable for each pass. */
export async function backup(
  kv: Deno.Kv,
  open: () => Promise<WritableStreamDefaultWriter<Uint8Array>>,
  opts: { maxPasses?: number } = {},
): Promise<BackupResult> {
  const maxPasses = opts.maxPasses ?? 5;
  for (let pass = 1;; pass++) {
    const before = await marker(kv);
    const w = await open();
    const hash = createHash("sha256");
    const line = async (obj: unknown) => {
      const bytes = enc.encode(JSON.stringify(obj) + "\n");
      hash.update(bytes);
      await w.write(bytes);
    };
    const schema = (await kv.get<number>(keys.schemaVersion())).value ?? 0;
    await line({
      format: FORMAT,
      version: 1,
      schemaVersion: schema,
      createdAt: new Date().toISOString(),
    });
    let entries = 0;
    let changed = false;
    for await (const e of kv.list({ prefix: [] }, { batchSize: 500 })) {
      if (isMarker(e.key)) continue;
      if (e.versionstamp > before) changed = true;
      await line({ k: encode(e.key), v: encode(e.value) });
      entries++;
    }
    const after = await marker(kv);
    // Anything written between the two markers (other than the markers) means a moving target.
    for await (const e of kv.list({ prefix: [] }, { batchSize: 500 })) {
      if (
        e.versionstamp > before && e.versionstamp < after &&
        !isMarker(e.key)
      ) {
        changed = true;
        break;
      }
    }
    const sha256 = hash.digest("hex");
    const footer = { end: true, entries, sha256, consistent: !changed };
    await w.write(enc.encode(JSON.stringify(footer) + "\n"));
    await w.close();
    if (!changed || pass >= maxPasses) {
      return { entries, sha256, consistent: !changed, passes: pass };
    }
  }
}

export class RestoreError extends Error {}

async function* lines(stream: ReadableStream<Uint8Array>) {
  const reader = (stream as ReadableStream<Uint8Array<ArrayBuffer>>).pipeThrough(
    new TextDecoderStream(),
  )
    .getReader();
  let buf = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}

export interface RestoreOptions {
  /** Replace a non-empty store: every key not in the dump is deleted. */
  force?: boolean;
  /** Load a dump marked inconsistent (taken while the store changed). */
  acceptInconsistent?: boolean;
  now?: number;
}

export interface RestoreResult {
  entries: number;
  /** Keys of the target that were not in the dump and were deleted (`force`). */
  removed: number;
  /** Entries whose re-derived expiry had passed: not restored. */
  expired: number;
  /** false: marked inconsistent; undefined: a dump from before the mark existed. */
  consistent?: boolean;
}

/**
 * Verifies the checksum first (one streaming pass), then loads into `kv` (a second pass), so a
 * corrupted dump writes nothing. Refuses a non-empty store unless `force` (which replaces it),
 * and an inconsistent dump unless `acceptInconsistent`.
 */
export async function restore(
  kv: Deno.Kv,
  openRead: () => Promise<ReadableStream<Uint8Array>>,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  if (!opts.force) {
    for await (const e of kv.list({ prefix: [] }, { limit: 1 })) {
      throw new RestoreError(
        `O banco de destino não está vazio (ex.: ${
          JSON.stringify(e.key)
        }). Use --force para restaurar mesmo assim.`,
      );
    }
  }
  const hash = createHash("sha256");
  let footer: { entries: number; sha256: string; consistent?: boolean } | null = null;
  let count = 0;
  let first = true;
  for await (const l of lines(await openRead())) {
    if (!l) continue;
    if (footer) throw new RestoreError("Arquivo de backup inválido: há dados depois do fim.");
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(l);
    } catch {
      throw new RestoreError("Arquivo de backup corrompido (linha ilegível).");
    }
    if (obj.end) {
      footer = obj as unknown as { entries: number; sha256: string };
      continue;
    }
    if (first && obj.format !== FORMAT) {
      throw new RestoreError("Este arquivo não é um backup do Renova.");
    }
    first = false;
    hash.update(enc.encode(l + "\n"));
    if ("k" in obj) count++;
  }
  if (!footer) throw new RestoreError("Backup incompleto: falta o fim do arquivo.");
  if (hash.digest("hex") !== footer.sha256 || count !== footer.entries) {
    throw new RestoreError("Backup corrompido: o checksum não confere. Nada foi restaurado.");
  }
  if (footer.consistent === false && !opts.acceptInconsistent) {
    throw new RestoreError(
      "Este backup foi feito enquanto o banco mudava e pode não ser consistente (registros de " +
        "momentos diferentes). Nada foi restaurado. Prefira outro backup, ou use " +
        "--aceitar-inconsistente para restaurá-lo mesmo assim.",
    );
  }
  const removed = opts.force ? await wipe(kv) : 0;
  const now = opts.now ?? Date.now();
  let op = kv.atomic();
  let n = 0, pending = 0, expired = 0;
  let bytes = 0;
  for await (const l of lines(await openRead())) {
    if (!l) continue;
    const obj = JSON.parse(l);
    if (!("k" in obj)) continue;
    const key = decode(obj.k) as Deno.KvKey;
    const value = decode(obj.v);
    const expireIn = restoredExpireIn(key, value, now);
    if (expireIn !== undefined && expireIn <= 0) {
      expired++;
      continue;
    }
    op.set(key, value, expireIn === undefined ? undefined : { expireIn });
    n++;
    pending++;
    bytes += l.length;
    if (pending === 200 || bytes > 600_000) {
      await commit(op);
      op = kv.atomic();
      pending = bytes = 0;
    }
  }
  await commit(op);
  return { entries: n, removed, expired, consistent: footer.consistent };
}

/** Deletes every key of the target (after the dump was verified), in batches. */
async function wipe(kv: Deno.Kv): Promise<number> {
  let n = 0;
  while (true) {
    const op = kv.atomic();
    let batch = 0;
    for await (const e of kv.list({ prefix: [] }, { limit: 500 })) {
      op.delete(e.key);
      batch++;
    }
    if (!batch) return n;
    await commit(op);
    n += batch;
  }
}

async function commit(op: Deno.AtomicOperation) {
  const res = await op.commit();
  if (!res.ok) throw new RestoreError("Falha ao gravar no banco de destino.");
}
