// Versionstamps of a few keys, read so that concurrent callers share reads without ever getting
// an answer older than their call: a caller joins a read only if that read starts after the
// caller arrived. One read that is already running when a caller arrives may miss a write the
// caller knows about, so the caller waits for the next read, which every caller arriving in the
// meantime shares. A page served on these stamps is as fresh as one read from the store.
import type { Db } from "./db.ts";

type Stamps = (string | null)[];

interface Slot<T> {
  /** The read under way, started before some of the callers now waiting. */
  running?: Promise<T>;
  /** The next read, shared by everyone who arrived while `running` ran. */
  queued?: Promise<T>;
}

/** Shares reads by id among concurrent callers; no caller gets a read that began before it. */
export class FreshReads<T> {
  #slots = new Map<string, Slot<T>>();

  read(id: string, fn: () => Promise<T>): Promise<T> {
    let slot = this.#slots.get(id);
    if (!slot) this.#slots.set(id, slot = {});
    const s = slot;
    const done = () => {
      s.running = undefined;
      if (!s.queued && this.#slots.get(id) === s) this.#slots.delete(id);
    };
    const start = (): Promise<T> => {
      const p = fn();
      s.running = p;
      p.then(done, done);
      return p;
    };
    if (!s.running) return start();
    if (!s.queued) {
      s.queued = s.running.then(() => {}, () => {}).then(() => {
        s.queued = undefined;
        return start();
      });
    }
    return s.queued;
  }
}

const readsByDb = new WeakMap<Db, FreshReads<Stamps>>();

/** The current versionstamps of `ks` (null where absent); at most 10 keys (getMany's limit). */
export function currentStamps(db: Db, ks: readonly Deno.KvKey[]): Promise<Stamps> {
  if (ks.length > 10) throw new Error("currentStamps: at most 10 keys");
  let reads = readsByDb.get(db);
  if (!reads) readsByDb.set(db, reads = new FreshReads());
  return reads.read(
    JSON.stringify(ks),
    () => db.kv.getMany(ks as Deno.KvKey[]).then((es) => es.map((e) => e.versionstamp)),
  );
}

/** True when every key still has the versionstamp it had. */
export function sameStamps(a: readonly (string | null)[], b: readonly (string | null)[]) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
