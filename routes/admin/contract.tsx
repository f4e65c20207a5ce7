// The renewal contract's text: an admin edits the current version's sections and saves a new
// version (versions are never changed, so signed contracts keep their text). The preview uses
// the first plan and a fixed sample customer: never real customer data.
import { ADMINS, type Ctx, define } from "../../lib/route.ts";
import { formFields, page } from "../../lib/render.tsx";
import { actorOf } from "../../lib/actor.ts";
import { formatDateTime } from "../../domain/format.ts";
import { Button, CsrfField, ErrorBox, Notice } from "../../components/Form.tsx";
import { ContractSections } from "../../components/ContractSections.tsx";
import { ConflictError, ValidationError } from "../../services/errors.ts";
import { listPlans, type Plan } from "../../services/plans.ts";
import { todayInBrazil } from "../../services/dates.ts";
import type { ContractData, ContractSection } from "../../services/contract/terms.ts";
import {
  type ContractTemplate,
  getCurrentTemplate,
  getTemplateVersion,
  LIMITS,
  listTemplateVersions,
  PLACEHOLDERS,
  renderTemplate,
  REQUIRED_PLACEHOLDERS,
  saveTemplateVersion,
  type TemplateSection,
} from "../../services/contract/templates.ts";

/** Used only when no plan exists yet, so the preview still shows something. */
const DEMO_PLAN: Plan = {
  id: "demo",
  name: "Plano de exemplo 500 Mega",
  downMbps: 500,
  upMbps: 250,
  priceCents: 9990,
  loyaltyMonths: 12,
  benefit: "Instalação sem custo",
  benefitValueCents: 36000,
  offerCode: "EXEMPLO-500",
  active: true,
  createdAt: "2026-01-01T00:00:00.000Z",
};

/** A made-up customer: the preview never shows real personal data. */
const DEMO_CUSTOMER: ContractData["customer"] = {
  name: "Maria Exemplo da Silva",
  cpf: "52998224725",
  phones: ["5511987654321"],
  email: "maria.exemplo@example.com",
  address: {
    street: "Rua de Exemplo",
    number: "100",
    district: "Centro",
    city: "São Paulo",
    state: "SP",
    zip: "01001-000",
  },
};

const inputCls =
  "w-full rounded border px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-brand-600";

interface PageOpts {
  status?: number;
  errors?: Record<string, string>;
  /** Sections as submitted (on an error), instead of the current version's. */
  sections?: TemplateSection[];
  note?: string;
  base?: string;
  message?: string;
}

async function demoData(c: Ctx): Promise<ContractData> {
  const db = c.get("db");
  const plan = (await listPlans(db))[0] ?? DEMO_PLAN;
  return {
    provider: c.get("config").provider,
    customer: DEMO_CUSTOMER,
    plan,
    date: todayInBrazil(db.now()),
    caseId: "DEMONSTRACAO",
  };
}

function Preview({ sections }: { sections: ContractSection[] }) {
  return (
    <ContractSections sections={sections} label="Pré-visualização do contrato" testId="preview" />
  );
}

function FieldError({ id, msg }: { id: string; msg?: string }) {
  return msg ? <p id={id} class="text-sm text-red-700 mt-1">{msg}</p> : null;
}

