// Case page, right column: the next action, the holder photo, data, signature, ticket,
// invoices, messages and the timeline.
import type { StaffCaseView } from "../../services/renewals/views.ts";
import {
  formatCpf,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPhone,
} from "../../domain/format.ts";
import PhotoViewer from "../../islands/PhotoViewer.tsx";
import { type Action, ACTION_LABELS, type Step } from "../../domain/steps.ts";
import { LinkStatus } from "./LinkStatus.tsx";
import {
  can,
  canSendLink,
  linkButton,
  STAFF_BUTTONS,
  STEP_POLICY,
  waitingOnCustomer,
} from "../../domain/policy.ts";
import { ActionForm, fieldCls, Panel, Submit } from "./ActionForm.tsx";
import { CsrfField } from "../Form.tsx";
import { MESSAGE_STATUS_LABELS } from "../../services/messaging/mod.ts";

interface P {
  v: StaffCaseView;
  csrf?: string;
  canAct: boolean;
}

export function NextPanel({ v, csrf, canAct }: P) {
  const c = v.case;
  const button = STEP_POLICY[c.step].button;
  const canLink = canAct && canSendLink(c.step);
  const waiting = waitingOnCustomer(c.step, c.link, v.now);
  return (
    <Panel title="Próximo passo" id="p-next">
      <p class="mb-3" data-testid="next-action">
        {waiting && c.link
          ? (
            <>
              <strong>Aguardando o cliente</strong> — link enviado em{" "}
              {formatDateTime(c.link.issuedAt)}, válido até {formatDateTime(c.link.expiresAt)}.
            </>
          )
          : STEP_POLICY[c.step].next}
      </p>
      <div class="flex flex-wrap gap-2">
        {canAct && button && (
          <ActionForm caseId={c.id} action={button} rev={c.rev} csrf={csrf}>
            <Submit shortcut="p">{STAFF_BUTTONS[button]}</Submit>
          </ActionForm>
        )}
        {canLink && (
          <ActionForm
            caseId={c.id}
            action="send_link"
            rev={c.rev}
            csrf={csrf}
            class="flex gap-2 items-center"
          >
            <label class="text-sm">
              <span class="sr-only">Canal</span>
              <select name="channel" class="rounded border border-gray-400 px-2 py-2 text-sm">
                <option value="whatsapp">WhatsApp</option>
                {v.customer.email && <option value="email">E-mail</option>}
              </select>
            </label>
            <Submit variant={c.link ? "secondary" : "primary"} shortcut="l">
              {linkButton(!!c.link)}
            </Submit>
          </ActionForm>
        )}
      </div>
      {c.link && !waiting && <LinkStatus c={c} expired={v.linkExpired} />}
    </Panel>
  );
}

export function PhotoPanel({ v, csrf, canAct }: P) {
  const c = v.case;
  if (!c.photo) return null;
  const p = c.photo;
  return (
    <Panel title="Verificação de titularidade" id="p-photo">
      <p class="text-sm mb-2">
        Enviada em {formatDateTime(p.uploadedAt)} · {p.status === "pending"
          ? "aguardando revisão"
          : p.status === "approved"
          ? `aprovada por ${p.reviewedBy}`
          : `recusada por ${p.reviewedBy}: ${p.reason}`}
      </p>
      {p.purgedAt && (
        <p class="text-sm">
          Foto apagada em {formatDateTime(p.purgedAt)} pelo prazo de guarda (LGPD).
        </p>
      )}
      {!p.purgedAt && (
        // The photo and the record side by side: the reviewer compares without scrolling.
        <div class="grid gap-3 md:grid-cols-3 mb-3">
          <div class="md:col-span-2">
            <PhotoViewer
              src={`/app/cases/${c.id}/photo`}
              alt="Foto do cliente segurando o documento"
            />
          </div>
          <div class="text-sm">
            <p class="text-gray-700 mb-2">
              Compare o rosto com a foto do documento e o nome e o CPF com o cadastro. O acesso à
              foto fica registrado no histórico.
            </p>
            <dl class="grid gap-2" data-testid="photo-compare">
              <div>
                <dt class="text-gray-700">Nome no cadastro</dt>
                <dd class="font-medium text-base">{v.customer.name}</dd>
              </div>
              <div>
                <dt class="text-gray-700">CPF no cadastro</dt>
                <dd class="font-medium text-base">{formatCpf(v.customer.cpf)}</dd>
              </div>
            </dl>
          </div>
        </div>
      )}
      {canAct && can(c.step, "approve_photo", "staff") && (
        <div class="flex flex-wrap gap-2 items-end">
          <ActionForm caseId={c.id} action="approve_photo" rev={c.rev} csrf={csrf}>
            <Submit shortcut="t" focusOnly>{STAFF_BUTTONS.approve_photo}</Submit>
          </ActionForm>
          <ActionForm
            caseId={c.id}
            action="reject_photo"
            rev={c.rev}
            csrf={csrf}
            class="flex flex-wrap gap-2 items-end flex-1"
          >
            <label class="text-sm flex-1">
              Motivo (o cliente verá)
              <input
                name="reason"
                maxLength={300}
                class={fieldCls}
                placeholder="Ex.: documento ilegível"
              />
            </label>
            <Submit variant="danger">{STAFF_BUTTONS.reject_photo}</Submit>
          </ActionForm>
        </div>
      )}
    </Panel>
  );
}

