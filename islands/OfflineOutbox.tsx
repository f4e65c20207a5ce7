// Over 400 lines on purpose: one island whose outbox view, conflict view and expiry wipe share the
// same IndexedDB helpers and state; a split would mean another island boundary and bundle entry.
// The attendant's data on this device (IndexedDB): the queue, the cases they opened and the
// outbox of actions taken without a connection. The island shows what waits to be sent, and
// every conflict with both versions side by side until the attendant chooses.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { formatDateTime } from "../domain/format.ts";
import type { OfflineCase, OfflineKind } from "../domain/offline.ts";

export const DB_NAME = "renova-offline";
/** Fired on window whenever the stored data or the outbox change. */
export const CHANGED = "renova:offline-changed";
/** Fired on window by the sync agent when the server becomes (un)reachable; detail: boolean. */
export const CONNECTION = "renova:connection";

/** Classes the offline islands render only in the browser; mirrored in twindSafelist. */
export const ui = {
  card: "bg-white rounded shadow p-4 mb-4",
  warn: "rounded border border-amber-500 bg-amber-50 p-4 mb-4",
  bad: "rounded border border-red-700 bg-red-50 p-4 mb-4",
  h2: "text-lg font-bold mb-2",
  h3: "font-semibold mb-1",
  grid: "grid gap-4 md:grid-cols-2",
  small: "text-sm text-gray-700",
  btn: "rounded bg-brand-600 text-white px-3 py-2 text-sm font-medium hover:bg-brand-700 " +
    "focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-600 disabled:opacity-50",
  btn2: "rounded border border-gray-400 bg-white text-gray-900 px-3 py-2 text-sm font-medium " +
    "hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-600 disabled:opacity-50",
  row: "flex flex-wrap gap-2 items-center",
  list: "text-sm divide-y",
  li: "py-1",
};

export interface StoredQueue {
  userId: string;
  at: string;
  cases: {
    id: string;
    rev: number;
    customerName: string;
    phone: string;
    stepLabel: string;
    nextAction: string;
    lastContactAt?: string;
    callbackAt?: string;
    city: string;
    planName?: string;
    loyaltyEnd: string;
  }[];
  due: {
    contractId: string;
    customerName: string;
    phone: string;
    city: string;
    planName?: string;
    loyaltyEnd: string;
  }[];
}

/** A case as kept on the device: only what the offline screens show (`pickCase`). */
export type StoredCase = Omit<OfflineCase, "updatedAt" | "lastChange"> & { savedAt: string };

export interface OutboxEntry {
  id: string;
  kind: OfflineKind;
  caseId?: string;
  contractId?: string;
  baseRev?: number;
  /** Waits for this earlier action on the same case: its rev comes from that one's result. */
  after?: string;
  fields?: { channel?: string; outcome?: string; note?: string; callbackAt?: string };
  queuedAt: string;
  /** pt-BR description of the action, and what the attendant saw when taking it. */
  label: string;
  customerName: string;
  seen?: string;
  status: "queued" | "conflict" | "rejected";
  message?: string;
  theirs?: OfflineCase;
}

let dbPromise: Promise<IDBDatabase> | null = null;

function idb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("meta");
      req.result.createObjectStore("cases", { keyPath: "id" });
      req.result.createObjectStore("outbox", { keyPath: "id" });
    };
    req.onsuccess = () => {
      // A logout in another tab deletes the database: let it, instead of blocking it.
      req.result.onversionchange = () => {
        req.result.close();
        dbPromise = null;
      };
      resolve(req.result);
    };
    req.onerror = () => {
      dbPromise = null;
      reject(req.error);
    };
  });
  return dbPromise;
}

async function tx<T>(
  name: "meta" | "cases" | "outbox",
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest | void,
): Promise<T> {
  const db = await idb();
  return await new Promise<T>((resolve, reject) => {
    const t = db.transaction(name, mode);
    const req = fn(t.objectStore(name));
    t.oncomplete = () => resolve((req ? req.result : undefined) as T);
    t.onerror = t.onabort = () => reject(t.error);
  });
}

