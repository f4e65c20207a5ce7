// The dashboard's Pix Automático section: authorizations entering each status in the period
// (services/pix_auto/counters.ts), as bars and the same figures in a table.
import {
  type CountedPixAutoStatus,
  PIX_AUTO_COUNTED,
  PIX_AUTO_LABELS,
} from "../../services/pix_auto/counters.ts";
import { formatCount } from "../../domain/format.ts";
import { BarChart } from "./BarChart.tsx";

const td = "p-2 border-b border-gray-200";

export function PixAutoSection({ counts }: { counts: Record<CountedPixAutoStatus, number> }) {
  const rows = PIX_AUTO_COUNTED.map((s) => ({
    s,
    label: PIX_AUTO_LABELS[s],
    value: counts[s] ?? 0,
  }));
  return (
    <section aria-labelledby="pix-auto" class="bg-white rounded shadow p-4 grid gap-3">
      <h2 id="pix-auto" class="text-lg font-bold">Pix Automático</h2>
      {/* No bars without data (as the declines chart): the table says 0. */}
      {rows.some((r) => r.value > 0) && (
        <BarChart
          id="pix-auto"
          title="Autorizações do Pix Automático por situação"
          bars={rows.map((r) => ({ label: r.label, value: r.value }))}
        />
      )}
      <table class="w-full text-sm" data-testid="pix-auto-table">
        <caption class="sr-only">
          Autorizações do Pix Automático que entraram em cada situação
        </caption>
        <tbody>
          {rows.map((r) => (
            <tr key={r.s}>
              <th scope="row" class={`${td} text-left font-normal`}>{r.label}</th>
              <td class={`${td} text-right tabular-nums`} data-testid={`pix-auto-${r.s}`}>
                {formatCount(r.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