export function OutcomePanel({ v }: { v: StaffCaseView }) {
  const c = v.case;
  return (
    <Panel title="Andamento" id="p-outcome">
      <dl class="text-sm grid gap-2">
        {c.network && (
          <div data-testid="speed-outcome">
            <dt class="text-gray-700">Velocidade na rede</dt>
            <dd>{speedText(c.network)}</dd>
          </div>
        )}
        <div>
          <dt class="text-gray-700">Dados confirmados</dt>
          <dd>
            {c.contactsConfirmedAt
              ? (
                <>
                  Em {formatDateTime(c.contactsConfirmedAt)}:{" "}
                  {v.customer.phones.map(formatPhone).join(", ")} · {v.customer.email}
                </>
              )
              : "Ainda não"}
          </dd>
        </div>
        <div>
          <dt class="text-gray-700">Alteração de plano</dt>
          <dd>
            {c.planChange
              ? `Feita por ${c.planChange.by} em ${formatDateTime(c.planChange.at)}`
              : "Ainda não"}
          </dd>
        </div>
        <div>
          <dt class="text-gray-700">Assinatura</dt>
          <dd data-testid="signature">
            {c.signature
              ? (
                <>
                  Assinado por “{c.signature.typedName}” em {formatDateTime(c.signature.at)} · IP
                  {" "}
                  {c.signature.ip}
                  {c.signature.drawn ? " · com assinatura desenhada" : ""} · SHA-256 do documento
                  {" "}
                  <code class="break-all">{c.signature.documentSha256}</code>
                  {c.signature.finalSha256 && (
                    <>
                      {" "}· arquivo selado <code class="break-all">{c.signature.finalSha256}</code>
                    </>
                  )}{" "}
                  <a href={`/app/cases/${c.id}/contrato.pdf`} class="text-brand-700 underline">
                    Baixar PDF assinado
                  </a>
                </>
              )
              : c.step === "signature_sent"
              ? (
                <>
                  Aguardando o cliente ·{" "}
                  <a href={`/app/cases/${c.id}/contrato.pdf`} class="text-brand-700 underline">
                    Ver PDF enviado
                  </a>
                </>
              )
              : "Ainda não"}
          </dd>
        </div>
        <div>
          <dt class="text-gray-700">Atendimento</dt>
          <dd data-testid="ticket">
            {v.ticket
              ? (
                <>
                  Protocolo <strong>{v.ticket.protocol}</strong> ·{" "}
                  {v.ticket.status === "open" ? "aberto" : "encerrado"} em{" "}
                  {formatDateTime(v.ticket.closedAt ?? v.ticket.openedAt)} · renovação em{" "}
                  {formatDate(v.ticket.renewalDate!)}; próxima em{" "}
                  {formatDate(v.ticket.nextRenewalDue!)}
                </>
              )
              : "Ainda não aberto"}
          </dd>
        </div>
      </dl>
      {c.invoices && (
        <details class="mt-3 text-sm" open={c.step === "registered"}>
          <summary class="cursor-pointer font-medium">Faturas ({c.invoices.length})</summary>
          {(!!c.carneBlobId || c.invoices.length > 0) && (
            <a href={`/app/cases/${c.id}/faturas.pdf`} class="text-brand-700 underline">
              Baixar carnê (PDF)
            </a>
          )}
          <ul data-testid="invoices">
            {c.invoices.map((i) => (
              <li key={i.seq}>{i.seq}. {formatDate(i.dueDate)} — {formatMoney(i.amountCents)}</li>
            ))}
          </ul>
        </details>
      )}
      {c.declined && (
        <p class="mt-3 text-sm">
          Recusa: “{c.declined.reason}” ({c.declined.by}, {formatDateTime(c.declined.at)})
        </p>
      )}
    </Panel>
  );
}

