// Over 400 lines on purpose: one island (mounted on every staff page) whose worker registration,
// sync loop and banner share state; a split would mean props crossing island boundaries.
// On every staff page: registers the service worker, keeps the attendant's queue and opened
// cases in IndexedDB, replays the offline outbox to /app/sync when the connection is back, and
// shows a banner (online/offline, last sync). On a live page that lost its connection, forms
// that can wait are kept in the outbox and the ones that need the network are disabled.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { formatDateTime } from "../domain/format.ts";
import {
  CHANGED,
  changed,
  clearOfflineData,
  CONNECTION,
  EXPIRY_DROPPED,
  markApplied,
  markFailed,
  type NewAction,
  type OutboxEntry,
  pickCase,
  pickQueue,
  queueAction,
  store,
  type StoredQueue,
  ui,
  wipeExpiredSession,
} from "./OfflineOutbox.tsx";
import { OFFLINE_KINDS, type OfflineCase } from "../domain/offline.ts";

interface Props extends Record<string, unknown> {
  userId: string;
  /** The session's absolute expiry (ms since the epoch) when the page was rendered. */
  sessionEndsAt: number;
}

/** Classes of the banner states and of the notes added to disabled forms (safelisted). */
export const bannerCls = {
  on: "bg-brand-50 text-brand-800 border-b border-brand-100",
  off: "bg-amber-100 text-amber-900 border-b border-amber-500",
  needsNet: "text-sm text-amber-900 mt-1",
};

const QUEUE_TTL_MS = 60_000;
const CASE_PATH = /^\/app\/cases\/([A-Za-z0-9_-]+)$/;
const OFFLINE_FORM = new RegExp(
  `^/app/cases/([A-Za-z0-9_-]+)/(${OFFLINE_KINDS.join("|")})$`,
);

class Expired extends Error {}
/** 403 or 404: this attendant may no longer read it (need to know), or it is gone. */
class Refused extends Error {}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (res.status === 401) throw new Expired();
  if (res.status === 403 || res.status === 404) throw new Refused(`${url}: ${res.status}`);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return await res.json() as T;
}

async function saveCase(id: string): Promise<StoredCase | null> {
  try {
    const c = await getJson<OfflineCase>(`/app/api/case?id=${encodeURIComponent(id)}`);
    const kept = pickCase(c, new Date().toISOString());
    await store.putCase(kept);
    return kept;
  } catch (e) {
    if (e instanceof Expired) throw e;
    // Refused (now a colleague's case) or gone: its copy leaves the device too.
    if (e instanceof Refused) await store.deleteCase(id).catch(() => {});
    return null; // unreachable or a server error: the copy stays as it was
  }
}
type StoredCase = Parameters<typeof store.putCase>[0];

const wire = (e: OutboxEntry) => ({
  id: e.id,
  kind: e.kind,
  caseId: e.caseId,
  contractId: e.contractId,
  baseRev: e.baseRev,
  fields: e.fields,
  queuedAt: e.queuedAt,
});

/**
 * Sends the ready actions (in order, chained ones after their predecessor), then refreshes.
 * Returns true when another tab was sending some of them, so they are asked about again.
 */