export const store = {
  getMeta: <T,>(key: string) => tx<T | undefined>("meta", "readonly", (s) => s.get(key)),
  setMeta: (key: string, v: unknown) => tx<void>("meta", "readwrite", (s) => s.put(v, key)),
  deleteMeta: (key: string) => tx<void>("meta", "readwrite", (s) => s.delete(key)),
  getCase: (id: string) => tx<StoredCase | undefined>("cases", "readonly", (s) => s.get(id)),
  putCase: (c: StoredCase) => tx<void>("cases", "readwrite", (s) => s.put(c)),
  caseIds: () => tx<string[]>("cases", "readonly", (s) => s.getAllKeys()),
  deleteCase: (id: string) => tx<void>("cases", "readwrite", (s) => s.delete(id)),
  outbox: async () =>
    (await tx<OutboxEntry[]>("outbox", "readonly", (s) => s.getAll()))
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt)),
  putEntry: (e: OutboxEntry) => tx<void>("outbox", "readwrite", (s) => s.put(e)),
  deleteEntry: (id: string) => tx<void>("outbox", "readwrite", (s) => s.delete(id)),
};

export function changed() {
  globalThis.dispatchEvent(new Event(CHANGED));
}

function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Everything this device keeps for the attendant: IndexedDB and the service worker caches.
 * `keepAssets` (session expiry, the worker stays registered) deletes only the per-user shell
 * page and keeps the static files, which the worker would not fetch again by itself.
 */
