// The staff case page: one renewal case with its panels and the actions the step allows.
// A view only: the data comes from loadCase() (routes/app/cases/[id]/_load.ts), so the page and
// the action route that re-shows it with a refusal render the same component (Fresh's shape).
import type { StaffCaseView } from "../../services/renewals/views.ts";
import type { ActorKind } from "../../domain/steps.ts";
import { ErrorBox } from "../Form.tsx";
import { StepBadge } from "../Badge.tsx";
import { ContactPanel, OfferPanel, RecordPanel } from "./RecordPanels.tsx";
import {
  MessagesPanel,
  NextPanel,
  OutcomePanel,
  PhotoPanel,
  TimelinePanel,
} from "./ProgressPanels.tsx";
import { ActionForm, fieldCls, Submit } from "./ActionForm.tsx";
import { isTerminal } from "../../domain/steps.ts";
import { can, STAFF_BUTTONS } from "../../domain/policy.ts";
import LiveUpdates from "../../islands/LiveUpdates.tsx";
import CaseShortcuts from "../../islands/CaseShortcuts.tsx";
import { ShortcutHelp } from "./ShortcutHelp.tsx";
import { PaymentPanel } from "./PaymentPanel.tsx";
import { ErpInvoicesPanel } from "./ErpInvoicesPanel.tsx";
import type { ErpInvoicesStatus } from "../../services/erp/invoices.ts";
import type { PaymentView } from "../../services/pix_auto/payment.ts";

/** What the case page shows: the loader's result. */
export type CaseData = {
  v: StaffCaseView;
  user: { id: string; role: string };
  kind: ActorKind;
  csrf?: string;
  /** Payment method and Pix Automático status (services/pix_auto/payment.ts). */
  pay?: PaymentView;
  /** ERP_INVOICES=erp: where the ERP's invoices stand (services/erp/invoices.ts). */
  erp?: ErpInvoicesStatus;
};

export function caseTitle(data: CaseData): string {
  return `Renovação · ${data.v.customer.name}`;
}

/** The case page; `error` is the reason an action was refused (nothing was changed). */
export function CasePage(
  { v, user, kind, csrf, error, pay, erp }: CaseData & { error?: string },
) {
  const k = v.case;
  const isManager = user.role !== "attendant";
  const mine = k.assigneeId === user.id;
  const canAct = (mine || isManager) && !isTerminal(k.step);
  const reviewing = k.photo?.status === "pending" && !k.photo.purgedAt;
  return (
    <div>
      <div class="flex flex-wrap items-start gap-3">
        <a href="/app" class="text-brand-700 underline text-sm" data-shortcut="v">← Renovações</a>
        <ShortcutHelp />
      </div>
      <div class="flex flex-wrap items-center gap-3 mt-2 mb-4">
        <h1 class="text-2xl font-bold">{v.customer.name}</h1>
        <span data-testid="case-step">
          <StepBadge step={k.step} />
        </span>
        <span class="text-sm text-gray-700">Responsável: {k.assigneeName ?? "ninguém"}</span>
        {!k.assigneeId && !isTerminal(k.step) && (
          <ActionForm caseId={k.id} action="claim" rev={k.rev} csrf={csrf}>
            <Submit shortcut="a">Assumir</Submit>
          </ActionForm>
        )}
        {mine && !isTerminal(k.step) && (
          <ActionForm caseId={k.id} action="release" rev={k.rev} csrf={csrf}>
            <Submit variant="secondary">Liberar</Submit>
          </ActionForm>
        )}
      </div>
      <ErrorBox message={error} />
      {!canAct && !isTerminal(k.step) && (
        <p class="mb-4 rounded bg-amber-50 border border-amber-300 p-3 text-sm">
          Este caso está com {k.assigneeName ?? "ninguém"}. Assuma-o para agir.
        </p>
      )}
      {reviewing && (
        // A photo to review gets the page's full width: the ID text must be readable.
        <div class="mb-4">
          <PhotoPanel v={v} csrf={csrf} canAct={canAct} />
        </div>
      )}
      <div class="grid gap-4 lg:grid-cols-2">
        <div class="grid gap-4 content-start">
          <NextPanel v={v} csrf={csrf} canAct={canAct} />
          {!reviewing && <PhotoPanel v={v} csrf={csrf} canAct={canAct} />}
          <OutcomePanel v={v} />
          <RecordPanel v={v} />
          <ContactPanel v={v} csrf={csrf} canAct={canAct} />
        </div>
        <div class="grid gap-4 content-start">
          <OfferPanel v={v} csrf={csrf} canAct={canAct} />
          <PaymentPanel pay={pay} invoices={v.case.invoices} />
          <ErpInvoicesPanel erp={erp} caseId={k.id} />
          <MessagesPanel v={v} csrf={csrf} canAct={canAct} />
          <TimelinePanel v={v} />
          {can(k.step, "cancel", kind) && (
            <ActionForm
              caseId={k.id}
              action="cancel"
              rev={k.rev}
              csrf={csrf}
              class="bg-white rounded shadow p-4 flex flex-wrap gap-2 items-end"
            >
              <label class="text-sm flex-1">
                Motivo do cancelamento
                <input name="reason" maxLength={500} class={fieldCls} />
              </label>
              <Submit variant="danger">{STAFF_BUTTONS.cancel}</Submit>
            </ActionForm>
          )}
        </div>
      </div>
      <CaseShortcuts page="case" />
      {!isTerminal(k.step) && (
        <LiveUpdates
          url={`/app/cases/${k.id}/events`}
          rev={k.rev}
          message="O caso foi atualizado (o cliente pode ter agido)."
        />
      )}
    </div>
  );
}