function SectionFields(
  { i, s, errors, isNew }: {
    i: number;
    s: TemplateSection;
    errors: Record<string, string>;
    isNew: boolean;
  },
) {
  const tErr = errors[`title_${i}`];
  const bErr = errors[`body_${i}`];
  return (
    <fieldset class="mb-4 border rounded p-3" data-testid="section-fields">
      <legend class="font-semibold px-1">
        {isNew ? "Nova seção (opcional)" : `Seção ${i + 1}`}
      </legend>
      <label for={`f-title_${i}`} class="block text-sm font-medium mb-1">Título</label>
      <input
        id={`f-title_${i}`}
        name={`title_${i}`}
        value={s.title}
        maxLength={LIMITS.titleMax}
        aria-invalid={tErr ? "true" : undefined}
        aria-describedby={tErr ? `f-title_${i}-err` : undefined}
        class={`${inputCls} ${tErr ? "border-red-700" : "border-gray-400"}`}
      />
      <FieldError id={`f-title_${i}-err`} msg={tErr} />
      <label for={`f-body_${i}`} class="block text-sm font-medium mt-3 mb-1">Texto</label>
      <textarea
        id={`f-body_${i}`}
        name={`body_${i}`}
        rows={isNew ? 3 : 6}
        maxLength={LIMITS.bodyMax}
        aria-invalid={bErr ? "true" : undefined}
        aria-describedby={bErr ? `f-body_${i}-err` : `f-help`}
        class={`${inputCls} font-mono text-sm ${bErr ? "border-red-700" : "border-gray-400"}`}
      >
        {s.body}
      </textarea>
      <FieldError id={`f-body_${i}-err`} msg={bErr} />
      {!isNew && (
        <p class="text-xs text-gray-700 mt-1">
          Para remover esta seção, apague o título e o texto.
        </p>
      )}
    </fieldset>
  );
}

async function contractPage(c: Ctx, opts: PageOpts = {}) {
  const db = c.get("db");
  const csrf = c.get("session")?.csrf;
  const current = await getCurrentTemplate(db);
  const versions = await listTemplateVersions(db);
  const wanted = Number(c.req.query("versao") ?? "");
  const shown: ContractTemplate = (Number.isSafeInteger(wanted) && wanted > 0 &&
    wanted !== current.version && await getTemplateVersion(db, wanted)) || current;
  const preview = renderTemplate(shown, await demoData(c));
  const sections = opts.sections ?? current.sections;
  const errors = opts.errors ?? {};
  // Messages not tied to one section's fields, shown above the form.
  const general = Object.entries(errors)
    .filter(([k]) => !/^(title|body)_\d+$/.test(k))
    .map(([, m]) => m);
  const ok = c.req.query("ok");

  return page(
    c,
    { title: "Texto do contrato", status: opts.status },
    <section>
      <h1 class="text-2xl font-bold mb-2">Texto do contrato de renovação</h1>
      <p class="text-gray-700 mb-4">
        Versão atual:{" "}
        <strong data-testid="current-version">{current.version}</strong>. Cada alteração salva cria
        uma nova versão; contratos já assinados mantêm a versão com que foram assinados.
      </p>
      <Notice message={ok ? `Nova versão salva (versão ${current.version}).` : ""} />
      <div class="grid gap-6 lg:grid-cols-2">
        <form method="post" action="/admin/contract" class="bg-white rounded shadow p-4">
          <h2 class="text-lg font-bold mb-3">Editar (nova versão)</h2>
          <ErrorBox
            message={opts.message ??
              (Object.keys(errors).length
                ? "O texto não foi salvo. Verifique os campos destacados."
                : "")}
          />
          {general.length > 0 && (
            <ul class="list-disc pl-6 mb-4 text-red-800" data-testid="general-errors">
              {general.map((m) => <li key={m}>{m}</li>)}
            </ul>
          )}
          <CsrfField token={csrf} />
          <input type="hidden" name="base" value={opts.base ?? String(current.version)} />
          <p id="f-help" class="text-sm text-gray-700 mb-3">
            Separe os parágrafos com uma linha em branco. Use os campos da lista entre chaves
            duplas, por exemplo {"{{cliente.nome}}"}. Escreva {"{{tabela_multa}}"}{" "}
            sozinho no último parágrafo da seção onde a tabela de multa deve aparecer.
          </p>
          {sections.map((s, i) => (
            <SectionFields key={i} i={i} s={s} errors={errors} isNew={false} />
          ))}
          <SectionFields
            i={sections.length}
            s={{ title: "", body: "" }}
            errors={errors}
            isNew
          />
          <div class="mb-4">
            <label for="f-note" class="block text-sm font-medium mb-1">
              Nota sobre a alteração (opcional)
            </label>
            <input
              id="f-note"
              name="note"
              value={opts.note ?? ""}
              maxLength={LIMITS.noteMax}
              aria-invalid={errors.note ? "true" : undefined}
              aria-describedby={errors.note ? "f-note-err" : undefined}
              class={`${inputCls} ${errors.note ? "border-red-700" : "border-gray-400"}`}
            />
            <FieldError id="f-note-err" msg={errors.note} />
          </div>
          <Button>Salvar nova versão</Button>
        </form>

        <div class="grid gap-6 h-fit">
          <section class="bg-white rounded shadow p-4" aria-labelledby="placeholders-h">
            <h2 id="placeholders-h" class="text-lg font-bold mb-2">Campos disponíveis</h2>
            <p class="text-sm text-gray-700 mb-2">
              Obrigatórios: {REQUIRED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}{" "}
              e uma seção sobre "assinatura eletrônica".
            </p>
            <dl class="text-sm grid gap-1" data-testid="placeholders">
              {PLACEHOLDERS.map((p) => (
                <div key={p.name} class="flex flex-wrap gap-x-2">
                  <dt class="font-mono">{`{{${p.name}}}`}</dt>
                  <dd class="text-gray-700">{p.description}</dd>
                </div>
              ))}
            </dl>
          </section>

          <section class="bg-white rounded shadow p-4" aria-labelledby="preview-h">
            <h2 id="preview-h" class="text-lg font-bold mb-1">
              Pré-visualização da versão {shown.version}
            </h2>
            <p class="text-sm text-gray-700 mb-3">
              Com dados de exemplo (cliente fictício e o primeiro plano cadastrado).
            </p>
            <Preview sections={preview} />
          </section>

          <section class="bg-white rounded shadow p-4" aria-labelledby="history-h">
            <h2 id="history-h" class="text-lg font-bold mb-2">Histórico de versões</h2>
            <table class="text-sm w-full">
              <thead>
                <tr class="text-left">
                  <th scope="col">Versão</th>
                  <th scope="col">Data</th>
                  <th scope="col">Por</th>
                  <th scope="col">Nota</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version} class="border-t align-top" data-testid="version-row">
                    <td>
                      <a
                        href={`/admin/contract?versao=${v.version}`}
                        class="text-brand-700 underline"
                        aria-label={`Ver a versão ${v.version}`}
                      >
                        {v.version}
                      </a>
                      {v.version === current.version && " (atual)"}
                    </td>
                    <td>{formatDateTime(v.createdAt)}</td>
                    <td>{v.createdBy}</td>
                    <td>{v.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
    </section>,
  );
}

