// Case page, left column: the customer's record, the contact log, the offer.
import type { StaffCaseView } from "../../services/renewals/views.ts";
import { formatCpf, formatDate, formatDateTime } from "../../domain/format.ts";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../../domain/contact.ts";
import { can, STAFF_BUTTONS } from "../../domain/policy.ts";
import { PlanCard } from "../PlanCard.tsx";
import { ActionForm, fieldCls, Panel, Submit } from "./ActionForm.tsx";
import { PhoneLinks } from "../PhoneLinks.tsx";

interface P {
  v: StaffCaseView;
  csrf?: string;
  canAct: boolean;
}

export function RecordPanel({ v }: { v: StaffCaseView }) {
  const cu = v.customer;
  const ct = v.contract;
  return (
    <Panel title="Cadastro do cliente" id="p-record">
      <dl class="grid grid-cols-1 sm:grid-cols-2 gap-2 text-sm">
        <div>
          <dt class="text-gray-700">Nome</dt>
          <dd class="font-medium" data-testid="customer-name">{cu.name}</dd>
        </div>
        <div>
          <dt class="text-gray-700">CPF</dt>
          <dd>{formatCpf(cu.cpf)}</dd>
        </div>
        <div>
          <dt class="text-gray-700">Telefones</dt>
          <dd>
            <PhoneLinks phones={cu.phones} />
          </dd>
        </div>
        <div>
          <dt class="text-gray-700">E-mail</dt>
          <dd class="break-all">{cu.email}</dd>
        </div>
        <div class="sm:col-span-2">
          <dt class="text-gray-700">Endereço</dt>
          <dd>
            {cu.address.street}, {cu.address.number} — {cu.address.district},{" "}
            {cu.address.city}/{cu.address.state}, CEP {cu.address.zip}
          </dd>
        </div>
        <div>
          <dt class="text-gray-700">Plano no cadastro</dt>
          <dd data-testid="contract-plan">{v.contractPlan?.name}</dd>
        </div>
        <div>
          <dt class="text-gray-700">Cliente desde</dt>
          <dd>{formatDate(ct.startDate)}</dd>
        </div>
        <div>
          <dt class="text-gray-700">Fidelidade</dt>
          <dd data-testid="loyalty">{formatDate(ct.loyaltyStart)} a {formatDate(ct.loyaltyEnd)}</dd>
        </div>
        <div>
          <dt class="text-gray-700">Próxima renovação</dt>
          <dd data-testid="next-due">{formatDate(ct.nextRenewalDue)}</dd>
        </div>
      </dl>
    </Panel>
  );
}

export function ContactPanel({ v, csrf, canAct }: P) {
  const c = v.case;
  const open = can(c.step, "contact_answered", "staff");
  return (
    <Panel title="Contatos" id="p-contacts">
      {open && canAct && (
        <ActionForm
          caseId={c.id}
          action="contact"
          rev={c.rev}
          csrf={csrf}
          class="grid gap-2 sm:grid-cols-2 mb-4"
        >
          <label class="text-sm">
            Canal
            <select name="channel" class={fieldCls}>
              {Object.entries(CONTACT_CHANNELS).map(([k, l]) => (
                <option key={k} value={k}>{l}</option>
              ))}
            </select>
          </label>
          <label class="text-sm">
            Resultado
            <select name="outcome" class={fieldCls} data-shortcut="c" aria-keyshortcuts="C">
              {Object.entries(CONTACT_OUTCOMES).map(([k, l]) => (
                <option key={k} value={k}>{l}</option>
              ))}
            </select>
          </label>
          <label class="text-sm">
            Retornar em (se pediu retorno)
            <input type="datetime-local" name="callbackAt" class={fieldCls} />
          </label>
          <label class="text-sm sm:col-span-2">
            Anotação
            <textarea name="note" rows={2} maxLength={1000} class={fieldCls}></textarea>
          </label>
          <div>
            <Submit>{STAFF_BUTTONS.contact}</Submit>
          </div>
        </ActionForm>
      )}
      {c.customerReply && (
        <p
          class="mb-3 rounded bg-amber-50 border border-amber-300 p-2 text-sm"
          data-testid="customer-reply"
        >
          O cliente respondeu em {formatDateTime(c.customerReply.at)}: “{c.customerReply.text}”
        </p>
      )}
      <p class="text-sm text-gray-700 mb-2">Tentativas sem sucesso: {c.failedContacts} de 5.</p>
      {v.contacts.length === 0
        ? <p class="text-sm">Nenhum contato registrado.</p>
        : (
          <ul class="text-sm divide-y" data-testid="contact-log">
            {v.contacts.map((e) => (
              <li key={e.id} class="py-1">
                <strong>{CONTACT_OUTCOMES[e.outcome]}</strong> por {CONTACT_CHANNELS[e.channel]} —
                {" "}
                {e.by}, {formatDateTime(e.at)}
                {e.callbackAt && <>· retornar em {formatDateTime(e.callbackAt)}</>}
                {e.note && <div class="text-gray-700">{e.note}</div>}
              </li>
            ))}
          </ul>
        )}
    </Panel>
  );
}

export function OfferPanel({ v, csrf, canAct }: P) {
  const c = v.case;
  const canChoose = canAct && can(c.step, "choose_plan", "staff");
  const canRefuse = canAct && can(c.step, "decline", "staff");
  return (
    <Panel title="Planos" id="p-offer">
      {c.choice && (
        <p class="mb-2 text-sm" data-testid="choice">
          Escolha: <strong>{v.chosenPlan?.name}</strong> ({c.choice.by === "customer"
            ? "pelo cliente, com aceite da fidelidade"
            : "informada ao atendente"}) em {formatDateTime(c.choice.at)}
        </p>
      )}
      <div class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {v.currentPlan && <PlanCard plan={v.currentPlan} current />}
        {v.plans.filter((p) => p.id !== v.currentPlan?.id).map((p) => (
          <PlanCard key={p.id} plan={p} highlight={p.id === c.choice?.planId}>
            {canChoose && (
              <ActionForm caseId={c.id} action="choose_plan" rev={c.rev} csrf={csrf} class="mt-2">
                <input type="hidden" name="planId" value={p.id} />
                <Submit variant="secondary">{STAFF_BUTTONS.choose_plan}</Submit>
              </ActionForm>
            )}
          </PlanCard>
        ))}
      </div>
      {canRefuse && (
        <ActionForm
          caseId={c.id}
          action="decline"
          rev={c.rev}
          csrf={csrf}
          class="mt-4 flex flex-wrap gap-2 items-end"
        >
          <label class="text-sm flex-1">
            Motivo da recusa
            <input name="reason" maxLength={500} class={fieldCls} />
          </label>
          <Submit variant="danger">{STAFF_BUTTONS.decline}</Submit>
        </ActionForm>
      )}
    </Panel>
  );
}
