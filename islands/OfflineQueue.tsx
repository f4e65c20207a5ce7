// The offline app shell (served by the service worker when a page cannot be fetched): reads
// the attendant's queue and the cases they opened from IndexedDB, by the URL the browser asked
// for, and lets them record contacts, call-backs, claims and releases into the outbox.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { formatDate, formatDateTime, formatPhone } from "../domain/format.ts";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../domain/contact.ts";
import { can, nextButtons, STAFF_BUTTONS, STEP_POLICY } from "../domain/policy.ts";
import type { Step } from "../domain/steps.ts";
import {
  CHANGED,
  CONNECTION,
  type OutboxEntry,
  queueAction,
  store,
  type StoredCase,
  type StoredQueue,
  ui,
} from "./OfflineOutbox.tsx";

interface Props extends Record<string, unknown> {
  userId: string;
  role: string;
}

/** The contact form's options: the same table as the case page's (domain/contact.ts). */
const CHANNELS: Record<string, string> = CONTACT_CHANNELS;
const OUTCOMES: Record<string, string> = CONTACT_OUTCOMES;

const PENDING: Record<OutboxEntry["status"], string> = {
  queued: "Aguardando envio:",
  conflict: "Em conflito (escolha acima):",
  rejected: "Não registrado (veja acima):",
};

const field = "w-full rounded border border-gray-400 px-2 py-1.5 text-sm";
const badge = "inline-block rounded px-2 py-0.5 text-xs font-medium bg-brand-100 text-brand-800";

function Phone({ phone }: { phone: string }) {
  if (!phone) return null;
  return <a class="text-sm text-brand-700 underline" href={`tel:+${phone}`}>{formatPhone(phone)}
  </a>;
}