async function replayAndRefresh(userId: string): Promise<boolean> {
  const s = await getJson<{ userId: string; csrf: string; expiresAt: string }>(
    "/app/api/session",
  );
  if (s.userId !== userId) throw new Expired(); // another account signed in meanwhile
  await store.setMeta("sessionEnds", s.expiresAt);
  const touched = new Set<string>();
  let busyElsewhere = false;
  for (let round = 0; round < 20; round++) {
    const all = await store.outbox();
    const ids = new Set(all.map((e) => e.id));
    // An action waits while the one it builds on is still in the outbox.
    const ready = all.filter((e) => e.status === "queued" && !(e.after && ids.has(e.after)))
      .slice(0, 50);
    if (!ready.length) break;
    const res = await fetch("/app/sync", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-csrf-token": s.csrf,
      },
      body: JSON.stringify({ mutations: ready.map(wire) }),
    });
    if (res.status === 401) throw new Expired();
    if (!res.ok) throw new Error(`sync: ${res.status}`);
    const { results } = await res.json();
    let progress = false;
    for (const r of results) {
      const e = ready.find((x) => x.id === r.id);
      if (!e) continue;
      if (r.status === "pending") { // another tab is sending it
        busyElsewhere = true;
        continue;
      }
      progress = true;
      if (r.status === "applied") {
        await markApplied(e.id, r.rev);
        touched.add(r.caseId);
      } else {
        await markFailed(e, r.status, r.message, r.theirs);
        if (r.theirs) touched.add(r.theirs.id);
      }
    }
    if (!progress) break;
  }
  const caseId = location.pathname.match(CASE_PATH)?.[1];
  if (caseId) touched.add(caseId);
  const saved = new Map<string, StoredCase>();
  for (const id of touched) {
    const c = await saveCase(id);
    if (c) saved.set(id, c);
  }
  // The queue is refreshed on the queue page, when old, or when a case seen here moved on.
  const last = await store.getMeta<StoredQueue>("queue");
  const stale = !last || location.pathname === "/app" ||
    Date.now() - Date.parse(last.at) > QUEUE_TTL_MS ||
    [...saved.values()].some((c) => {
      const row = last.cases.find((r) => r.id === c.id);
      return row ? row.rev !== c.rev : c.assigneeId === userId;
    });
  if (stale) {
    const q = pickQueue(await getJson<StoredQueue>("/app/api/queue"));
    await store.setMeta("queue", q);
    // Cases kept on this device whose version moved on are fetched again.
    const kept = new Set(await store.caseIds());
    for (const row of q.cases) {
      if (saved.has(row.id) || !kept.has(row.id)) continue;
      if ((await store.getCase(row.id))?.rev !== row.rev) await saveCase(row.id);
    }
  }
  await store.setMeta("lastSync", new Date().toISOString());
  changed();
  return busyElsewhere;
}

async function ensureOwner(userId: string) {
  // Data left by another account (a session that expired without logout) must not show.
  const owner = await store.getMeta<string>("owner");
  if (owner && owner !== userId) await clearOfflineData();
  // A new owner, or a shell page wiped at a session's expiry: the worker stores it again.
  const shell = "caches" in globalThis ? await caches.match("/app/offline") : true;
  if (owner !== userId || !shell) {
    await store.setMeta("owner", userId);
    navigator.serviceWorker?.controller?.postMessage("refresh-shell");
  }
}

/** The offline version of a live page's form: contact, claim or release go to the outbox. */
function actionFromForm(form: HTMLFormElement): NewAction | null {
  const path = new URL(form.action, location.href).pathname;
  const f = new FormData(form);
  const get = (k: string) => String(f.get(k) ?? "");
  const name = document.querySelector("[data-testid=customer-name]")?.textContent?.trim() ??
    form.closest("li")?.querySelector("a")?.textContent?.trim() ?? "Cliente";
  if (path === "/app/claim") {
    return { kind: "claim", contractId: get("contractId"), label: "Assumir", customerName: name };
  }
  const m = path.match(OFFLINE_FORM);
  if (!m) return null;
  const rev = Number(get("rev"));
  const base = { caseId: m[1], baseRev: rev, customerName: name, seen: `versão ${rev}` };
  if (m[2] !== "contact") {
    return { ...base, kind: m[2] as "claim", label: m[2] === "claim" ? "Assumir" : "Liberar" };
  }
  const callback = get("callbackAt") ? new Date(get("callbackAt")).toISOString() : undefined;
  const outcome = form.querySelector<HTMLSelectElement>("[name=outcome]");
  const note = get("note").trim();
  return {
    ...base,
    kind: "contact",
    fields: { channel: get("channel"), outcome: get("outcome"), note, callbackAt: callback },
    label: `Contato: ${outcome?.selectedOptions[0]?.text ?? get("outcome")}${
      note ? ` — “${note}”` : ""
    }`,
  };
}

/** Disables (offline) or re-enables the live page's forms that need the network. */
function markNetworkForms(offline: boolean) {
  for (const form of document.querySelectorAll<HTMLFormElement>("main form[method=post]")) {
    if (actionFromFormPath(form)) continue;
    const note = form.querySelector("[data-needs-net]");
    for (const b of form.querySelectorAll<HTMLButtonElement>("button")) b.disabled = offline;
    if (offline && !note) {
      const p = document.createElement("p");
      p.dataset.needsNet = "";
      p.className = bannerCls.needsNet;
      p.textContent = "Precisa de conexão: envia mensagem ou altera o cadastro.";
      form.append(p);
    } else if (!offline) note?.remove();
  }
}
const actionFromFormPath = (form: HTMLFormElement) => {
  const path = new URL(form.action, location.href).pathname;
  return path === "/app/claim" || OFFLINE_FORM.test(path);
};