/** title_N / body_N in N order; a section with both left empty is dropped. */
function sectionsFromForm(f: Record<string, string>): TemplateSection[] {
  const idx = new Set<number>();
  for (const k of Object.keys(f)) {
    const m = k.match(/^(?:title|body)_(\d{1,4})$/);
    if (m) idx.add(Number(m[1]));
  }
  return [...idx].sort((a, b) => a - b)
    .map((n) => ({ title: f[`title_${n}`] ?? "", body: f[`body_${n}`] ?? "" }))
    .filter((s) => s.title.trim() !== "" || s.body.trim() !== "");
}

export default define({
  access: ADMINS,
  GET: (c) => contractPage(c),
  POST: async (c) => {
    const f = await formFields(c);
    const sections = sectionsFromForm(f);
    const note = f.note ?? "";
    const base = /^\d{1,9}$/.test(f.base ?? "") ? Number(f.base) : undefined;
    try {
      await saveTemplateVersion(c.get("db"), sections, note, actorOf(c), { baseVersion: base });
    } catch (e) {
      // Re-show what was typed (the kept sections, renumbered) so nothing is lost.
      if (e instanceof ValidationError) {
        return contractPage(c, { status: 400, errors: e.fields, sections, note, base: f.base });
      }
      if (e instanceof ConflictError) {
        return contractPage(c, { status: 409, sections, note, message: e.message });
      }
      throw e;
    }
    return c.redirect("/admin/contract?ok=1", 303);
  },
});
