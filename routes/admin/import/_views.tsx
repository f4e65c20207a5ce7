// Server-only pieces of the import pages (a leading "_" keeps this file out of the routes).
import type { ImportJob, Mode } from "../../../services/import/jobs.ts";
import type { Counts, RowIssue } from "../../../services/import/engine.ts";
import { FIELDS, PRESETS } from "../../../services/import/presets.ts";
import type { Plan } from "../../../services/plans.ts";
import { Button, CsrfField } from "../../../components/Form.tsx";
import { formatCount } from "../../../domain/format.ts";

const n = formatCount;

export function fileFacts(job: ImportJob) {
  return (
    <p class="text-gray-700 mb-4">
      <strong>{job.fileName}</strong> — {n(Math.ceil(job.size / 1024))} KB, {n(job.rows)} linhas,
      {" "}
      {job.encoding === "latin1" ? "Latin-1" : "UTF-8"}, separador{" "}
      <code>{job.delimiter === "\t" ? "tab" : job.delimiter}</code>
    </p>
  );
}

export function CountsList({ counts, mode }: { counts: Counts; mode: Mode }) {
  const items: [string, number][] = [
    ["Linhas lidas", counts.rows],
    [mode === "dry" ? "Seriam criadas" : "Criadas", counts.created],
    [mode === "dry" ? "Seriam atualizadas" : "Atualizadas", counts.updated],
    ["Sem mudança", counts.unchanged],
    ["Mantidas (renovação no Renova)", counts.kept],
    ["Com problema", counts.bad],
  ];
  return (
    <dl class="grid grid-cols-2 sm:grid-cols-3 gap-2 mb-4">
      {items.map(([label, value]) => (
        <div key={label} class="bg-white rounded shadow p-3">
          <dt class="text-sm text-gray-700">{label}</dt>
          <dd class="text-xl font-bold">{n(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function IssueTable(
  { issues, next, caption }: { issues: RowIssue[]; next?: string; caption: string },
) {
  if (!issues.length) return <p class="mb-4">Nenhuma linha com problema.</p>;
  return (
    <div class="mb-4 overflow-x-auto">
      <table class="w-full bg-white rounded shadow text-sm">
        <caption class="text-left font-bold mb-2">{caption}</caption>
        <thead>
          <tr class="text-left border-b">
            <th scope="col" class="p-2">Linha</th>
            <th scope="col" class="p-2">Cliente (ERP)</th>
            <th scope="col" class="p-2">Motivo</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((x) => (
            <tr key={x.line} class="border-b">
              <td class="p-2">{x.line}</td>
              <td class="p-2">{x.erpId || "—"}</td>
              <td class={`p-2 ${x.level === "warning" ? "text-gray-700" : "text-red-800"}`}>
                {x.level === "warning" ? "Aviso: " : ""}
                {x.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && <a class="underline" href={next}>Próximas linhas</a>}
    </div>
  );
}

export function MappingForm(
  { job, csrf, sample, plans, resolved, errors }: {
    job: ImportJob;
    csrf?: string;
    sample: string[][];
    plans: Plan[];
    resolved: (string | null)[];
    errors?: string;
  },
) {
  return (
    <form method="post" action={`/admin/import/${job.id}`} class="bg-white rounded shadow p-4 mb-6">
      <CsrfField token={csrf} />
      <h2 class="font-bold text-lg mb-2">Colunas</h2>
      <div class="flex flex-wrap gap-2 items-end mb-4">
        <div>
          <label for="f-preset" class="block text-sm font-medium mb-1">Predefinição</label>
          <select id="f-preset" name="preset" class="rounded border border-gray-400 px-3 py-2">
            {Object.entries(PRESETS).map(([k, p]) => (
              <option key={k} value={k} selected={job.preset === k}>{p.label}</option>
            ))}
            <option value="custom" selected={job.preset === "custom"}>Personalizado</option>
          </select>
        </div>
        <button
          type="submit"
          name="action"
          value="preset"
          class="rounded px-4 py-2 font-medium border border-gray-400 bg-white hover:bg-gray-100"
        >
          Aplicar predefinição
        </button>
      </div>
      {errors && <p id="mapping-err" role="alert" class="text-red-700 mb-3">{errors}</p>}
      <div class="grid sm:grid-cols-2 gap-x-4">
        {FIELDS.map((f) => {
          const id = `col-${f.key}`;
          const required = "required" in f && f.required;
          return (
            <div key={f.key} class="mb-3">
              <label for={id} class="block text-sm font-medium mb-1">
                {f.label}
                {required ? " *" : ""}
              </label>
              <select
                id={id}
                name={`col_${f.key}`}
                aria-describedby={errors ? "mapping-err" : undefined}
                class="w-full rounded border border-gray-400 px-3 py-2"
              >
                <option value="-1">— não usar —</option>
                {job.headers.map((h, i) => (
                  <option key={i} value={String(i)} selected={job.mapping[f.key] === i}>
                    {h || `coluna ${i + 1}`}
                    {sample[0]?.[i] ? ` (ex.: ${sample[0][i].slice(0, 30)})` : ""}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
      </div>
      <h2 class="font-bold text-lg mt-4 mb-2">Planos do ERP</h2>
      {job.planValues.length === 0 && <p class="mb-3">Nenhum plano encontrado na coluna.</p>}
      {job.planValues.map((p, i) => (
        <div key={p.value} class="mb-3 grid sm:grid-cols-2 gap-2 items-center">
          <label for={`plan-${i}`} class="text-sm font-medium">
            {p.value} <span class="text-gray-700">({n(p.rows)} linhas)</span>
          </label>
          <select
            id={`plan-${i}`}
            name={`plan_${i}`}
            class="rounded border border-gray-400 px-3 py-2"
          >
            <option value="">— sem correspondência (linhas recusadas) —</option>
            {plans.map((pl) => (
              <option key={pl.id} value={pl.id} selected={resolved[i] === pl.id}>
                {pl.name} ({pl.offerCode})
              </option>
            ))}
          </select>
        </div>
      ))}
      <div class="mt-4">
        <Button>Salvar e simular</Button>
      </div>
    </form>
  );
}