/** What the last request said about the network: navigator.onLine alone is often wrong. */
let connected = true;

const droppedNote = (n: number) =>
  `${n} ação(ões) guardada(s) com dados de clientes foi(ram) apagada(s) sem envio quando a ` +
  "sessão expirou: registre-a(s) de novo.";

/** The session's absolute end as known here: this page's, or a newer one a later request saw. */
async function sessionEnd(rendered: number): Promise<number> {
  const seen = Date.parse((await store.getMeta<string>("sessionEnds").catch(() => "")) ?? "");
  return Math.max(rendered || 0, isNaN(seen) ? 0 : seen);
}

function SyncAgent({ userId, sessionEndsAt }: Props) {
  const online = useSignal(true);
  const lastSync = useSignal<string | null>(null);
  const waiting = useSignal(0);
  const note = useSignal("");
  const expired = useSignal(false);
  const logoutForm = useSignal<HTMLFormElement | null>(null);
  /** Syncs completed on this page (tests wait for the first one). */
  const syncs = useSignal(0);

  useEffect(() => {
    let running: Promise<void> | null = null;
    let again = false;
    /** The session is over: no more syncs from this page (they would refill the device). */
    let over = false;
    let retries = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const setConnected = (v: boolean) => {
      if (v === connected && v === online.value) return;
      connected = online.value = v;
      markNetworkForms(!v);
      dispatchEvent(new CustomEvent(CONNECTION, { detail: v }));
    };
    const counts = async () => {
      waiting.value = (await store.outbox()).filter((e) => e.status === "queued").length;
      lastSync.value = (await store.getMeta<string>("lastSync")) ?? null;
    };
    const expire = async () => {
      if (over) return;
      over = true;
      clearTimeout(retryTimer);
      clearInterval(expiryTimer);
      expired.value = true;
      const dropped = await wipeExpiredSession().catch(() => 0);
      note.value = "Sua sessão terminou: os dados de clientes foram apagados deste aparelho." +
        (dropped ? ` ${droppedNote(dropped)}` : "");
      await counts().catch(() => {});
    };
    const checkExpiry = async () => {
      if (!over && Date.now() >= await sessionEnd(sessionEndsAt)) await expire();
    };
    const expiryTimer = setInterval(() => checkExpiry().catch(() => {}), 15_000);
    const sync = () => {
      if (over) return;
      if (running) return void (again = true);
      clearTimeout(retryTimer);
      running = (async () => {
        try {
          const askAgain = await replayAndRefresh(userId);
          expired.value = false;
          retries = 0;
          if (askAgain) retryTimer = setTimeout(sync, 30_000);
          syncs.value++;
          // "Offline" from the browser is reliable (unlike "online"): it wins over a late answer.
          setConnected(navigator.onLine);
        } catch (e) {
          if (e instanceof Expired) {
            await expire(); // nothing to retry until the attendant signs in again
          } else {
            // No network (fetch throws TypeError) or a server error: probe again, slower.
            if (e instanceof TypeError) setConnected(false);
            else console.warn("sync failed", e);
            retries = Math.min(retries + 1, 5);
            retryTimer = setTimeout(sync, 1000 * 2 ** retries);
          }
        }
        await counts().catch(() => {});
      })().finally(() => {
        running = null;
        if (again) (again = false, sync());
      });
    };
    navigator.serviceWorker?.register("/sw.js", { scope: "/", updateViaCache: "none" })
      .catch((e) => console.warn("service worker not registered", e));
    // The offline shell is only served when the network failed.
    setConnected(navigator.onLine && !document.querySelector("[data-testid=offline-app]"));
    ensureOwner(userId)
      .then(async () => {
        // Actions dropped when an earlier session expired: say so once, after signing in.
        const dropped = await store.getMeta<number>(EXPIRY_DROPPED);
        if (dropped) {
          note.value = droppedNote(dropped);
          await store.deleteMeta(EXPIRY_DROPPED);
        }
        const end = await sessionEnd(sessionEndsAt);
        if (end) await store.setMeta("sessionEnds", new Date(end).toISOString());
        await checkExpiry();
      })
      .then(counts).then(sync).catch(() => {});
    const onOffline = () => setConnected(false);
    const onChanged = () => {
      counts().then(() => connected && waiting.value > 0 && sync()).catch(() => {});
    };
    const onSubmit = (ev: SubmitEvent) => {
      const form = ev.target as HTMLFormElement;
      const path = new URL(form.action, location.href).pathname;
      if (path === "/logout") return onLogout(ev, form);
      if (connected || form.method.toLowerCase() !== "post") return;
      ev.preventDefault();
      const a = actionFromForm(form);
      if (!a) return void (note.value = "Esta ação precisa de conexão.");
      queueAction(a).then(() => {
        form.reset();
        note.value = `${a.label}: guardado neste aparelho; será enviado quando a conexão voltar.`;
      });
    };
    const onLogout = (ev: SubmitEvent, form: HTMLFormElement) => {
      if (form.dataset.cleared) return; // second pass, after clearing: really sign out
      ev.preventDefault();
      store.outbox().then((all) => {
        if (all.length && !logoutForm.value) logoutForm.value = form;
        else signOut(form);
      }).catch(() => signOut(form));
    };
    addEventListener("online", sync);
    addEventListener("offline", onOffline);
    addEventListener(CHANGED, onChanged);
    document.addEventListener("submit", onSubmit, true);
    return () => {
      clearTimeout(retryTimer);
      clearInterval(expiryTimer);
      removeEventListener("online", sync);
      removeEventListener("offline", onOffline);
      removeEventListener(CHANGED, onChanged);
      document.removeEventListener("submit", onSubmit, true);
    };
  }, [userId, sessionEndsAt]);

  const signOut = async (form: HTMLFormElement) => {
    logoutForm.value = null;
    let state: "ok" | "offline" | "expired" = "ok";
    try {
      // The offline shell may carry an old token: take the session's current one.
      const s = await getJson<{ csrf: string }>("/app/api/session");
      form.querySelector<HTMLInputElement>("[name=_csrf]")!.value = s.csrf;
    } catch (e) {
      state = e instanceof Expired ? "expired" : "offline";
    }
    await clearOfflineData();
    await (await navigator.serviceWorker?.getRegistration())?.unregister();
    if (state === "expired") return location.assign("/login"); // already signed out
    if (state === "offline") {
      document.getElementById("main")?.replaceChildren();
      note.value = "Os dados deste aparelho foram apagados. Conecte-se para encerrar a sessão.";
      return;
    }
    form.dataset.cleared = "1";
    form.requestSubmit();
  };

  const off = !online.value;
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="sync-status"
      data-online={off ? "false" : "true"}
      data-syncs={syncs.value}
      class={off ? bannerCls.off : bannerCls.on}
    >
      <p class="max-w-6xl mx-auto px-4 py-1 text-sm flex flex-wrap gap-x-3">
        <strong>{off ? "Sem conexão" : "Conectado"}</strong>
        <span>
          {lastSync.value
            ? `Última sincronização: ${formatDateTime(lastSync.value)}`
            : "Ainda não sincronizado neste aparelho"}
        </span>
        {waiting.value > 0 && <span>{waiting.value} ação(ões) aguardando envio</span>}
        {off && (
          <span>O que você registrar fica guardado e será enviado quando a conexão voltar.</span>
        )}
        {expired.value && (
          <a class="underline font-medium" href={`/login?next=${encodeURIComponent("/app")}`}>
            Sua sessão expirou: entre de novo para enviar o que ficou guardado.
          </a>
        )}
        {note.value && <span data-testid="sync-note">{note.value}</span>}
      </p>
      {logoutForm.value && (
        <div class={`${ui.warn} max-w-6xl mx-auto`} role="alertdialog" aria-label="Sair">
          <p class="mb-2">
            Há ações guardadas que ainda não foram enviadas. Sair agora apaga essas ações deste
            aparelho.
          </p>
          <div class={ui.row}>
            <button
              type="button"
              class={ui.btn}
              onClick={() =>
                signOut(logoutForm.value!)}
            >
              Sair mesmo assim
            </button>
            <button type="button" class={ui.btn2} onClick={() => (logoutForm.value = null)}>
              Continuar conectado
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

export default island("SyncAgent", SyncAgent);
