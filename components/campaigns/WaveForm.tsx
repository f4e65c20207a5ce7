// A campaign wave's settings form (new wave and edit), and the preview / report lines.
// Every input has a label; errors are tied to their field with aria-describedby.
import { Button, CsrfField, ErrorBox } from "../Form.tsx";
import type { Plan } from "../../services/plans.ts";
import { type Wave, WAVE_CHANNELS } from "../../services/campaigns/waves.ts";
import { type Exclusion, EXCLUSION_LABELS } from "../../services/campaigns/audience.ts";
import type { PlanResult } from "../../services/campaigns/planner.ts";
import type { WaveReport } from "../../services/campaigns/report.ts";
import { formatCount, formatMoney } from "../../domain/format.ts";

const n = formatCount;
const inputCls =
  "w-full rounded border px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-brand-600";
const border = (err?: string) => (err ? "border-red-700" : "border-gray-400");

/** What the form shows: a saved wave's values or what was typed. */
export type WaveValues = Record<string, string | string[]>;

export function waveValues(w: Wave): WaveValues {
  return {
    name: w.name,
    offsetDays: String(w.offsetDays),
    channel: w.channel,
    dailyCap: String(w.dailyCap),
    fromHour: String(w.fromHour),
    toHour: String(w.toHour),
    declineDays: String(w.declineDays),
    cities: w.filter.cities.join("; "),
    planIds: w.filter.planIds,
    priceMin: w.filter.priceMinCents === undefined
      ? ""
      : formatMoney(w.filter.priceMinCents).replace("R$", "").trim(),
    priceMax: w.filter.priceMaxCents === undefined
      ? ""
      : formatMoney(w.filter.priceMaxCents).replace("R$", "").trim(),
    email: w.filter.email,
    whatsapp: w.filter.whatsapp,
    rev: String(w.rev),
  };
}

function Err({ id, msg }: { id: string; msg?: string }) {
  return msg ? <p id={id} class="text-sm text-red-700 mt-1">{msg}</p> : null;
}

function Text(
  p: {
    name: string;
    label: string;
    v: WaveValues;
    e: Record<string, string>;
    errKey?: string;
    hint?: string;
    numeric?: boolean;
  },
) {
  const err = p.e[p.errKey ?? p.name];
  const id = `f-${p.name}`;
  const describedBy = [p.hint ? `${id}-hint` : "", err ? `${id}-err` : ""].filter(Boolean).join(
    " ",
  );
  return (
    <div class="mb-3">
      <label for={id} class="block text-sm font-medium mb-1">{p.label}</label>
      <input
        id={id}
        name={p.name}
        value={String(p.v[p.name] ?? "")}
        inputMode={p.numeric ? "numeric" : undefined}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        class={`${inputCls} ${border(err)}`}
      />
      {p.hint && <p id={`${id}-hint`} class="text-sm text-gray-700 mt-1">{p.hint}</p>}
      <Err id={`${id}-err`} msg={err} />
    </div>
  );
}

function Presence(
  p: { name: "email" | "whatsapp"; label: string; v: WaveValues; e: Record<string, string> },
) {
  const err = p.e[p.name];
  const cur = String(p.v[p.name] ?? "any");
  const opts = [["any", "Todos"], ["with", "Só com"], ["without", "Só sem"]];
  return (
    <fieldset class="mb-3" aria-describedby={err ? `f-${p.name}-err` : undefined}>
      <legend class="text-sm font-medium mb-1">{p.label}</legend>
      <div class="flex gap-4">
        {opts.map(([value, label]) => (
          <label key={value} class="flex items-center gap-1">
            <input type="radio" name={p.name} value={value} checked={cur === value} /> {label}
          </label>
        ))}
      </div>
      <Err id={`f-${p.name}-err`} msg={err} />
    </fieldset>
  );
}

