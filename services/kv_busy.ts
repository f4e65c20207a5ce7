// "database is locked": on a local KV file, another process (a backup, a CLI import, a second
// job runner) may hold SQLite's write lock longer than KV's own busy wait (~5 s). Every KV call
// of the app goes through this one wrapper (opened in services/db.ts), which retries such
// errors with a bounded backoff instead of failing the request or the job halfway.
// Retrying is safe: a commit that failed on the lock wrote nothing.

const BUSY = /database is (locked|busy)|SQLITE_BUSY|SQLITE_LOCKED|database table is locked/i;

export function isBusyError(e: unknown): boolean {
  return e instanceof Error && BUSY.test(e.message);
}

export interface BusyRetryOptions {
  /** Pauses between attempts (ms); their count bounds the retries. */
  backoffMs?: readonly number[];
}

const DEFAULT_BACKOFF = [50, 200, 800, 2_000] as const;

/** Runs `fn`, again after each pause while it fails with a busy error; then rethrows. */
export async function withBusyRetry<T>(
  fn: () => Promise<T>,
  opts: BusyRetryOptions = {},
): Promise<T> {
  const backoff = opts.backoffMs ?? DEFAULT_BACKOFF;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusyError(e) || attempt >= backoff.length) throw e;
      // Jitter so two waiting processes do not retry in lockstep.
      const ms = backoff[attempt] * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, ms));
    }
  }
}

const RETRIED = new Set(["get", "getMany", "set", "delete", "enqueue"]);

/** The KV handle with busy-retry on reads, writes, atomic commits and list pages. */
export function retryBusy(kv: Deno.Kv, opts: BusyRetryOptions = {}): Deno.Kv {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      let fn = bound.get(prop);
      if (fn) return fn;
      if (RETRIED.has(prop as string)) {
        fn = (...args: unknown[]) =>
          withBusyRetry(
            () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
            opts,
          );
      } else if (prop === "atomic") {
        fn = () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => withBusyRetry(commit, opts);
          return op;
        };
      } else if (prop === "list") {
        fn = (selector: Deno.KvListSelector, options?: Deno.KvListOptions) =>
          new BusyRetryList(target, selector, options ?? {}, opts);
      } else fn = value.bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
}

/** A list that, when a page read hits the lock, reopens at its cursor and goes on. */
class BusyRetryList<T> implements AsyncIterableIterator<Deno.KvEntry<T>> {
  #iter: Deno.KvListIterator<T>;
  /** Entries handed out in all, and by the current underlying iterator. */
  #total = 0;
  #sinceOpen = 0;
  #lastCursor: string | undefined;

  constructor(
    private kv: Deno.Kv,
    private selector: Deno.KvListSelector,
    private options: Deno.KvListOptions,
    private retry: BusyRetryOptions,
  ) {
    this.#iter = kv.list<T>(selector, options);
    this.#lastCursor = options.cursor;
  }

  /** KV's cursor after the last entry returned (as Deno.KvListIterator.cursor). */
  get cursor(): string {
    return this.#sinceOpen ? this.#iter.cursor : (this.#lastCursor ?? this.#iter.cursor);
  }

  next(): Promise<IteratorResult<Deno.KvEntry<T>>> {
    return withBusyRetry(async () => {
      try {
        const r = await this.#iter.next();
        if (!r.done) {
          this.#total++;
          this.#sinceOpen++;
        }
        return r;
      } catch (e) {
        // KV encodes a cursor on each read of .cursor: read it only when reopening, not per
        // entry (that cost a month's enumeration 3.5× a raw list). A failed next() leaves the
        // iterator's cursor at the last entry it handed out.
        if (this.#sinceOpen) this.#lastCursor = this.#iter.cursor;
        // Reopen after the last entry handed out, with what is left of the limit.
        const limit = this.options.limit === undefined
          ? undefined
          : this.options.limit - this.#total;
        this.#iter = this.kv.list<T>(this.selector, {
          ...this.options,
          limit,
          cursor: this.#lastCursor,
        });
        this.#sinceOpen = 0;
        throw e;
      }
    }, this.retry);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
