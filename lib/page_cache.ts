// Rendered customer pages, kept in memory and served again only while the records they were
// rendered from (link, case, customer, plan list) are unchanged:
// - this process's own writes drop the pages that depend on them as they commit
//   (services/local_writes.ts), so a customer never sees a page older than their last action;
// - writes by another process or instance (a command-line import, a second server) cannot be
//   seen that way, so a page is re-checked against the store's versionstamps when its last check
//   is older than REVALIDATE_MS (one shared read: services/stamps.ts).
// Bounded: least recently used pages go first, and a page unused for IDLE_MS is dropped, so
// decrypted personal data does not linger in memory.
import type { Db } from "../services/db.ts";

export interface CachedPage {
  /** The whole HTML document. */
  html: string;
  /** Its gzip bytes, made by the first hit that takes gzip and sent as they are after. */
  gzip?: Uint8Array;
  /** Its inline stylesheet's CSP hash, sent again with the page. */
  styleHash?: string;
  caseId: string;
  step: string;
  /** The link's own expiry, checked without a read. */
  expiresAt: string;
  /** The link, the case, the customer and the plan list's version key, with their stamps. */
  keys: Deno.KvKey[];
  stamps: (string | null)[];
}

interface Entry extends CachedPage {
  usedAt: number;
  /** When the stamps were last known to be current (0: check before serving). */
  checkedAt: number;
}

export const IDLE_MS = 10 * 60_000;
export const REVALIDATE_MS = 1_000;
/** How often idle pages are looked for while any is cached (the timer stops when empty). */
const SWEEP_MS = 60_000;

const keyString = (k: Deno.KvKey) => k.map(String).join("\u0001");

export class PageCache {
  #entries = new Map<string, Entry>();
  #byDep = new Map<string, Set<string>>();
  /** Counts local writes to the kinds of records pages depend on. */
  #writes = 0;
  #sweeper?: ReturnType<typeof setInterval>;
  /** The store has no write feed (not opened by openDb): no hit is served unchecked. */
  #unfed = false;

  constructor(readonly max: number, db?: Db, private clock: () => number = Date.now) {
    // openDb is the one door that adds the feed; a store from anywhere else would leave its
    // own writes unheard, so its pages are checked against the stamps on every hit.
    if (db && typeof db.onWrite !== "function") this.#unfed = true;
    db?.onWrite?.((ks) => {
      for (const k of ks) {
        if (!DEP_ROOTS.has(String(k[0]))) continue;
        this.#writes++;
        const dependents = this.#byDep.get(keyString(k));
        if (dependents) { for (const ck of [...dependents]) this.delete(ck); }
      }
    });
  }

  get size() {
    return this.#entries.size;
  }

  /** A ticket for a render: `set` marks the page unchecked if a relevant write ran since. */
  begin(): { writes: number; at: number } {
    return { writes: this.#writes, at: this.clock() };
  }

  /** The page, and whether it may be served without checking its stamps first. */
  get(key: string): { page: CachedPage; checked: boolean } | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    const now = this.clock();
    if (now - e.usedAt > IDLE_MS) {
      this.delete(key);
      return undefined;
    }
    e.usedAt = now;
    this.#entries.delete(key);
    this.#entries.set(key, e); // most recently used last
    return { page: e, checked: !this.#unfed && now - e.checkedAt < REVALIDATE_MS };
  }

  /** Records that `page`'s stamps were current at `at` (if it is still the cached one). */
  checked(key: string, page: CachedPage, at: number) {
    const e = this.#entries.get(key);
    if (e === page) e.checkedAt = at;
  }

  /** Drops pages unused for IDLE_MS; they sit at the front, least recently used first. */
  sweep() {
    const now = this.clock();
    for (const [key, e] of this.#entries) {
      if (now - e.usedAt <= IDLE_MS) break;
      this.delete(key);
    }
    if (this.#entries.size === 0 && this.#sweeper !== undefined) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  set(key: string, page: CachedPage, ticket: { writes: number; at: number }) {
    if (this.max <= 0) return;
    this.sweep();
    if (this.#sweeper === undefined) {
      // Unreferenced: a cache with pages never keeps the process alive.
      const timer = setInterval(() => this.sweep(), SWEEP_MS);
      Deno.unrefTimer(timer);
      this.#sweeper = timer;
    }
    this.delete(key);
    while (this.#entries.size >= this.max) this.delete(this.#entries.keys().next().value!);
    // A write during the render may be newer than what was read: check before serving.
    const checkedAt = ticket.writes === this.#writes ? ticket.at : 0;
    this.#entries.set(key, { ...page, usedAt: this.clock(), checkedAt });
    for (const k of page.keys) {
      const ks = keyString(k);
      let set = this.#byDep.get(ks);
      if (!set) this.#byDep.set(ks, set = new Set());
      set.add(key);
    }
  }

  delete(key: string) {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    for (const k of e.keys) {
      const ks = keyString(k);
      const set = this.#byDep.get(ks);
      set?.delete(key);
      if (set?.size === 0) this.#byDep.delete(ks);
    }
  }
}

/** The first key parts of the records a customer page is rendered from. */
const DEP_ROOTS = new Set(["links", "cases", "customers", "meta"]);
// The payment method and Pix Automático status shown on the page (services/pix_auto).
DEP_ROOTS.add("payment_method_by_case").add("pix_auto_by_case");
