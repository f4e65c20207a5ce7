// The supervisor's dashboard (/app/painel): every chart is server-rendered SVG followed by the
// table with the same figures (the accessible alternative, and what the CSV exports).
import type { ComponentChildren } from "preact";
import type { DashboardData, Period } from "../../services/renewals/dashboard.ts";
import { formatCount, formatDate, formatMoney } from "../../domain/format.ts";
import { ErrorBox } from "../Form.tsx";
import { BarChart } from "./BarChart.tsx";
import { PixAutoSection } from "./PixAutoSection.tsx";
import { bucketLabels, formatHours, formatPercent } from "./format.ts";

const th = "text-left font-semibold p-2 border-b border-gray-300";
const td = "p-2 border-b border-gray-200";
const num = `${td} text-right tabular-nums`;

function Section(
  { id, title, children }: { id: string; title: string; children: ComponentChildren },
) {
  return (
    <section aria-labelledby={id} class="bg-white rounded shadow p-4 grid gap-3">
      <h2 id={id} class="text-lg font-bold">{title}</h2>
      {children}
    </section>
  );
}

function PeriodForm({ period, errors }: { period: Period; errors?: Record<string, string> }) {
  const field = (name: "de" | "ate", label: string, value: string) => (
    <label class="grid gap-1 text-sm">
      <span class="font-medium">{label}</span>
      <input
        type="date"
        name={name}
        value={value}
        required
        aria-invalid={errors?.[name] ? "true" : undefined}
        aria-describedby={errors?.[name] ? `${name}-error` : undefined}
        class="rounded border border-gray-400 px-2 py-2"
      />
      {errors?.[name] && <span id={`${name}-error`} class="text-red-800">{errors[name]}</span>}
    </label>
  );
  const q = new URLSearchParams({ de: period.from, ate: period.to });
  return (
    <form method="get" action="/app/painel" class="flex flex-wrap items-end gap-3">
      {field("de", "De", period.from)}
      {field("ate", "Até", period.to)}
      <button type="submit" class="rounded bg-brand-600 hover:bg-brand-700 text-white px-4 py-2">
        Aplicar período
      </button>
      <a href={`/app/painel.csv?${q}`} class="underline text-brand-800 py-2" download>
        Exportar CSV
      </a>
    </form>
  );
}