function QueueView({ q, outbox }: { q: StoredQueue; outbox: OutboxEntry[] }) {
  const claimed = new Set(outbox.filter((e) => e.contractId).map((e) => e.contractId));
  const claim = (r: StoredQueue["due"][number]) =>
    queueAction({
      kind: "claim",
      contractId: r.contractId,
      label: "Assumir",
      customerName: r.customerName,
      seen: "sem renovação aberta",
    });
  return (
    <section>
      <h1 class="text-2xl font-bold">Renovações a vencer</h1>
      <p class={`${ui.small} mb-4`}>Dados guardados neste aparelho em {formatDateTime(q.at)}.</p>
      <h2 class={ui.h2}>Meus casos</h2>
      {q.cases.length === 0 && <p class="mb-4">Nenhum caso com você.</p>}
      <ul class="bg-white rounded shadow divide-y mb-6">
        {q.cases.map((r) => (
          <li
            key={r.id}
            class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center"
            data-testid="offline-case-row"
          >
            <a href={`/app/cases/${r.id}`} class="font-medium text-brand-700 underline">
              {r.customerName}
            </a>
            <Phone phone={r.phone} />
            <span class={badge}>{r.stepLabel}</span>
            <span class="text-sm">
              Próximo: <strong>{r.nextAction}</strong>
            </span>
            <span class="text-sm">
              Último contato: {r.lastContactAt ? formatDateTime(r.lastContactAt) : "nenhum"}
            </span>
            {r.callbackAt && <span class="text-sm">Retornar em {formatDateTime(r.callbackAt)}
            </span>}
          </li>
        ))}
      </ul>
      <h2 class={ui.h2}>A vencer, sem renovação aberta</h2>
      <ul class="bg-white rounded shadow divide-y">
        {q.due.map((r) => (
          <li key={r.contractId} class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center">
            <span class="font-medium">{r.customerName}</span>
            <Phone phone={r.phone} />
            <span class={ui.small}>{r.city} · {r.planName ?? "—"}</span>
            <span class="text-sm">Fim da fidelidade: {formatDate(r.loyaltyEnd)}</span>
            <button
              type="button"
              class={ui.btn}
              disabled={claimed.has(r.contractId)}
              onClick={() =>
                claim(r)}
            >
              {claimed.has(r.contractId) ? "Assumir: aguardando envio" : "Assumir"}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ContactForm({ c, seen }: { c: StoredCase; seen: string }) {
  const done = useSignal("");
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const get = (k: string) => String(f.get(k) ?? "");
    const note = get("note").trim();
    await queueAction({
      kind: "contact",
      caseId: c.id,
      baseRev: c.rev,
      customerName: c.customerName,
      seen,
      fields: {
        channel: get("channel"),
        outcome: get("outcome"),
        note,
        // The device's own time zone, as the attendant typed it.
        callbackAt: get("callbackAt") ? new Date(get("callbackAt")).toISOString() : undefined,
      },
      label: `Contato: ${OUTCOMES[get("outcome")]} por ${CHANNELS[get("channel")]}${
        note ? ` — “${note}”` : ""
      }`,
    });
    form.reset();
    done.value = "Contato guardado neste aparelho; será enviado quando a conexão voltar.";
  };
  return (
    <form
      class="grid gap-2 sm:grid-cols-2 mb-4"
      onSubmit={onSubmit}
      aria-label={STAFF_BUTTONS.contact}
    >
      <label class="text-sm">
        Canal
        <select name="channel" class={field}>
          {Object.entries(CHANNELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label class="text-sm">
        Resultado
        <select name="outcome" class={field}>
          {Object.entries(OUTCOMES).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label class="text-sm">
        Retornar em (se pediu retorno)
        <input type="datetime-local" name="callbackAt" class={field} />
      </label>
      <label class="text-sm sm:col-span-2">
        Anotação
        <textarea name="note" rows={2} maxLength={900} class={field}></textarea>
      </label>
      <div class={ui.row}>
        <button type="submit" class={ui.btn}>{STAFF_BUTTONS.contact}</button>
        {done.value && <span role="status" class="text-sm text-green-700">{done.value}</span>}
      </div>
    </form>
  );
}

function CaseView(
  { c, outbox, userId, role, online }: {
    c: StoredCase;
    outbox: OutboxEntry[];
    userId: string;
    role: string;
    online: boolean;
  },
) {
  const mineQueued = outbox.filter((e) => e.caseId === c.id);
  const lastAssign = [...mineQueued].reverse().find((e) => e.kind !== "contact");
  // A claim or release still in the outbox decides what the attendant may do next here.
  const mine = lastAssign ? lastAssign.kind === "claim" : c.assigneeId === userId;
  const free = lastAssign ? lastAssign.kind === "release" : !c.assigneeId;
  const canAct = (mine || role !== "attendant") && !c.terminal;
  // What the live page would offer here; all of it needs the network. The device does not
  // know whether a link went out, so the link button keeps its first label.
  const step = c.step as Step;
  const needsNet = STEP_POLICY[step] ? nextButtons(step, false) : [];
  const seen = `etapa ${c.stepLabel}, responsável ${c.assigneeName ?? "ninguém"} (versão ${c.rev})`;
  const assign = (kind: "claim" | "release") =>
    queueAction({
      kind,
      caseId: c.id,
      baseRev: c.rev,
      customerName: c.customerName,
      seen,
      label: kind === "claim" ? "Assumir" : "Liberar",
    });
  return (
    <div>
      <a href="/app" class="text-brand-700 underline text-sm">← Renovações</a>
      <div class="flex flex-wrap items-center gap-3 mt-2 mb-1">
        <h1 class="text-2xl font-bold" data-testid="customer-name">{c.customerName}</h1>
        <span class={badge} data-testid="case-step">{c.stepLabel}</span>
        <span class="text-sm text-gray-700">Responsável: {c.assigneeName ?? "ninguém"}</span>
        {free && !c.terminal && !mine && (
          <button
            type="button"
            class={ui.btn}
            onClick={() => assign("claim")}
          >
            Assumir
          </button>
        )}
        {mine && !c.terminal && (
          <button
            type="button"
            class={ui.btn2}
            onClick={() => assign("release")}
          >
            Liberar
          </button>
        )}
      </div>
      <p class={`${ui.small} mb-4`}>
        Dados guardados neste aparelho em {formatDateTime(c.savedAt)} (versão {c.rev}).
      </p>
      <div class={ui.grid}>
        <div>
          <section class={ui.card} aria-labelledby="o-next">
            <h2 id="o-next" class={ui.h2}>Próximo passo</h2>
            <p class="mb-3" data-testid="next-action">{c.nextAction}</p>
            {canAct && needsNet.length > 0 && (
              <>
                <div class={ui.row}>
                  {needsNet.map((label) => (
                    <button
                      key={label}
                      type="button"
                      class={ui.btn}
                      disabled
                      aria-describedby="o-needs-net"
                    >
                      {label}
                    </button>
                  ))}
                </div>
                <p id="o-needs-net" class="text-sm text-amber-900 mt-2">
                  {online
                    ? "Estas ações estão na página atualizada (botão acima)."
                    : "Sem conexão: estas ações enviam mensagens ao cliente ou alteram o " +
                      "cadastro e voltam a funcionar quando a internet voltar."}
                </p>
              </>
            )}
          </section>
          <section class={ui.card} aria-labelledby="o-customer">
            <h2 id="o-customer" class={ui.h2}>Cliente</h2>
            <div class="grid gap-1 text-sm">
              {c.phones.map((p) => <Phone key={p} phone={p} />)}
              <span>{c.city} · {c.planName ?? "—"} · fim {formatDate(c.loyaltyEnd)}</span>
              {c.chosenPlanName && <span>Escolha: {c.chosenPlanName}</span>}
              <span>
                Último contato: {c.lastContactAt ? formatDateTime(c.lastContactAt) : "nenhum"}
              </span>
              {c.callbackAt && <span>Retornar em {formatDateTime(c.callbackAt)}</span>}
              <span>Tentativas sem sucesso: {c.failedContacts} de 5.</span>
            </div>
          </section>
        </div>
        <section class={ui.card} aria-labelledby="o-contacts">
          <h2 id="o-contacts" class={ui.h2}>Contatos</h2>
          {canAct && can(step, "contact_answered", "staff") && <ContactForm c={c} seen={seen} />}
          {!canAct && !c.terminal && (
            <p class={`${ui.warn} text-sm`}>
              Este caso está com {c.assigneeName ?? "ninguém"}. Assuma-o para agir.
            </p>
          )}
          <ul class={ui.list} data-testid="contact-log">
            {mineQueued.filter((e) => e.kind === "contact").map((e) => (
              <li key={e.id} class={ui.li} data-testid="pending-contact">
                <strong>{PENDING[e.status]}</strong> {e.label}
              </li>
            ))}
            {c.contacts.map((k) => (
              <li key={k.id} class={ui.li}>
                <strong>{k.outcome}</strong> por {k.channel} — {k.by}, {formatDateTime(k.at)}
                {k.note && <span class="block text-gray-700">{k.note}</span>}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

type View =
  | { kind: "loading" }
  | { kind: "queue"; q: StoredQueue | undefined }
  | { kind: "case"; c: StoredCase | undefined }
  | { kind: "other" };

function OfflineQueue({ userId, role }: Props) {
  const view = useSignal<View>({ kind: "loading" });
  const outbox = useSignal<OutboxEntry[]>([]);
  const online = useSignal(false);
  useEffect(() => {
    const path = location.pathname.replace(/\/+$/, "");
    const caseId = path.match(/^\/app\/cases\/([A-Za-z0-9_-]+)$/)?.[1];
    const load = async () => {
      outbox.value = await store.outbox();
      if (caseId) view.value = { kind: "case", c: await store.getCase(caseId) };
      else if (path === "/app" || path === "/app/offline") {
        view.value = { kind: "queue", q: await store.getMeta<StoredQueue>("queue") };
      } else view.value = { kind: "other" };
    };
    // The shell is shown because a page could not be fetched; the sync agent says when the
    // server answers again.
    const net = (ev: Event) => (online.value = (ev as CustomEvent<boolean>).detail);
    load().catch(() => (view.value = { kind: "queue", q: undefined }));
    addEventListener(CHANGED, load);
    addEventListener(CONNECTION, net);
    return () => {
      removeEventListener(CHANGED, load);
      removeEventListener(CONNECTION, net);
    };
  }, []);
  const v = view.value;
  return (
    <div data-testid="offline-app">
      {online.value && (
        <p class={`${ui.card} ${ui.row}`}>
          A conexão voltou.
          <button type="button" class={ui.btn2} onClick={() => location.reload()}>
            Abrir a página atualizada
          </button>
        </p>
      )}
      {v.kind === "loading" && <p>Carregando os dados guardados neste aparelho…</p>}
      {v.kind === "queue" && v.q && <QueueView q={v.q} outbox={outbox.value} />}
      {v.kind === "case" && v.c && (
        <CaseView
          c={v.c}
          outbox={outbox.value}
          userId={userId}
          role={role}
          online={online.value}
        />
      )}
      {((v.kind === "queue" && !v.q) || (v.kind === "case" && !v.c) || v.kind === "other") && (
        <section class={ui.card}>
          <h1 class="text-2xl font-bold mb-2">Sem conexão</h1>
          <p class="mb-2">
            {v.kind === "case"
              ? "Este caso não foi aberto neste aparelho, então não está disponível sem conexão."
              : v.kind === "queue"
              ? "Nenhum dado guardado neste aparelho ainda. Abra a fila com conexão uma vez."
              : "Esta página precisa de conexão."}
          </p>
          <a href="/app" class="text-brand-700 underline">Ver a fila guardada</a>
        </section>
      )}
    </div>
  );
}

export default island("OfflineQueue", OfflineQueue);
