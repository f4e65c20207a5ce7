// /app/filas: an attendant sees their own queues; supervisors and admins see the team's counts,
// the assignment rules, and hand out or move cases in bulk.
import type { RenewalCase } from "../../services/renewals/cases.ts";
import {
  type ErpConflictItem,
  type QueueKind,
  type QueueRules,
  QUEUES,
  type QueueView,
} from "../../services/renewals/queues.ts";
import type { User } from "../../services/users.ts";
import { ERP_WRITE_LABELS } from "../../services/erp/queue.ts";
import { isTerminal } from "../../domain/steps.ts";
import { STEP_POLICY } from "../../domain/policy.ts";
import { formatCount, formatDateTime } from "../../domain/format.ts";
import { Button, CsrfField, ErrorBox, Notice } from "../Form.tsx";
import { QUEUE_ORDER, QueueCounts } from "./QueueCounts.tsx";

const th = "text-left font-semibold p-2 border-b border-gray-300";
const td = "p-2 border-b border-gray-200";

function CaseLine({ c, select }: { c: RenewalCase; select?: boolean }) {
  // The attendant's own list does not repeat their name; the supervisor's bulk list does.
  const label = `${STEP_POLICY[c.step].label}, ${c.city}`;
  return (
    <li class="p-2 flex flex-wrap items-center gap-2" data-testid="queue-case">
      {select && (
        <input
          type="checkbox"
          name="caseId"
          value={c.id}
          id={`sel-${c.id}`}
          aria-label={`Selecionar: ${label}${c.assigneeName ? `, com ${c.assigneeName}` : ""}`}
        />
      )}
      <a href={`/app/cases/${c.id}`} class="underline text-brand-800">{label}</a>
      <span class="text-sm text-gray-700">
        {select && c.assigneeName ? `com ${c.assigneeName} · ` : ""}atualizado{" "}
        {formatDateTime(c.updatedAt)}
      </span>
    </li>
  );
}

export function MyQueues({ view }: { view: QueueView }) {
  return (
    <div class="grid gap-4">
      <QueueCounts counts={view.counts} />
      {QUEUE_ORDER.map((q: QueueKind) => (
        <section key={q} aria-labelledby={`fila-${q}`} class="bg-white rounded shadow p-4">
          <h2 id={`fila-${q}`} class="text-lg font-bold">
            {QUEUES[q]} ({formatCount(view.counts[q])})
          </h2>
          {view.cases[q].length
            ? <ul class="divide-y">{view.cases[q].map((c) => <CaseLine key={c.id} c={c} />)}</ul>
            : <p class="text-gray-700">Nada nesta fila.</p>}
        </section>
      ))}
    </div>
  );
}

export interface TeamData {
  rules: QueueRules;
  rows: { user: User; counts: Record<QueueKind, number>; open: number }[];
  needing: RenewalCase[];
  unassigned: RenewalCase[];
  conflicts: (ErpConflictItem & { case: RenewalCase | null })[];
}

