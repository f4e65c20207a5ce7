// The texts customers receive: an admin picks a message, edits subject and text, previews it
// with made-up data (never a real customer's) and saves a new version.
import { ADMINS, type Ctx, define } from "../../lib/route.ts";
import { formFields, page } from "../../lib/render.tsx";
import { actorOf } from "../../lib/actor.ts";
import { formatDateTime } from "../../domain/format.ts";
import { Button, CsrfField, ErrorBox, Notice } from "../../components/Form.tsx";
import { ConflictError, NotFoundError, ValidationError } from "../../services/errors.ts";
import {
  DEFAULT_TEMPLATES,
  getMessageTemplate,
  isTemplateName,
  LIMITS,
  listMessageTemplateVersions,
  previewMessage,
  saveMessageTemplate,
  TEMPLATE_NAMES,
  type TemplateName,
  validateMessageTemplate,
  VARIABLES,
} from "../../services/messaging/mod.ts";

const inputCls =
  "w-full rounded border px-3 py-2 text-base focus:outline-none focus:ring-2 focus:ring-brand-600";

interface Draft {
  subject: string;
  body: string;
  note: string;
  base: string;
}

interface PageOpts {
  status?: number;
  errors?: Record<string, string>;
  draft?: Draft;
  message?: string;
  /** Show the preview of the draft instead of the saved text. */
  previewDraft?: boolean;
}

function FieldError({ id, msg }: { id: string; msg?: string }) {
  return msg ? <p id={id} class="text-sm text-red-700 mt-1">{msg}</p> : null;
}

function selected(c: Ctx, f?: Record<string, string>): TemplateName {
  const name = f?.modelo ?? c.req.query("modelo") ?? TEMPLATE_NAMES[0];
  if (!isTemplateName(name)) throw new NotFoundError("Mensagem não encontrada.");
  return name;
}

