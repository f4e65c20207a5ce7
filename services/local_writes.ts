// This process's own writes, as they commit: a thin wrapper around Deno.Kv that tells
// listeners which keys a successful commit (atomic, set or delete) changed, before the caller's
// commit() resolves. Whatever the process writes next (a redirect, the next request) comes after
// the listeners ran, so an in-memory copy dropped here is never served after its own change.
// Writes by another process or instance are not seen: readers that care also check versionstamps.
export type WriteListener = (keys: readonly Deno.KvKey[]) => void;

const MUTATORS = new Set(["set", "delete", "sum", "min", "max"]);

export interface ObservedKv {
  kv: Deno.Kv;
  /** Adds a listener; returns the function that removes it. */
  onWrite(listener: WriteListener): () => void;
}

export function observeWrites(kv: Deno.Kv): ObservedKv {
  const listeners = new Set<WriteListener>();
  const emit = (ks: readonly Deno.KvKey[]) => {
    for (const l of listeners) {
      try {
        l(ks);
      } catch (e) {
        console.error("write listener failed", e);
      }
    }
  };
  // Each atomic's own mutators record the keys they touch; commit reports them once it is ok.
  const wrapAtomic = (op: Deno.AtomicOperation): Deno.AtomicOperation => {
    const written: Deno.KvKey[] = [];
    const o = op as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of MUTATORS) {
      const real = o[name].bind(op);
      o[name] = (key: unknown, ...rest: unknown[]) => {
        written.push(key as Deno.KvKey);
        real(key, ...rest);
        return op;
      };
    }
    const mutate = op.mutate.bind(op);
    op.mutate = (...ms: Deno.KvMutation[]) => {
      for (const m of ms) written.push(m.key);
      mutate(...ms);
      return op;
    };
    const commit = op.commit.bind(op);
    op.commit = async () => {
      const res = await commit();
      if (res.ok && written.length && listeners.size) emit(written);
      return res;
    };
    return op;
  };
  const bound = new Map<PropertyKey, unknown>();
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "atomic") return () => wrapAtomic(target.atomic());
      if (prop === "set" || prop === "delete") {
        return async (...args: unknown[]) => {
          const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (listeners.size) emit([args[0] as Deno.KvKey]);
          return out;
        };
      }
      let fn = bound.get(prop);
      if (!fn) bound.set(prop, fn = value.bind(target));
      return fn;
    },
  });
  return {
    kv: wrapped,
    onWrite(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
