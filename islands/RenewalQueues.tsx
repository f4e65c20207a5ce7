// The staff renewal list, kept current (issue #16 items 8, 9, 13): "Minha vez" (staff's move)
// apart from "Aguardando o cliente", counts per queue, rows by urgency, the due contracts with
// Assumir, customers who refused listed apart until they may be contacted again, and bulk
// assign/release for supervisors. The server renders it with the page; in the browser a
// server-sent event stream sends the list again whenever it changes (a photo arriving moves its
// case within seconds). Without a stream (blocked, dropped) it polls the same list as JSON.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { island } from "../lib/island.ts";
import { formatDate, formatDateTime, formatPhone } from "../domain/format.ts";
import {
  daysLeftLabel,
  type QueueCaseRow,
  type QueueView,
  waitingLabel,
} from "../domain/queue_view.ts";

interface Props extends Record<string, unknown> {
  view: QueueView;
  csrf: string;
  isManager: boolean;
  attendants: { id: string; name: string }[];
  /** The page's filters as a query string: the stream and the poll list the same rows. */
  query: string;
}

/** Poll period when no stream can be kept (ms). */
const POLL_MS = 20_000;

const card = "bg-white rounded shadow divide-y mb-6";
const h2 = "text-lg font-bold mb-2 flex items-center gap-2";
const count = "rounded-full bg-gray-200 text-gray-900 px-2 text-sm font-bold";
const primary =
  "rounded bg-brand-600 text-white px-3 py-1.5 text-sm hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-offset-1 focus:ring-brand-600";
const secondary =
  "rounded border border-gray-400 bg-white px-3 py-1.5 text-sm hover:bg-gray-100 focus:outline-none focus:ring-2 focus:ring-brand-600";
const check = "h-5 w-5 accent-brand-600";

/** The page's filters with the due list's cursor. */
function moreQuery(query: string, cursor: string): string {
  const rest = [...new URLSearchParams(query)].filter(([k]) => k !== "cursor");
  return new URLSearchParams([["cursor", cursor], ...rest]).toString();
}

function Count({ n, more }: { n: number; more?: boolean }) {
  return <span class={count} data-testid="queue-count">{`${n}${more ? "+" : ""}`}</span>;
}

function Select({ label, name, value }: { label: string; name: string; value: string }) {
  return (
    <label class="flex items-center">
      <span class="sr-only">{label}</span>
      <input type="checkbox" form="bulk" name={name} value={value} class={check} />
    </label>
  );
}

