// The dashboard as CSV (the same figures as the page's tables): ";" separated and UTF-8 with a
// BOM, as spreadsheets in pt-BR expect; cells that a spreadsheet would run as a formula
// (=, +, -, @ first: an attendant's name is typed by an admin) are quoted as text.
import type { DashboardData } from "./dashboard.ts";
import { SOURCE_COLUMNS } from "./dashboard.ts";
import { PIX_AUTO_COUNTED, PIX_AUTO_LABELS } from "../pix_auto/counters.ts";

function cell(v: string | number | null): string {
  if (v === null) return "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const ratio = (r: number | null) => (r === null ? null : (Math.round(r * 1000) / 1000).toString());
const hours = (h: number | null) => (h === null ? null : (Math.round(h * 100) / 100).toString());

export function dashboardCsv(d: DashboardData): string {
  const rows: (string | number | null)[][] = [["secao", "item", "medida", "valor"]];
  for (const f of d.funnel) {
    rows.push(["funil", f.label, "entradas", f.entered]);
    rows.push(["funil", f.label, "conversao_para_seguinte", ratio(f.conversion)]);
  }
  if (d.dropOff) rows.push(["funil", d.dropOff.label, "maior_perda", d.dropOff.lost]);
  rows.push(["link_assinatura", "assinaturas", "total", d.linkToSign.count]);
  rows.push(["link_assinatura", "mediana", "horas", hours(d.linkToSign.medianH)]);
  rows.push(["link_assinatura", "p90", "horas", hours(d.linkToSign.p90H)]);
  for (const a of d.attendants) {
    rows.push(["atendente", a.name, "encerrados", a.handled]);
    rows.push(["atendente", a.name, "renovados", a.closed]);
    rows.push(["atendente", a.name, "mediana_horas", hours(a.medianH)]);
  }
  for (const s of d.sources) {
    for (const c of SOURCE_COLUMNS) rows.push(["origem", s.label, c, s.counts[c]]);
  }
  rows.push(["receita", "antes", "centavos", d.revenue.beforeCents]);
  rows.push(["receita", "depois", "centavos", d.revenue.afterCents]);
  rows.push(["receita", "upgrades", "casos", d.revenue.up]);
  rows.push(["receita", "downgrades", "casos", d.revenue.down]);
  rows.push(["receita", "mesmo_valor", "casos", d.revenue.same]);
  for (const x of d.declines) rows.push(["recusa", x.label, "casos", x.count]);
  rows.push(["encerramento", "links_expirados", "casos", d.ends.expired]);
  rows.push(["encerramento", "sem_contato", "casos", d.ends.unreachable]);
  rows.push(["encerramento", "cancelados", "casos", d.ends.cancelled]);
  for (const s of PIX_AUTO_COUNTED) {
    rows.push(["pix_automatico", PIX_AUTO_LABELS[s], "autorizacoes", d.pixAuto[s]]);
  }
  return "\uFEFF" + rows.map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n";
}