export async function clearOfflineData(keepAssets = false, deleteDb = true) {
  if (deleteDb) {
    if (dbPromise) (await dbPromise.catch(() => null))?.close();
    dbPromise = null;
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
  if ("caches" in globalThis) {
    for (const k of await caches.keys()) {
      if (!k.startsWith("renova-")) continue;
      if (keepAssets) await (await caches.open(k)).delete("/app/offline");
      else await caches.delete(k);
    }
  }
}

/**
 * What an unsent action keeps once its session has expired: ids, kind, version and the
 * contact's outcome, never a name, a note (free text may name people) or the server's copy.
 * Null when it cannot be kept without personal data (a contact with a note) or when there is
 * nothing left to send (a refusal).
 */
/** Meta key: actions dropped at a session's expiry, until the attendant has been told. */
export const EXPIRY_DROPPED = "expiryDropped";

export function withoutPersonalData(e: OutboxEntry): OutboxEntry | null {
  if (e.status === "rejected") return null;
  if (e.kind === "contact" && e.fields?.note?.trim()) return null;
  return {
    id: e.id,
    kind: e.kind,
    caseId: e.caseId,
    contractId: e.contractId,
    baseRev: e.baseRev,
    after: e.after,
    fields: e.kind === "contact"
      ? { channel: e.fields?.channel, outcome: e.fields?.outcome, callbackAt: e.fields?.callbackAt }
      : undefined,
    queuedAt: e.queuedAt,
    label: e.kind === "claim" ? "Assumir" : e.kind === "release" ? "Liberar" : "Contato",
    customerName: "Cliente",
    // A conflict is asked again when re-sent: the server answers it with the current version.
    status: "queued",
  };
}

/**
 * The session is over (the server answered 401, or its absolute expiry passed): customer data
 * leaves the device. IndexedDB's stores are emptied and the shell page leaves the caches;
 * unsent actions without personal data stay (with their owner, so another account's sign-in still drops them). Returns how
 * many actions had to be dropped (this time and by earlier wipes not yet reported), so the
 * attendant can be told; the count stays in `meta/expiryDropped` until the agent shows it.
 */
export async function wipeExpiredSession(): Promise<number> {
  // Nothing stored: do not create an empty database just to clear it.
  const names = await indexedDB.databases?.().catch(() => null);
  if (names && !names.some((d) => d.name === DB_NAME)) {
    await clearOfflineData(true);
    return 0;
  }
  const db = await idb();
  // One transaction: a page closed halfway (the sign-in page loading) leaves all or nothing.
  const dropped = await new Promise<number>((resolve, reject) => {
    const t = db.transaction(["meta", "cases", "outbox"], "readwrite");
    const meta = t.objectStore("meta");
    const outbox = t.objectStore("outbox");
    const all = outbox.getAll();
    const before = meta.get(EXPIRY_DROPPED);
    const owner = meta.get("owner");
    let n = 0;
    owner.onsuccess = () => {
      const entries = all.result as OutboxEntry[];
      const kept = entries.map(withoutPersonalData).filter((e): e is OutboxEntry => e !== null);
      n = ((before.result as number | undefined) ?? 0) + entries.length - kept.length;
      t.objectStore("cases").clear();
      outbox.clear();
      meta.clear();
      if (owner.result && (kept.length || n)) meta.put(owner.result, "owner");
      for (const e of kept) outbox.put(e);
      if (n) meta.put(n, EXPIRY_DROPPED);
    };
    t.oncomplete = () => resolve(n);
    t.onerror = t.onabort = () => reject(t.error);
  });
  await clearOfflineData(true, false);
  changed();
  return dropped;
}

/** The case fields the offline screens show; nothing else is kept on the device. */
export function pickCase(c: OfflineCase, savedAt: string): StoredCase {
  return {
    id: c.id,
    rev: c.rev,
    step: c.step,
    stepLabel: c.stepLabel,
    nextAction: c.nextAction,
    terminal: c.terminal,
    assigneeId: c.assigneeId,
    assigneeName: c.assigneeName,
    customerName: c.customerName,
    phones: c.phones,
    city: c.city,
    loyaltyEnd: c.loyaltyEnd,
    planName: c.planName,
    chosenPlanName: c.chosenPlanName,
    failedContacts: c.failedContacts,
    lastContactAt: c.lastContactAt,
    callbackAt: c.callbackAt,
    contacts: c.contacts.slice(0, 5).map((k) => ({
      id: k.id,
      at: k.at,
      by: k.by,
      outcome: k.outcome,
      channel: k.channel,
      note: k.note,
      callbackAt: k.callbackAt,
    })),
    savedAt,
  };
}

/** The queue fields the offline queue screen shows. */
export function pickQueue(q: StoredQueue): StoredQueue {
  return {
    userId: q.userId,
    at: q.at,
    cases: q.cases.map((r) => ({
      id: r.id,
      rev: r.rev,
      customerName: r.customerName,
      phone: r.phone,
      stepLabel: r.stepLabel,
      nextAction: r.nextAction,
      lastContactAt: r.lastContactAt,
      callbackAt: r.callbackAt,
      city: r.city,
      planName: r.planName,
      loyaltyEnd: r.loyaltyEnd,
    })),
    due: q.due.map((r) => ({
      contractId: r.contractId,
      customerName: r.customerName,
      phone: r.phone,
      city: r.city,
      planName: r.planName,
      loyaltyEnd: r.loyaltyEnd,
    })),
  };
}

export type NewAction = Pick<
  OutboxEntry,
  "kind" | "caseId" | "contractId" | "baseRev" | "fields" | "label" | "customerName" | "seen"
>;

/** Puts an action in the outbox, chained after any earlier one still waiting on that case. */
export async function queueAction(a: NewAction): Promise<OutboxEntry> {
  const prev = a.caseId ? (await store.outbox()).filter((e) => e.caseId === a.caseId).pop() : null;
  const e: OutboxEntry = {
    ...a,
    id: newId(),
    queuedAt: new Date().toISOString(),
    status: "queued",
    after: prev?.id,
  };
  await store.putEntry(e);
  changed();
  return e;
}

async function relink(fromId: string, patch: (e: OutboxEntry) => OutboxEntry) {
  for (const e of await store.outbox()) if (e.after === fromId) await store.putEntry(patch(e));
}

/** Applied on the server: the next action on that case builds on the version it produced. */
export async function markApplied(id: string, rev: number) {
  await store.deleteEntry(id);
  await relink(id, (e) => ({ ...e, after: undefined, baseRev: rev }));
}

export async function markFailed(
  e: OutboxEntry,
  status: "conflict" | "rejected",
  message: string,
  theirs?: OfflineCase,
) {
  await store.putEntry({ ...e, status, message, theirs });
}

/** The attendant's choice on a conflict or a refusal. */
export async function resolve(id: string, choice: "mine" | "discard") {
  const e = (await store.outbox()).find((x) => x.id === id);
  if (!e) return;
  await store.deleteEntry(id);
  if (choice === "mine" && e.theirs) {
    // Re-sent as a new action on top of the version the attendant has just seen.
    const next: OutboxEntry = {
      ...e,
      id: newId(),
      caseId: e.caseId ?? e.theirs.id,
      contractId: undefined,
      baseRev: e.theirs.rev,
      after: undefined,
      status: "queued",
      message: undefined,
      theirs: undefined,
    };
    await store.putEntry(next);
    await relink(id, (x) => ({ ...x, after: next.id }));
  } else {
    // Later actions keep the version they saw: if it no longer matches, they conflict too.
    await relink(id, (x) => ({ ...x, after: undefined }));
  }
  changed();
}

function Theirs({ c }: { c: OfflineCase }) {
  return (
    <div>
      <h3 class={ui.h3}>Versão atual (no servidor)</h3>
      <p class="text-sm">Etapa: {c.stepLabel} · Responsável: {c.assigneeName ?? "ninguém"}</p>
      {c.lastChange && (
        <p class="text-sm">
          Última alteração: {c.lastChange.label} — {c.lastChange.by},{" "}
          {formatDateTime(c.lastChange.at)}
        </p>
      )}
      <ul class={ui.list}>
        {c.contacts.slice(0, 3).map((k) => (
          <li key={k.id} class={ui.li}>
            {k.outcome} por {k.channel} — {k.by}, {formatDateTime(k.at)}
            {k.note && <span class="block text-gray-700">{k.note}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Problem({ e }: { e: OutboxEntry }) {
  const conflict = e.status === "conflict";
  const head = `${conflict ? "Conflito" : "Não registrado"}: ${e.customerName}`;
  return (
    <section class={conflict ? ui.warn : ui.bad} aria-label={head} data-testid="conflict">
      <h2 class={ui.h2}>{head}</h2>
      <p class="mb-3">{e.message}</p>
      <div class={ui.grid}>
        <div>
          <h3 class={ui.h3}>Sua versão (sem conexão, {formatDateTime(e.queuedAt)})</h3>
          <p class="text-sm" data-testid="mine">{e.label}</p>
          {e.seen && <p class={ui.small}>Quando você agiu: {e.seen}</p>}
        </div>
        {e.theirs && <Theirs c={e.theirs} />}
      </div>
      <div class={`${ui.row} mt-3`}>
        {conflict && (
          <button type="button" class={ui.btn} onClick={() => resolve(e.id, "mine")}>
            Aplicar a minha sobre a versão atual
          </button>
        )}
        <button type="button" class={ui.btn2} onClick={() => resolve(e.id, "discard")}>
          Descartar a minha
        </button>
      </div>
    </section>
  );
}

function OfflineOutbox() {
  const entries = useSignal<OutboxEntry[]>([]);
  useEffect(() => {
    const load = () => store.outbox().then((x) => (entries.value = x)).catch(() => {});
    load();
    globalThis.addEventListener(CHANGED, load);
    return () => globalThis.removeEventListener(CHANGED, load);
  }, []);
  const problems = entries.value.filter((e) => e.status !== "queued");
  const waiting = entries.value.filter((e) => e.status === "queued");
  return (
    <div aria-live="polite">
      {problems.map((e) => <Problem key={e.id} e={e} />)}
      {waiting.length > 0 && (
        <section class={ui.card} aria-label="Ações aguardando envio" data-testid="outbox">
          <h2 class={ui.h2}>Aguardando envio ({waiting.length})</h2>
          <ul class={ui.list}>
            {waiting.map((e) => (
              <li key={e.id} class={ui.li}>
                <strong>{e.customerName}</strong> — {e.label}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export default island("OfflineOutbox", OfflineOutbox);
