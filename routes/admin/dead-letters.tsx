// Messages (and inbound WhatsApp events) that could not be processed after every retry. An
// admin sees why and puts one back in the queue once the cause is fixed.
import { ADMINS, define } from "../../lib/route.ts";
import { formFields, page } from "../../lib/render.tsx";
import { actorOf } from "../../lib/actor.ts";
import { formatDateTime } from "../../domain/format.ts";
import { Button, CsrfField, Notice } from "../../components/Form.tsx";
import { NotFoundError } from "../../services/errors.ts";
import {
  DEFAULT_TEMPLATES,
  listDeadLetters,
  MESSAGE_STATUS_LABELS,
  retryDeadLetter,
} from "../../services/messaging/mod.ts";

const NOTICES: Record<string, string> = {
  queued: "Reenvio agendado: a mensagem voltou para a fila.",
  already: "Nada a reenviar: a mensagem já tinha saído. A falha foi removida da lista.",
};

export default define({
  access: ADMINS,
  GET: async (c) => {
    const rows = await listDeadLetters(c.get("db"));
    const csrf = c.get("session")?.csrf;
    return page(
      c,
      { title: "Envios com falha" },
      <section>
        <h1 class="text-2xl font-bold mb-2">Envios com falha</h1>
        <p class="text-gray-700 mb-4">
          Mensagens que não puderam ser enviadas depois de todas as tentativas. Corrija a causa (por
          exemplo, a configuração do provedor) e tente de novo.{" "}
          <a href="/admin/messages" class="text-brand-700 underline">Textos das mensagens</a>
        </p>
        <Notice message={NOTICES[c.req.query("ok") ?? ""]} />
        {rows.length === 0
          ? <p data-testid="no-dead-letters">Nenhuma falha.</p>
          : (
            <ul class="grid gap-3">
              {rows.map((r) => {
                const m = r.message;
                return (
                  <li key={r.id} class="bg-white rounded shadow p-3" data-testid="dead-letter">
                    {m
                      ? (
                        <>
                          <p class="font-medium">
                            {DEFAULT_TEMPLATES[m.template]?.label ?? m.template} ·{" "}
                            {m.channel === "email" ? "E-mail" : "WhatsApp"} para {m.toMasked}
                          </p>
                          <p class="text-sm text-gray-700">
                            Criada em {formatDateTime(m.at)} · {MESSAGE_STATUS_LABELS[m.status]}
                            {" "}
                            · tentativas: {m.attempts ?? 0}
                            {m.failedAt ? ` · falhou em ${formatDateTime(m.failedAt)}` : ""}
                          </p>
                          {m.lastError && <p class="text-sm font-mono break-all">{m.lastError}</p>}
                          {m.status === "unknown" && (
                            <p class="text-sm" data-testid="maybe-sent">
                              Possivelmente enviada: confira com o cliente antes de reenviar.
                            </p>
                          )}
                          <a
                            href={`/app/cases/${m.caseId}`}
                            class="text-sm text-brand-700 underline"
                          >
                            Abrir o caso
                          </a>
                        </>
                      )
                      : <p class="font-medium">Evento recebido do WhatsApp ({r.id})</p>}
                    <form method="post" action="/admin/dead-letters" class="mt-2">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="id" value={r.id} />
                      <Button variant="secondary">
                        {m?.status === "unknown" ? "Reenviar" : "Tentar de novo"}
                      </Button>
                    </form>
                  </li>
                );
              })}
            </ul>
          )}
      </section>,
    );
  },
  POST: async (c) => {
    const f = await formFields(c);
    if (!/^[0-9A-Z]{26}$/.test(f.id ?? "")) throw new NotFoundError("Falha não encontrada.");
    const r = await retryDeadLetter(c.get("db"), f.id, actorOf(c));
    return c.redirect(`/admin/dead-letters?ok=${r}`, 303);
  },
});