/** Writes to the ERP stopped on a conflict: a person compares both sides and settles them. */
function ErpConflicts({ items }: { items: TeamData["conflicts"] }) {
  return (
    <section aria-labelledby="fila-conflict" class="bg-white rounded shadow p-4">
      <h2 id="fila-conflict" class="text-lg font-bold">
        {QUEUES.conflict} ({formatCount(items.length)})
      </h2>
      {items.length
        ? (
          <>
            <p class="text-sm text-gray-700 mb-2">
              O contrato mudou no ERP depois da leitura do Renova: nada foi sobrescrito. Compare os
              dois lados e reenvie ou ajuste no ERP (administradores, em{" "}
              <a href="/admin/erp" class="underline text-brand-800">Integração com o ERP</a>).
            </p>
            <ul class="divide-y" data-testid="erp-conflicts">
              {items.map((x) => (
                <li key={x.writeId} class="p-2 grid gap-1" data-testid="erp-conflict">
                  <span>
                    {x.case
                      ? (
                        <a href={`/app/cases/${x.caseId}`} class="underline text-brand-800">
                          {STEP_POLICY[x.case.step].label}, {x.case.city}
                        </a>
                      )
                      : "Caso removido"}
                    {" · "}
                    {ERP_WRITE_LABELS[x.kind]}
                  </span>
                  <span class="text-sm text-gray-700">
                    {x.reason} · {formatDateTime(x.at)} · {x.case && isTerminal(x.case.step)
                      ? "renovação já encerrada"
                      : x.case?.assigneeName
                      ? `com ${x.case.assigneeName}`
                      : "sem atendente"}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )
        : <p class="text-gray-700">Nenhum envio parado por conflito.</p>}
    </section>
  );
}

export function TeamQueues(
  { data, csrf, errors, notice }: {
    data: TeamData;
    csrf?: string;
    errors?: Record<string, string>;
    notice?: string;
  },
) {
  const { rules, rows } = data;
  return (
    <div class="grid gap-6">
      <Notice message={notice} />
      <ErrorBox message={errors ? Object.values(errors)[0] : ""} />
      <section aria-labelledby="equipe" class="bg-white rounded shadow p-4 overflow-x-auto">
        <h2 id="equipe" class="text-lg font-bold mb-2">Filas da equipe</h2>
        <table class="w-full text-sm" data-testid="team-table">
          <thead>
            <tr>
              <th scope="col" class={th}>Atendente</th>
              {QUEUE_ORDER.map((q) => <th key={q} scope="col" class={th}>{QUEUES[q]}</th>)}
              <th scope="col" class={th}>Abertos / limite</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.user.id}>
                <th scope="row" class={`${td} text-left font-normal`}>{r.user.name}</th>
                {QUEUE_ORDER.map((q) => <td key={q} class={td}>{formatCount(r.counts[q])}</td>)}
                <td class={td}>{formatCount(r.open)} / {formatCount(rules.cap)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="flex flex-wrap gap-2 mt-3">
          <form method="post" action="/app/filas">
            <CsrfField token={csrf} />
            <input type="hidden" name="action" value="distribute" />
            <Button>Distribuir casos sem atendente ({formatCount(data.unassigned.length)})</Button>
          </form>
          <form method="post" action="/app/filas">
            <CsrfField token={csrf} />
            <input type="hidden" name="action" value="rebalance" />
            <Button variant="secondary">Rebalancear</Button>
          </form>
        </div>
      </section>

      <ErpConflicts items={data.conflicts} />

      <form method="post" action="/app/filas" class="bg-white rounded shadow p-4 grid gap-3">
        <h2 class="text-lg font-bold">Reatribuir em lote</h2>
        <CsrfField token={csrf} />
        <input type="hidden" name="action" value="reassign" />
        <fieldset>
          <legend class="font-medium">Casos que precisam de alguém</legend>
          {[...data.unassigned, ...data.needing].length
            ? (
              <ul class="divide-y">
                {[...data.unassigned, ...data.needing].map((c) => (
                  <CaseLine key={c.id} c={c} select />
                ))}
              </ul>
            )
            : <p class="text-gray-700">Nenhum caso precisa de alguém agora.</p>}
        </fieldset>
        <label class="grid gap-1 text-sm max-w-xs">
          <span class="font-medium">Para</span>
          <select name="userId" class="rounded border border-gray-400 px-2 py-2">
            {rows.map((r) => <option key={r.user.id} value={r.user.id}>{r.user.name}</option>)}
          </select>
        </label>
        <div>
          <Button>Reatribuir selecionados</Button>
        </div>
      </form>

      <form method="post" action="/app/filas" class="bg-white rounded shadow p-4 grid gap-3">
        <h2 class="text-lg font-bold">Regras de distribuição</h2>
        <p class="text-sm text-gray-700">
          Casos sem atendente que precisam de alguém vão, em rodízio, para quem está no turno,
          atende a cidade do cliente (em branco: qualquer cidade) e está abaixo do limite.
        </p>
        <CsrfField token={csrf} />
        <input type="hidden" name="action" value="rules" />
        <label class="grid gap-1 text-sm max-w-xs">
          <span class="font-medium">Limite de casos abertos por atendente</span>
          <input
            name="cap"
            type="number"
            min="1"
            max="1000"
            required
            value={String(rules.cap)}
            aria-invalid={errors?.cap ? "true" : undefined}
            class="rounded border border-gray-400 px-2 py-2"
          />
        </label>
        <table class="w-full text-sm">
          <thead>
            <tr>
              <th scope="col" class={th}>Atendente</th>
              <th scope="col" class={th}>No turno</th>
              <th scope="col" class={th}>Cidades (separadas por vírgula)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ user: u }) => {
              const r = rules.attendants[u.id];
              return (
                <tr key={u.id}>
                  <th scope="row" class={`${td} text-left font-normal`}>{u.name}</th>
                  <td class={td}>
                    <input
                      type="checkbox"
                      name={`shift_${u.id}`}
                      checked={!!r?.onShift}
                      aria-label={`${u.name} no turno`}
                    />
                  </td>
                  <td class={td}>
                    <input
                      name={`cities_${u.id}`}
                      value={(r?.cities ?? []).join(", ")}
                      aria-label={`Cidades de ${u.name}`}
                      class="w-full rounded border border-gray-400 px-2 py-1"
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div>
          <Button>Salvar regras</Button>
        </div>
      </form>
    </div>
  );
}
