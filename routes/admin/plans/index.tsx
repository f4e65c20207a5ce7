// The provider's offers: the plans customers are shown at renewal. An offer never changes once
// published (its code is on contracts and bills); a new price is a new plan, the old one is
// retired (contracts on it keep it).
import { ADMINS, type Ctx, define } from "../../../lib/route.ts";
import { formFields, page } from "../../../lib/render.tsx";
import { actorOf } from "../../../lib/actor.ts";
import {
  createPlan,
  getPlanOrder,
  listPlans,
  planFromForm,
  setPlanOrder,
} from "../../../services/plans.ts";
import { PLAN_ORDER_LABELS, PLAN_ORDERS } from "../../../domain/plan_order.ts";
import { ValidationError } from "../../../services/errors.ts";
import { Button, CsrfField, ErrorBox, Field, Notice } from "../../../components/Form.tsx";
import { formatMoney } from "../../../domain/format.ts";

const NOTICES: Record<string, string> = {
  created: "Plano publicado. Ele já aparece para os clientes na renovação.",
  retired: "Plano retirado: não é mais oferecido. Contratos nesse plano continuam iguais.",
  offered: "Plano oferecido de novo.",
  order: "Ordem salva. Os clientes já veem os planos nesta ordem.",
};

// The form: field name, label, the validation key its error comes under, keyboard, full width.
const FORM: [string, string, string, string | undefined, boolean][] = [
  ["name", "Nome", "name", undefined, true],
  ["downMbps", "Download (Mbps)", "downMbps", "numeric", false],
  ["upMbps", "Upload (Mbps)", "upMbps", "numeric", false],
  ["price", "Preço por mês (R$)", "priceCents", "decimal", false],
  ["loyaltyMonths", "Fidelidade (meses, até 12)", "loyaltyMonths", "numeric", false],
  ["benefit", "Benefício da fidelidade", "benefit", undefined, true],
  [
    "benefitValue",
    "Valor do benefício (R$; define a multa)",
    "benefitValueCents",
    "decimal",
    false,
  ],
  ["offerCode", "Código da oferta", "offerCode", undefined, false],
];

async function plansPage(
  c: Ctx,
  opts: {
    status?: number;
    errors?: Record<string, string>;
    values?: Record<string, string>;
    orderErrors?: Record<string, string>;
  } = {},
) {
  const [plans, order] = await Promise.all([listPlans(c.get("db")), getPlanOrder(c.get("db"))]);
  const oe = opts.orderErrors ?? {};
  const v = opts.values ?? { loyaltyMonths: "12" };
  const e = opts.errors ?? {};
  const csrf = c.get("session")?.csrf;
  return page(
    c,
    { title: "Planos", status: opts.status },
    <section class="max-w-4xl">
      <h1 class="text-2xl font-bold mb-1">Planos</h1>
      <p class="text-gray-700 mb-4">
        As ofertas mostradas ao cliente na renovação. Para mudar preço ou benefício, publique um
        novo plano com outro código e retire o antigo.
      </p>
      <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
      <ul class="mb-6 divide-y bg-white rounded shadow" data-testid="plans">
        {plans.map((p) => (
          <li key={p.id} class="p-3 flex flex-wrap gap-3 items-center" data-testid="plan-row">
            <div class="flex-1 min-w-0">
              <p class="font-medium">
                {p.name} <span class="text-sm text-gray-700">· {p.offerCode}</span>
                {!p.active && (
                  <span class="ml-2 text-sm rounded bg-gray-200 px-2 py-0.5">Retirado</span>
                )}
              </p>
              <p class="text-sm text-gray-700">
                {p.downMbps}/{p.upMbps} Mbps · {formatMoney(p.priceCents)}/mês · fidelidade{" "}
                {p.loyaltyMonths} meses · {p.benefit} ({formatMoney(p.benefitValueCents)})
              </p>
            </div>
            <form method="post" action={`/admin/plans/${p.id}`}>
              <CsrfField token={csrf} />
              <input type="hidden" name="action" value={p.active ? "retire" : "offer"} />
              <Button variant="secondary">
                {p.active ? "Retirar" : "Oferecer de novo"}
                <span class="sr-only">{` o plano ${p.name}`}</span>
              </Button>
            </form>
          </li>
        ))}
      </ul>
      <h2 class="text-xl font-bold mb-2">Ordem na página do cliente</h2>
      <form
        method="post"
        action="/admin/plans"
        class="bg-white rounded shadow p-4 mb-6"
        data-testid="plan-order"
      >
        <CsrfField token={csrf} />
        <input type="hidden" name="intent" value="order" />
        <label for="order" class="block text-sm font-medium mb-1">Ordem dos planos</label>
        <select
          id="order"
          name="order"
          class="w-full rounded border border-gray-400 px-3 py-2 mb-1"
          aria-describedby={oe.order ? "order-err" : undefined}
        >
          {PLAN_ORDERS.map((o) => (
            <option key={o} value={o} selected={o === order.order}>{PLAN_ORDER_LABELS[o]}</option>
          ))}
        </select>
        {oe.order && <p id="order-err" class="text-sm text-red-700 mb-2">{oe.order}</p>}
        <label for="recommendedPlanId" class="block text-sm font-medium mb-1 mt-3">
          Plano recomendado (aparece primeiro, com o selo "Recomendado")
        </label>
        <select
          id="recommendedPlanId"
          name="recommendedPlanId"
          class="w-full rounded border border-gray-400 px-3 py-2 mb-1"
          aria-describedby={oe.recommendedPlanId ? "rec-err" : undefined}
        >
          <option value="">Nenhum</option>
          {plans.filter((p) => p.active).map((p) => (
            <option key={p.id} value={p.id} selected={p.id === order.recommendedPlanId}>
              {p.name} · {p.offerCode}
            </option>
          ))}
        </select>
        {oe.recommendedPlanId && (
          <p id="rec-err" class="text-sm text-red-700 mb-2">{oe.recommendedPlanId}</p>
        )}
        <div class="mt-3">
          <Button>Salvar ordem</Button>
        </div>
      </form>
      <h2 class="text-xl font-bold mb-2">Publicar um plano</h2>
      <ErrorBox message={opts.errors ? "Verifique os campos destacados." : undefined} />
      <form method="post" action="/admin/plans" class="bg-white rounded shadow p-4">
        <CsrfField token={csrf} />
        <div class="grid grid-cols-2 gap-x-3">
          {FORM.map(([name, label, errorKey, inputmode, wide]) => (
            <div key={name} class={wide ? "col-span-2" : ""}>
              <Field
                name={name}
                label={label}
                value={v[name]}
                error={e[errorKey]}
                inputmode={inputmode}
                required
              />
            </div>
          ))}
        </div>
        <Button>Publicar plano</Button>
      </form>
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => plansPage(c),
  POST: async (c) => {
    const f = await formFields(c);
    if (f.intent === "order") {
      try {
        await setPlanOrder(c.get("db"), f, actorOf(c));
      } catch (e) {
        if (e instanceof ValidationError) {
          return await plansPage(c, { status: 400, orderErrors: e.fields });
        }
        throw e;
      }
      return c.redirect("/admin/plans?ok=order", 303);
    }
    try {
      await createPlan(c.get("db"), planFromForm(f), actorOf(c));
    } catch (e) {
      if (e instanceof ValidationError) {
        return await plansPage(c, { status: 400, errors: e.fields, values: f });
      }
      throw e;
    }
    return c.redirect("/admin/plans?ok=created", 303);
  },
});