export function MessagesPanel({ v, csrf, canAct }: P) {
  return (
    <Panel title="Mensagens" id="p-messages">
      {v.messages.length === 0
        ? <p class="text-sm">Nenhuma.</p>
        : (
          <ul class="text-sm divide-y" data-testid="messages">
            {v.messages.map((m) => (
              <li key={m.id} class="py-1">
                <strong>{m.subject}</strong> · {m.channel === "email" ? "E-mail" : "WhatsApp"} para
                {" "}
                {m.toMasked} · {formatDateTime(m.at)} ·{" "}
                {MESSAGE_STATUS_LABELS[m.status] ?? m.status}
                {m.skipReason ? ` (${m.skipReason})` : ""}
                {canAct && (m.status === "unknown" || m.status === "failed") && (
                  <form
                    method="post"
                    action={`/app/cases/${v.case.id}/resend`}
                    class="inline ml-2"
                    data-testid="resend-message"
                  >
                    <CsrfField token={csrf} />
                    <input type="hidden" name="messageId" value={m.id} />
                    <button type="submit" class="text-brand-700 underline">Reenviar</button>
                  </form>
                )}
                {m.status === "unknown" && (
                  <p class="text-gray-700">
                    O envio foi interrompido: a mensagem pode ter chegado. Confira com o cliente
                    antes de reenviar.
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
    </Panel>
  );
}

export function TimelinePanel({ v }: { v: StaffCaseView }) {
  return (
    <Panel title="Histórico" id="p-timeline">
      <ol class="text-sm divide-y" data-testid="timeline">
        {v.timeline.map((e) => (
          <li key={e.id} class="py-1">
            <strong>
              {ACTION_LABELS[e.action as Action] ?? EVENT_LABELS[e.action] ?? e.action}
            </strong>
            {typeof e.data?.to === "string" && e.data.to !== e.data.from && (
              <>→ {STEP_POLICY[e.data.to as Step]?.label}</>
            )}
            <div class="text-gray-700">{e.actor.name} · {formatDateTime(e.at)}</div>
          </li>
        ))}
      </ol>
    </Panel>
  );
}

const EVENT_LABELS: Record<string, string> = {
  "case.opened": "Renovação aberta",
  "case.assigned": "Caso atribuído",
  "case.released": "Caso liberado",
  "link.sent": "Link do cliente enviado",
  "link.requested": "O cliente pediu um novo link",
  "link.opened": "O cliente abriu o link",
  "photo.viewed": "Foto do titular visualizada",
  "contacts.code_sent": "Código enviado para confirmar contato",
  "contacts.code_refused": "Código de confirmação incorreto",
  "customer.replied": "O cliente respondeu",
  "message.retried": "Mensagem reenviada",
  "sign.code_sent": "Código de assinatura enviado",
  "sign.code_refused": "Código de assinatura recusado",
  "sign.code_accepted": "Código de assinatura aceito",
  "contract.viewed": "Contrato visualizado pelo cliente",
  "retention.photo_purged": "Foto apagada (prazo de guarda)",
  "network.speed_applied": "Nova velocidade enviada à rede",
  "payment.method_chosen": "Forma de pagamento escolhida",
  "pix_auto.status": "Pix Automático: situação atualizada",
};

/** How the new speed reached the network (services/network/apply_speed.ts), for the attendant. */
function speedText(n: NonNullable<StaffCaseView["case"]["network"]>): string {
  if (n.outcome === "coa_ack") return `Ativa: o NAS ${n.nas} aceitou a mudança (CoA).`;
  if (n.outcome === "disconnect_ack") {
    return `Sessão reiniciada pelo NAS ${n.nas} (${n.reason}): volta com o novo plano.`;
  }
  return `O cliente foi orientado a reiniciar o roteador: ${n.reason}.`;
}