function CaseRows(
  { rows, p, now, empty, queue }: {
    rows: QueueCaseRow[];
    p: Props;
    now: string;
    empty: string;
    queue: "staff" | "customer";
  },
) {
  if (!rows.length) return <p class="mb-6 text-gray-700">{empty}</p>;
  return (
    <ul class={card}>
      {rows.map((r) => (
        <li
          key={r.id}
          class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center"
          data-testid="case-row"
          data-queue={queue}
        >
          {p.isManager && <Select label={`Selecionar ${r.name}`} name="caseId" value={r.id} />}
          <a href={`/app/cases/${r.id}`} class="font-medium text-brand-700 underline min-w-[12rem]">
            {r.name}
          </a>
          <span
            class={`inline-block rounded px-2 py-0.5 text-xs font-medium ${
              queue === "staff"
                ? "bg-amber-100 text-amber-900"
                : r.step === "photo_rejected"
                ? "bg-red-100 text-red-900"
                : "bg-brand-100 text-brand-800"
            }`}
          >
            {r.stepLabel}
          </span>
          {r.replied && (
            <span
              class="rounded bg-amber-100 text-amber-900 px-2 py-0.5 text-xs font-bold"
              data-testid="replied"
            >
              Respondeu
            </span>
          )}
          {r.askedLink && (
            <span
              class="rounded bg-amber-100 text-amber-900 px-2 py-0.5 text-xs font-bold"
              data-testid="asked-link"
            >
              Pediu novo link
            </span>
          )}
          <span class="text-sm text-gray-700">
            {`${r.city} · ${r.planName} · fim ${formatDate(r.loyaltyEnd)} (${
              daysLeftLabel(r.daysLeft)
            })`}
          </span>
          <span class="text-sm">
            Próximo: <strong>{r.next}</strong>
          </span>
          <span class="text-sm text-gray-700">
            {queue === "staff"
              ? `Cliente esperando ${waitingLabel(r.waitingSince, now)}`
              : `Sem resposta ${waitingLabel(r.waitingSince, now)}`}
          </span>
          {p.isManager && (
            <span class="text-sm text-gray-700">{r.assignee ?? "Sem responsável"}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function RenewalQueues(p: Props) {
  const view = useSignal(p.view);
  const live = useSignal<"stream" | "poll">("stream");
  useEffect(() => {
    let poll: ReturnType<typeof setInterval> | undefined;
    const load = async () => {
      try {
        const res = await fetch(`/app/api/list?${p.query}`, {
          headers: { accept: "application/json" },
        });
        // A session that ended answers with the sign-in page: keep the rows, stop asking.
        if (!res.ok || !res.headers.get("Content-Type")?.includes("json")) return;
        view.value = await res.json();
      } catch { /* offline: keep the rows shown */ }
    };
    const startPolling = () => {
      live.value = "poll";
      poll ??= setInterval(load, POLL_MS);
    };
    let es: EventSource | undefined;
    if (typeof EventSource === "function") {
      es = new EventSource(`/app/events?${p.query}`);
      es.addEventListener("view", (ev) => {
        view.value = JSON.parse((ev as MessageEvent).data);
      });
      es.onerror = () => {
        if (es?.readyState === EventSource.CLOSED) startPolling();
      };
    } else startPolling();
    return () => {
      es?.close();
      clearInterval(poll);
    };
  }, [p.query]);

  const v = view.value;
  const manager = p.isManager;
  return (
    <div data-live={live.value}>
      {manager && (
        <form
          id="bulk"
          method="post"
          action="/app/bulk"
          aria-label="Ações em lote"
          class="bg-white rounded shadow p-3 mb-4 flex flex-wrap gap-2 items-center text-sm"
        >
          <input type="hidden" name="_csrf" value={p.csrf} />
          <span class="text-gray-700">Marcados:</span>
          <label class="flex items-center gap-1">
            Atribuir a
            <select name="userId" class="rounded border border-gray-400 px-2 py-1.5 text-sm">
              {p.attendants.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </label>
          <button type="submit" name="op" value="assign" class={secondary}>
            Atribuir marcados
          </button>
          <button type="submit" name="op" value="release" class={secondary}>
            Liberar marcados
          </button>
        </form>
      )}
      <p class="text-xs text-gray-700 mb-2" data-testid="queue-updated">
        {`Atualizado em ${formatDateTime(v.at)}${
          live.value === "poll" ? " (a cada 20 s)" : " · ao vivo"
        }`}
      </p>
      {v.showCases && (
        <>
          <section aria-labelledby="queue-staff">
            <h2 id="queue-staff" class={h2}>
              {manager ? "Vez da equipe" : "Minha vez"} <Count n={v.staff.length} />
            </h2>
            <CaseRows
              rows={v.staff}
              p={p}
              now={v.at}
              queue="staff"
              empty="Nenhum cliente esperando pela equipe."
            />
          </section>
          <section aria-labelledby="queue-customer">
            <h2 id="queue-customer" class={h2}>
              Aguardando o cliente <Count n={v.customer.length} />
            </h2>
            <CaseRows
              rows={v.customer}
              p={p}
              now={v.at}
              queue="customer"
              empty="Nenhum caso aguardando o cliente."
            />
          </section>
        </>
      )}
      {v.showDue && (
        <section aria-labelledby="queue-due">
          <h2 id="queue-due" class={h2}>
            A vencer, sem renovação aberta <Count n={v.due.length} more={!!v.cursor} />
          </h2>
          {v.due.length === 0
            ? <p class="mb-6">Nenhum contrato vence neste período.</p>
            : (
              <ul class={card}>
                {v.due.map((r, i) => (
                  <li
                    key={r.contractId}
                    class="p-3 flex flex-wrap gap-x-4 gap-y-2 items-center"
                    data-testid="due-row"
                  >
                    {manager && (
                      <Select
                        label={`Selecionar ${r.name}`}
                        name="contractId"
                        value={r.contractId}
                      />
                    )}
                    <div class="min-w-[12rem]">
                      <a href={`/app/customers/${r.customerId}`} class="font-medium underline">
                        {r.name}
                      </a>
                      <div>
                        <a class="text-sm text-brand-700 underline" href={`tel:+${r.phone}`}>
                          {formatPhone(r.phone)}
                        </a>
                      </div>
                    </div>
                    <span class="text-sm text-gray-700">{`${r.city} · ${r.planName}`}</span>
                    <span class="text-sm">
                      Fim da fidelidade: <strong>{formatDate(r.loyaltyEnd)}</strong>
                      {` (${daysLeftLabel(r.daysLeft)})`}
                    </span>
                    <form method="post" action="/app/claim" class="ml-auto">
                      <input type="hidden" name="_csrf" value={p.csrf} />
                      <input type="hidden" name="_sub" value={r.sub} />
                      <input type="hidden" name="contractId" value={r.contractId} />
                      <button
                        type="submit"
                        class={primary}
                        id={i === 0 ? "primeira-renovacao" : undefined}
                      >
                        Assumir
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          {v.cursor && (
            <a
              class="inline-block mb-6 text-brand-700 underline"
              href={`/app?${moreQuery(p.query, v.cursor)}`}
            >
              Mais resultados
            </a>
          )}
        </section>
      )}
      {v.declined.length > 0 && (
        <section aria-labelledby="queue-declined">
          <h2 id="queue-declined" class={h2}>
            Recusaram recentemente <Count n={v.declined.length} />
          </h2>
          <p class="text-sm text-gray-700 mb-2">
            Fora da lista até a data indicada; se o cliente procurar a empresa, abra a renovação
            pelo cadastro dele.
          </p>
          <ul class={card}>
            {v.declined.map((r) => (
              <li
                key={r.contractId}
                class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center"
                data-testid="declined-row"
              >
                <a
                  href={`/app/customers/${r.customerId}`}
                  class="font-medium underline min-w-[12rem]"
                >
                  {r.name}
                </a>
                <span class="rounded bg-gray-200 text-gray-800 px-2 py-0.5 text-xs font-bold">
                  Recusou
                </span>
                <span class="text-sm">
                  {`Em ${formatDateTime(r.declinedAt).slice(0, 10)}: ${
                    r.reason || "sem motivo anotado"
                  }`}
                </span>
                <span class="text-sm">
                  Contatar de novo a partir de <strong>{formatDate(r.contactFrom)}</strong>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export default island("RenewalQueues", RenewalQueues);
