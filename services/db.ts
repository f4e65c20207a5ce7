// The handle every service works on: one KV store plus the keys that protect its data.
// No module-level global store, so one process could serve several providers.
import { type DataKeys, deriveDataKeys, fromBase64Url, toBase64Url } from "./crypto.ts";
import { keys } from "./keys.ts";
import { ConflictError } from "./errors.ts";
import { observeWrites, type WriteListener } from "./local_writes.ts";
import { retryBusy } from "./kv_busy.ts";

export interface Db {
  kv: Deno.Kv;
  crypto: DataKeys;
  /** Injected clock so tests can move time without fake timers touching KV. */
  now: () => Date;
  /** Listens to this process's committed writes (services/local_writes.ts); see openDb. */
  onWrite: (listener: WriteListener) => () => void;
}

export interface OpenDbOptions {
  /** File path, ":memory:", or undefined for the platform's managed KV (Deno Deploy). */
  path?: string;
  /** Base64url 32-byte master key (env RENOVA_DATA_KEY). Generated and stored when absent. */
  dataKey?: string;
  now?: () => Date;
}

/**
 * The one door to the store: every service works on the handle opened here, wrapped twice and
 * nowhere else.
 * - `retryBusy` (services/kv_busy.ts), innermost: retries SQLite's "database is locked".
 * - `observeWrites` (services/local_writes.ts): reports the keys of each committed write to
 *   `onWrite` listeners before the caller's commit returns. Its one listener is the customer
 *   page cache (lib/page_cache.ts), which then serves a page unchecked for up to a second
 *   instead of reading its versionstamps on every hit. Measured in docs/benchmarks.md ("Page
 *   cache: the write feed or a stamp check on every hit"): without the feed the cached page
 *   served about half as many requests, below the target, so the feed stays.
 * A Db built any other way has no feed; the page cache then checks the stamps on every hit.
 */
export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  if (opts.path && opts.path !== ":memory:") {
    const dir = opts.path.replace(/[/\\][^/\\]*$/, "");
    if (dir && dir !== opts.path) await Deno.mkdir(dir, { recursive: true });
  }
  // Busy-retry innermost, so a retried commit is reported to write listeners once.
  const observed = observeWrites(retryBusy(await Deno.openKv(opts.path)));
  const kv = observed.kv;
  const master = opts.dataKey ? fromBase64Url(opts.dataKey) : await storedMasterKey(kv);
  return {
    kv,
    crypto: await deriveDataKeys(master),
    now: opts.now ?? (() => new Date()),
    onWrite: observed.onWrite,
  };
}

/** Embedded default only: generate the master key on first start and keep it in the store. */
async function storedMasterKey(kv: Deno.Kv): Promise<Uint8Array> {
  const key = keys.dataKeyMaterial();
  const found = await kv.get<string>(key);
  if (found.value) return fromBase64Url(found.value);
  const fresh = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const res = await kv.atomic().check({ key, versionstamp: null }).set(key, fresh).commit();
  if (res.ok) return fromBase64Url(fresh);
  // Another process created it first: use theirs.
  return fromBase64Url((await kv.get<string>(key)).value!);
}

/** Commit an atomic or throw ConflictError: a failed check is never silently ignored. */
export async function commitOrConflict(
  op: Deno.AtomicOperation,
  message?: string,
): Promise<Deno.KvCommitResult> {
  const res = await op.commit();
  if (!res.ok) throw new ConflictError(message);
  return res;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; empty when there is none. */
  cursor: string;
}

/** List a prefix one page at a time; the cursor is KV's own, opaque to callers. */
export async function listPage<T>(
  kv: Deno.Kv,
  selector: Deno.KvListSelector,
  opts: { limit?: number; cursor?: string; reverse?: boolean } = {},
): Promise<Page<Deno.KvEntry<T>>> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const iter = kv.list<T>(selector, {
    limit,
    cursor: opts.cursor || undefined,
    reverse: opts.reverse,
  });
  const items: Deno.KvEntry<T>[] = [];
  for await (const e of iter) items.push(e);
  return { items, cursor: items.length === limit ? iter.cursor : "" };
}

/** getMany in batches of 10 (the strictest KV limit). */
export async function getManyBatched<T>(
  kv: Deno.Kv,
  ks: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  // All batches at once: a managed KV (Deploy, KV Connect) answers them in parallel.
  const batches: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < ks.length; i += 10) batches.push(kv.getMany<T[]>(ks.slice(i, i + 10)));
  return (await Promise.all(batches)).flat();
}