export function DashboardPage(
  { data, errors }: { data: DashboardData; errors?: Record<string, string> },
) {
  const { funnel, linkToSign: l2s, revenue } = data;
  const labels = bucketLabels();
  return (
    <div class="grid gap-6">
      <div class="grid gap-2">
        <h1 class="text-2xl font-bold">Painel de renovações</h1>
        <p class="text-gray-700">
          De {formatDate(data.period.from)} até {formatDate(data.period.to)}{" "}
          (horário de Brasília). Contagens de eventos no período: cada caso conta no dia em que
          entrou em cada etapa.
        </p>
        <ErrorBox message={errors ? "Verifique o período escolhido." : ""} />
        <PeriodForm period={data.period} errors={errors} />
      </div>

      <Section id="funil" title="Funil por etapa">
        <BarChart
          id="funil"
          title="Casos que entraram em cada etapa no período"
          bars={funnel.map((f) => ({ label: f.label, value: f.entered }))}
        />
        <table class="w-full text-sm" data-testid="funnel-table">
          <caption class="sr-only">Funil por etapa, com a conversão para a etapa seguinte</caption>
          <thead>
            <tr>
              <th scope="col" class={th}>Etapa</th>
              <th scope="col" class={th}>Entradas</th>
              <th scope="col" class={th}>Conversão para a seguinte</th>
            </tr>
          </thead>
          <tbody>
            {funnel.map((f) => (
              <tr key={f.step}>
                <th scope="row" class={`${td} text-left font-normal`}>{f.label}</th>
                <td class={num}>{formatCount(f.entered)}</td>
                <td class={num}>{f.conversion === null ? "—" : formatPercent(f.conversion)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p data-testid="drop-off">
          {data.dropOff
            ? `Maior perda: ${data.dropOff.label} (não seguiram: ${
              formatCount(data.dropOff.lost)
            }).`
            : "Nenhuma perda entre etapas no período."}
        </p>
      </Section>

      <Section id="assinatura" title="Do link à assinatura">
        <p data-testid="link-to-sign">
          {l2s.count
            ? `${formatCount(l2s.count)} assinaturas · mediana ${formatHours(l2s.medianH)} · p90 ${
              formatHours(l2s.p90H)
            } (aproximadas pelas faixas abaixo).`
            : "Nenhuma assinatura no período."}
        </p>
        <BarChart
          id="l2s"
          title="Assinaturas por tempo desde o envio do link"
          bars={l2s.hist.map((n, i) => ({ label: labels[i], value: n }))}
        />
        <table class="w-full text-sm">
          <caption class="sr-only">Assinaturas por tempo desde o envio do link</caption>
          <thead>
            <tr>
              <th scope="col" class={th}>Tempo</th>
              <th scope="col" class={th}>Assinaturas</th>
            </tr>
          </thead>
          <tbody>
            {l2s.hist.map((n, i) => (
              <tr key={labels[i]}>
                <th scope="row" class={`${td} text-left font-normal`}>{labels[i]}</th>
                <td class={num}>{formatCount(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="atendentes" title="Por atendente">
        <table class="w-full text-sm" data-testid="attendants-table">
          <caption class="sr-only">Casos encerrados por atendente no período</caption>
          <thead>
            <tr>
              <th scope="col" class={th}>Atendente</th>
              <th scope="col" class={th}>Casos encerrados</th>
              <th scope="col" class={th}>Renovados</th>
              <th scope="col" class={th}>Tempo mediano de atendimento</th>
            </tr>
          </thead>
          <tbody>
            {data.attendants.map((a) => (
              <tr key={a.id}>
                <th scope="row" class={`${td} text-left font-normal`}>{a.name}</th>
                <td class={num}>{formatCount(a.handled)}</td>
                <td class={num}>{formatCount(a.closed)}</td>
                <td class={num}>{formatHours(a.medianH)}</td>
              </tr>
            ))}
            {!data.attendants.length && (
              <tr>
                <td class={td} colSpan={4}>Nenhum caso encerrado no período.</td>
              </tr>
            )}
          </tbody>
        </table>
      </Section>

      <Section id="origens" title="Por onda e canal">
        <table class="w-full text-sm" data-testid="sources-table">
          <caption class="sr-only">Casos por origem: onda de campanha e canal, ou lista</caption>
          <thead>
            <tr>
              <th scope="col" class={th}>Origem</th>
              <th scope="col" class={th}>Abertos</th>
              <th scope="col" class={th}>Assinados</th>
              <th scope="col" class={th}>Concluídos</th>
              <th scope="col" class={th}>Recusados</th>
              <th scope="col" class={th}>Expirados</th>
            </tr>
          </thead>
          <tbody>
            {data.sources.map((s) => (
              <tr key={s.source}>
                <th scope="row" class={`${td} text-left font-normal`}>{s.label}</th>
                <td class={num}>{formatCount(s.counts.opened)}</td>
                <td class={num}>{formatCount(s.counts.signed)}</td>
                <td class={num}>{formatCount(s.counts.closed)}</td>
                <td class={num}>{formatCount(s.counts.declined)}</td>
                <td class={num}>{formatCount(s.counts.expired)}</td>
              </tr>
            ))}
            {!data.sources.length && (
              <tr>
                <td class={td} colSpan={6}>Nenhum caso no período.</td>
              </tr>
            )}
          </tbody>
        </table>
      </Section>

      <Section id="receita" title="Receita mensal antes e depois da renovação">
        <BarChart
          id="receita"
          title="Mensalidades somadas dos contratos assinados, antes e depois"
          bars={[
            { label: "Antes", value: revenue.beforeCents, text: formatMoney(revenue.beforeCents) },
            { label: "Depois", value: revenue.afterCents, text: formatMoney(revenue.afterCents) },
          ]}
        />
        <table class="w-full text-sm" data-testid="revenue-table">
          <caption class="sr-only">Receita mensal dos contratos assinados no período</caption>
          <tbody>
            <tr>
              <th scope="row" class={`${td} text-left`}>Antes</th>
              <td class={num}>{formatMoney(revenue.beforeCents)}</td>
            </tr>
            <tr>
              <th scope="row" class={`${td} text-left`}>Depois</th>
              <td class={num}>{formatMoney(revenue.afterCents)}</td>
            </tr>
            <tr>
              <th scope="row" class={`${td} text-left`}>Diferença</th>
              <td class={num}>{formatMoney(revenue.afterCents - revenue.beforeCents)}</td>
            </tr>
            <tr>
              <th scope="row" class={`${td} text-left`}>Upgrades · downgrades · mesmo valor</th>
              <td class={num}>
                {formatCount(revenue.up)} · {formatCount(revenue.down)} ·{" "}
                {formatCount(revenue.same)}
              </td>
            </tr>
          </tbody>
        </table>
      </Section>

      <Section id="recusas" title="Recusas e encerramentos sem renovação">
        {data.declines.length > 0 && (
          <BarChart
            id="recusas"
            title="Recusas por motivo"
            bars={data.declines.map((d) => ({ label: d.label, value: d.count }))}
          />
        )}
        <table class="w-full text-sm" data-testid="declines-table">
          <caption class="sr-only">Recusas por motivo e casos encerrados sem renovação</caption>
          <tbody>
            {data.declines.map((d) => (
              <tr key={d.category}>
                <th scope="row" class={`${td} text-left font-normal`}>Recusa: {d.label}</th>
                <td class={num}>{formatCount(d.count)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" class={`${td} text-left font-normal`}>Links expirados</th>
              <td class={num} data-testid="expired-links">{formatCount(data.ends.expired)}</td>
            </tr>
            <tr>
              <th scope="row" class={`${td} text-left font-normal`}>Sem contato</th>
              <td class={num}>{formatCount(data.ends.unreachable)}</td>
            </tr>
            <tr>
              <th scope="row" class={`${td} text-left font-normal`}>Cancelados</th>
              <td class={num}>{formatCount(data.ends.cancelled)}</td>
            </tr>
          </tbody>
        </table>
      </Section>
      <PixAutoSection counts={data.pixAuto} />
    </div>
  );
}
