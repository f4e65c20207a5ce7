import { type Ctx, define, STAFF } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { awaitingReply, renewalList } from "../../services/due_list.ts";
import { askedForNewLink } from "../../services/renewals/link_requests.ts";
import { listUsers } from "../../services/users.ts";
import { formatDate, formatPhone } from "../../domain/format.ts";
import { OPEN_STEPS } from "../../domain/steps.ts";
import { STEP_POLICY } from "../../domain/policy.ts";
import { CsrfField, Notice } from "../../components/Form.tsx";
import { StepBadge } from "../../components/Badge.tsx";

const input = "rounded border border-gray-400 px-2 py-1.5 text-sm w-full";

export default define({
  access: STAFF,
  GET: async (c: Ctx) => {
    const user = c.get("user")!;
    const q = c.req.query();
    const db = c.get("db");
    const days = c.get("config").renewalWindowDays;
    const list = await renewalList(db, user, q, days);
    const f = list.filters;
    const isManager = user.role !== "attendant";
    const attendants = isManager
      ? (await listUsers(db)).filter((u) => u.active && u.role === "attendant")
      : [];
    const csrf = c.get("session")?.csrf;
    const qs = (extra: Record<string, string>) =>
      new URLSearchParams({ ...q, ...extra }).toString();
    return page(
      c,
      { title: "Renovações a vencer" },
      <section>
        <h1 class="text-2xl font-bold">Renovações a vencer</h1>
        <p class="text-gray-700 mb-3">{`Fidelidade terminando nos próximos ${days} dias`}</p>
        {q.msg && <Notice message={q.msg.slice(0, 200)} />}
        <form
          method="get"
          action="/app"
          class="bg-white rounded shadow p-3 mb-4 grid gap-2 grid-cols-2 md:grid-cols-6 items-end"
          aria-label="Filtros"
        >
          <label class="text-sm">
            De<input type="date" name="from" value={f.from} class={input} />
          </label>
          <label class="text-sm">
            Até<input type="date" name="to" value={f.to} class={input} />
          </label>
          <label class="text-sm">
            Cidade<input name="city" value={f.city} class={input} />
          </label>
          <label class="text-sm">
            Plano
            <select name="planId" class={input}>
              <option value="">Todos</option>
              {list.plans.map((p) => (
                <option key={p.id} value={p.id} selected={p.id === f.planId}>{p.name}</option>
              ))}
            </select>
          </label>
          <label class="text-sm">
            Etapa
            <select name="step" class={input}>
              <option value="">Todas</option>
              <option value="new" selected={f.step === "new"}>Sem renovação aberta</option>
              {OPEN_STEPS.map((s) => (
                <option key={s} value={s} selected={s === f.step}>{STEP_POLICY[s].label}</option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            class="rounded bg-brand-600 text-white px-3 py-2 text-sm font-medium hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600"
          >
            Filtrar
          </button>
        </form>
        <form method="get" action="/app/customers" class="flex gap-2 mb-6 max-w-md" role="search">
          <label class="flex-1 text-sm">
            <span class="sr-only">CPF ou CNPJ do cliente</span>
            <input
              name="cpf"
              placeholder="Buscar cliente pelo CPF ou CNPJ"
              autocapitalize="characters"
              class={input}
            />
          </label>
          <button
            type="submit"
            class="rounded border border-gray-400 bg-white px-3 text-sm hover:bg-gray-100"
          >
            Buscar
          </button>
        </form>

        {list.caseRows.length > 0 && (
          <>
            <h2 class="text-lg font-bold mb-2">
              {isManager ? "Renovações em andamento" : "Meus casos"}
            </h2>
            <ul class="bg-white rounded shadow divide-y mb-6">
              {list.caseRows.map((r) => (
                <li
                  key={r.case.id}
                  class="p-3 flex flex-wrap gap-x-4 gap-y-1 items-center"
                  data-testid="case-row"
                >
                  <a
                    href={`/app/cases/${r.case.id}`}
                    class="font-medium text-brand-700 underline min-w-[12rem]"
                  >
                    {r.customerName}
                  </a>
                  <StepBadge step={r.case.step} />
                  {awaitingReply(r.case) && (
                    <span
                      class="rounded bg-amber-100 text-amber-900 px-2 py-0.5 text-xs font-bold"
                      data-testid="replied"
                    >
                      Respondeu
                    </span>
                  )}
                  {askedForNewLink(r.case) && (
                    <span
                      class="rounded bg-amber-100 text-amber-900 px-2 py-0.5 text-xs font-bold"
                      data-testid="asked-link"
                    >
                      Pediu novo link
                    </span>
                  )}
                  <span class="text-sm text-gray-700">
                    {r.case.city} · {r.plan?.name} · fim {formatDate(r.case.loyaltyEnd)}
                  </span>
                  <span class="text-sm">
                    Próximo: <strong>{r.nextAction}</strong>
                  </span>
                  {isManager && (
                    <span class="text-sm text-gray-700">
                      {r.case.assigneeName ?? "Sem responsável"}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}

        {(f.step === "" || f.step === "new") && (
          <>
            <h2 class="text-lg font-bold mb-2">A vencer, sem renovação aberta</h2>
            {list.dueRows.length === 0
              ? <p>Nenhum contrato vence neste período.</p>
              : (
                <ul class="bg-white rounded shadow divide-y">
                  {list.dueRows.map((r) => (
                    <li
                      key={r.contractId}
                      class="p-3 flex flex-wrap gap-x-4 gap-y-2 items-center"
                      data-testid="due-row"
                    >
                      <div class="min-w-[12rem]">
                        <a href={`/app/customers/${r.customerId}`} class="font-medium underline">
                          {r.customerName}
                        </a>
                        <div>
                          <a class="text-sm text-brand-700 underline" href={`tel:+${r.phone}`}>
                            {formatPhone(r.phone)}
                          </a>
                        </div>
                      </div>
                      <span class="text-sm text-gray-700">{r.city} · {r.plan?.name ?? "—"}</span>
                      <span class="text-sm">
                        Fim da fidelidade: <strong>{formatDate(r.loyaltyEnd)}</strong>
                      </span>
                      <span class="text-sm">Próximo: Assumir e contatar</span>
                      <div class="flex gap-2 ml-auto">
                        <form method="post" action="/app/claim">
                          <CsrfField token={csrf} />
                          <input type="hidden" name="contractId" value={r.contractId} />
                          <button
                            type="submit"
                            class="rounded bg-brand-600 text-white px-3 py-1.5 text-sm hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600"
                          >
                            Assumir
                          </button>
                        </form>
                        {isManager && (
                          <form method="post" action="/app/assign" class="flex gap-1">
                            <CsrfField token={csrf} />
                            <input type="hidden" name="contractId" value={r.contractId} />
                            <label>
                              <span class="sr-only">Atribuir a</span>
                              <select
                                name="userId"
                                class="rounded border border-gray-400 px-2 py-1.5 text-sm"
                              >
                                {attendants.map((a) => (
                                  <option key={a.id} value={a.id}>{a.name}</option>
                                ))}
                              </select>
                            </label>
                            <button
                              type="submit"
                              class="rounded border border-gray-400 bg-white px-3 text-sm hover:bg-gray-100"
                            >
                              Atribuir
                            </button>
                          </form>
                        )}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            {list.cursor && (
              <a
                class="inline-block mt-4 text-brand-700 underline"
                href={`/app?${qs({ cursor: list.cursor })}`}
              >
                Mais resultados
              </a>
            )}
          </>
        )}
      </section>,
    );
  },
});