async function messagesPage(c: Ctx, name: TemplateName, opts: PageOpts = {}) {
  const db = c.get("db");
  const spec = DEFAULT_TEMPLATES[name];
  const current = await getMessageTemplate(db, name);
  const versions = await listMessageTemplateVersions(db, name);
  const errors = opts.errors ?? {};
  const draft = opts.draft ??
    { subject: current.subject, body: current.body, note: "", base: String(current.version) };
  const preview = opts.previewDraft && !Object.keys(errors).length
    ? previewMessage(name, draft)
    : previewMessage(name, current);
  const ok = c.req.query("ok");
  return page(
    c,
    { title: "Mensagens aos clientes", status: opts.status },
    <section>
      <h1 class="text-2xl font-bold mb-2">Mensagens aos clientes</h1>
      <p class="text-gray-700 mb-4">
        Textos enviados por WhatsApp e e-mail. Cada alteração salva cria uma nova versão.{" "}
        <a href="/admin/dead-letters" class="text-brand-700 underline">Ver envios com falha</a>
      </p>
      <Notice message={ok ? `Nova versão salva (versão ${current.version}).` : ""} />
      <nav aria-label="Mensagens" class="mb-4 flex flex-wrap gap-2">
        {TEMPLATE_NAMES.map((n) => (
          <a
            key={n}
            href={`/admin/messages?modelo=${n}`}
            aria-current={n === name ? "page" : undefined}
            class={`rounded border px-3 py-1 text-sm ${
              n === name ? "bg-brand-600 text-white border-brand-600" : "bg-white border-gray-400"
            }`}
          >
            {DEFAULT_TEMPLATES[n].label}
          </a>
        ))}
      </nav>
      <div class="grid gap-6 lg:grid-cols-2">
        <form method="post" action="/admin/messages" class="bg-white rounded shadow p-4">
          <h2 class="text-lg font-bold mb-1">{spec.label}</h2>
          <p class="text-sm text-gray-700 mb-3" data-testid="current-version">
            Versão atual: {current.version === 0 ? "texto padrão" : current.version}
          </p>
          <ErrorBox
            message={opts.message ??
              (Object.keys(errors).length ? "Verifique os campos destacados." : "")}
          />
          <CsrfField token={c.get("session")?.csrf} />
          <input type="hidden" name="modelo" value={name} />
          <input type="hidden" name="base" value={draft.base} />
          <label for="f-subject" class="block text-sm font-medium mb-1">
            Assunto (e-mail)
          </label>
          <input
            id="f-subject"
            name="subject"
            value={draft.subject}
            maxLength={LIMITS.subjectMax}
            aria-invalid={errors.subject ? "true" : undefined}
            aria-describedby={errors.subject ? "f-subject-err" : undefined}
            class={`${inputCls} ${errors.subject ? "border-red-700" : "border-gray-400"}`}
          />
          <FieldError id="f-subject-err" msg={errors.subject} />
          <label for="f-body" class="block text-sm font-medium mt-3 mb-1">Texto</label>
          <textarea
            id="f-body"
            name="body"
            rows={8}
            maxLength={LIMITS.bodyMax}
            aria-invalid={errors.body ? "true" : undefined}
            aria-describedby={errors.body ? "f-body-err" : "f-vars"}
            class={`${inputCls} font-mono text-sm ${
              errors.body ? "border-red-700" : "border-gray-400"
            }`}
          >
            {draft.body}
          </textarea>
          <FieldError id="f-body-err" msg={errors.body} />
          <label for="f-note" class="block text-sm font-medium mt-3 mb-1">
            Nota sobre a alteração (opcional)
          </label>
          <input
            id="f-note"
            name="note"
            value={draft.note}
            maxLength={LIMITS.noteMax}
            aria-invalid={errors.note ? "true" : undefined}
            class={`${inputCls} ${errors.note ? "border-red-700" : "border-gray-400"}`}
          />
          <FieldError id="f-note-err" msg={errors.note} />
          <div class="mt-4 flex flex-wrap gap-2">
            <button
              type="submit"
              name="acao"
              value="previa"
              class="rounded px-4 py-2 font-medium bg-white hover:bg-gray-100 text-gray-900 border border-gray-400"
            >
              Pré-visualizar
            </button>
            <Button>Salvar nova versão</Button>
          </div>
        </form>

        <div class="grid gap-6 h-fit">
          <section class="bg-white rounded shadow p-4" aria-labelledby="preview-h">
            <h2 id="preview-h" class="text-lg font-bold mb-1">Pré-visualização</h2>
            <p class="text-sm text-gray-700 mb-3">
              Com dados de exemplo (cliente fictício).{" "}
              {opts.previewDraft ? "Texto ainda não salvo." : "Texto salvo."}
            </p>
            <div data-testid="preview">
              <p class="font-medium">{preview.subject}</p>
              <p class="whitespace-pre-wrap text-sm mt-1">{preview.body}</p>
            </div>
          </section>
          <section class="bg-white rounded shadow p-4" aria-labelledby="vars-h">
            <h2 id="vars-h" class="text-lg font-bold mb-2">Campos desta mensagem</h2>
            <dl id="f-vars" class="text-sm grid gap-1" data-testid="placeholders">
              {spec.vars.map((v) => (
                <div key={v} class="flex flex-wrap gap-x-2">
                  <dt class="font-mono">{`{{${v}}}`}</dt>
                  <dd class="text-gray-700">
                    {VARIABLES[v]}
                    {spec.required.includes(v) ? " (obrigatório)" : ""}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          <section class="bg-white rounded shadow p-4" aria-labelledby="history-h">
            <h2 id="history-h" class="text-lg font-bold mb-2">Histórico de versões</h2>
            {versions.length === 0
              ? <p class="text-sm">Nenhuma alteração: vale o texto padrão.</p>
              : (
                <ul class="text-sm divide-y">
                  {versions.map((v) => (
                    <li key={v.version} class="py-1" data-testid="version-row">
                      Versão {v.version} · {v.createdAt ? formatDateTime(v.createdAt) : ""} ·{" "}
                      {v.createdBy}
                      {v.note ? ` · ${v.note}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            <details class="mt-3 text-sm">
              <summary class="cursor-pointer">Texto padrão</summary>
              <p class="font-medium mt-2">{spec.subject}</p>
              <p class="whitespace-pre-wrap font-mono">{spec.body}</p>
            </details>
          </section>
        </div>
      </div>
    </section>,
  );
}

export default define({
  access: ADMINS,
  GET: (c) => messagesPage(c, selected(c)),
  POST: async (c) => {
    const f = await formFields(c);
    const name = selected(c, f);
    const draft: Draft = {
      subject: f.subject ?? "",
      body: f.body ?? "",
      note: f.note ?? "",
      base: f.base ?? "",
    };
    try {
      if (f.acao === "previa") {
        validateMessageTemplate(name, draft);
        return messagesPage(c, name, { draft, previewDraft: true });
      }
      const base = /^\d{1,9}$/.test(draft.base) ? Number(draft.base) : undefined;
      await saveMessageTemplate(c.get("db"), name, draft, actorOf(c), { baseVersion: base });
    } catch (e) {
      // Re-show what was typed so nothing is lost.
      if (e instanceof ValidationError) {
        return messagesPage(c, name, { status: 400, errors: e.fields, draft });
      }
      if (e instanceof ConflictError) {
        return messagesPage(c, name, { status: 409, draft, message: e.message });
      }
      throw e;
    }
    return c.redirect(`/admin/messages?modelo=${name}&ok=1`, 303);
  },
});