export function WaveForm(
  p: {
    action: string;
    csrf?: string;
    plans: Plan[];
    values: WaveValues;
    errors?: Record<string, string>;
    submit: string;
  },
) {
  const e = p.errors ?? {};
  const v = p.values;
  const chosen = new Set(Array.isArray(v.planIds) ? v.planIds : v.planIds ? [v.planIds] : []);
  return (
    <form
      method="post"
      action={p.action}
      class="bg-white rounded shadow p-4"
      data-testid="wave-form"
    >
      <ErrorBox message={Object.keys(e).length ? "Verifique os campos destacados." : undefined} />
      <CsrfField token={p.csrf} />
      <input type="hidden" name="action" value="save" />
      {v.rev && <input type="hidden" name="rev" value={String(v.rev)} />}
      <div class="grid gap-x-4 sm:grid-cols-2">
        <Text name="name" label="Nome da onda" v={v} e={e} />
        <Text
          name="offsetDays"
          label="Dias antes do fim da fidelidade"
          v={v}
          e={e}
          numeric
          hint="Ex.: 30 para contatar 30 dias antes (D-30)."
        />
        <div class="mb-3">
          <label for="f-channel" class="block text-sm font-medium mb-1">Canal</label>
          <select
            id="f-channel"
            name="channel"
            aria-invalid={e.channel ? "true" : undefined}
            aria-describedby={e.channel ? "f-channel-err" : undefined}
            class={`${inputCls} ${border(e.channel)}`}
          >
            {Object.entries(WAVE_CHANNELS).map(([k, label]) => (
              <option key={k} value={k} selected={v.channel === k}>{label}</option>
            ))}
          </select>
          <Err id="f-channel-err" msg={e.channel} />
        </div>
        <Text name="dailyCap" label="Limite por dia (contatos)" v={v} e={e} numeric />
        <Text
          name="fromHour"
          label="Enviar a partir das (hora, Brasília)"
          v={v}
          e={e}
          errKey="hours"
          numeric
        />
        <Text
          name="toHour"
          label="Enviar até as (hora, Brasília)"
          v={v}
          e={e}
          errKey="hours"
          numeric
        />
        <Text
          name="declineDays"
          label="Não contatar quem recusou nos últimos (dias)"
          v={v}
          e={e}
          numeric
          hint="0 para não excluir ninguém por recusa."
        />
      </div>
      <h3 class="text-lg font-bold mt-2 mb-2">Público</h3>
      <Text
        name="cities"
        label="Cidades (vazio: todas)"
        v={v}
        e={e}
        hint="Separe por ponto e vírgula: Campinas; Londrina"
      />
      <fieldset class="mb-3" aria-describedby={e.planIds ? "f-planIds-err" : undefined}>
        <legend class="text-sm font-medium mb-1">Planos atuais (nenhum marcado: todos)</legend>
        <div class="flex flex-wrap gap-x-4">
          {p.plans.map((pl) => (
            <label key={pl.id} class="flex items-center gap-1">
              <input type="checkbox" name="planIds" value={pl.id} checked={chosen.has(pl.id)} />
              {pl.name} ({formatMoney(pl.priceCents)})
            </label>
          ))}
        </div>
        <Err id="f-planIds-err" msg={e.planIds} />
      </fieldset>
      <div class="grid gap-x-4 sm:grid-cols-2">
        <Text name="priceMin" label="Preço mínimo do plano (R$)" v={v} e={e} errKey="price" />
        <Text name="priceMax" label="Preço máximo do plano (R$)" v={v} e={e} errKey="price" />
      </div>
      <Presence name="email" label="E-mail cadastrado" v={v} e={e} />
      <Presence name="whatsapp" label="WhatsApp (celular) cadastrado" v={v} e={e} />
      <Button>{p.submit}</Button>
    </form>
  );
}

/** "Vai contatar 4.132; fora 212: opt-out 150, caso aberto 40, recusou 22". */
export function previewLine(r: PlanResult): string {
  const out = (Object.keys(r.excluded) as Exclusion[]).filter((k) => r.excluded[k] > 0);
  const total = out.reduce((s, k) => s + r.excluded[k], 0);
  let line = `Vai contatar ${n(r.contact)}`;
  line += total
    ? `; fora ${n(total)}: ${
      out.map((k) => `${EXCLUSION_LABELS[k]} ${n(r.excluded[k])}`).join(", ")
    }`
    : "; ninguém fora";
  if (r.deferred) line += `; ${n(r.deferred)} ficam para o dia seguinte (limite diário)`;
  if (r.already) line += `; ${n(r.already)} já contatados por esta onda`;
  return line + ".";
}

export function ReportTable({ r }: { r: WaveReport }) {
  const rows: [string, number][] = [
    ["Contatados", r.contacted],
    ["Enviadas", r.sent],
    ["Entregues", r.delivered],
    ["Lidas", r.read],
    ["Com falha", r.failed],
    ["Abriram o link", r.opened],
    ["Avançaram (escolheram plano ou além)", r.advanced],
    ["Concluídas", r.completed],
    ["Recusaram", r.declined],
    ["Expiraram", r.expired],
  ];
  return (
    <table class="bg-white rounded shadow text-left" data-testid="wave-report">
      <caption class="sr-only">Relatório da onda</caption>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label} class="border-b">
            <th scope="row" class="px-3 py-1 font-medium">{label}</th>
            <td class="px-3 py-1 text-right">{n(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
