import { type Ctx, define, STAFF } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { filtersQuery, queueFor } from "../../lib/queue_list.ts";
import RenewalQueues from "../../islands/RenewalQueues.tsx";
import { listUsers } from "../../services/users.ts";
import { OPEN_STEPS } from "../../domain/steps.ts";
import { STEP_POLICY } from "../../domain/policy.ts";
import { Notice } from "../../components/Form.tsx";
import { CustomerSearch } from "../../components/CustomerSearch.tsx";
import { QueueCounts } from "../../components/queues/QueueCounts.tsx";
import { queuesOf } from "../../services/renewals/queues.ts";

const input = "rounded border border-gray-400 px-2 py-1.5 text-sm w-full";

export default define({
  access: STAFF,
  GET: async (c: Ctx) => {
    const user = c.get("user")!;
    const q = c.req.query();
    const db = c.get("db");
    const days = c.get("config").renewalWindowDays;
    // An attendant's home starts with their queues' counts (to review, to call, …).
    const [{ list, view }, mine] = await Promise.all([
      queueFor(c, q),
      user.role === "attendant" ? queuesOf(db, user.id) : undefined,
    ]);
    const f = list.filters;
    const isManager = user.role !== "attendant";
    const attendants = isManager
      ? (await listUsers(db)).filter((u) => u.active && u.role === "attendant")
      : [];
    const csrf = c.get("session")?.csrf;
    return page(
      c,
      { title: "Renovações a vencer" },
      <section>
        {/* Keyboard: the first Assumir in 2 Tabs instead of ~20 (filters, search, my cases). */}
        {list.dueRows.length > 0 && (
          <a
            href="#primeira-renovacao"
            class="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 bg-white p-2 rounded"
          >
            Ir para a primeira renovação a vencer
          </a>
        )}
        <h1 class="text-2xl font-bold">Renovações a vencer</h1>
        <p class="text-gray-700 mb-3">{`Fidelidade terminando nos próximos ${days} dias`}</p>
        {mine && (
          <div class="mb-4">
            <QueueCounts counts={mine.counts} />
          </div>
        )}
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
        <CustomerSearch />

        <RenewalQueues
          view={view}
          csrf={csrf ?? ""}
          isManager={isManager}
          attendants={attendants.map((a) => ({ id: a.id, name: a.name }))}
          query={filtersQuery(f)}
        />
      </section>,
    );
  },
});
