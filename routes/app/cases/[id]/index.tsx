import { type Ctx, define, STAFF } from "../../../../lib/route.ts";
import { page } from "../../../../lib/render.tsx";
import { staffCaseView } from "../../../../services/renewals/views.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { ErrorBox } from "../../../../components/Form.tsx";
import { StepBadge } from "../../../../components/Badge.tsx";
import {
  ContactPanel,
  OfferPanel,
  RecordPanel,
} from "../../../../components/case/RecordPanels.tsx";
import {
  MessagesPanel,
  NextPanel,
  OutcomePanel,
  PhotoPanel,
  TimelinePanel,
} from "../../../../components/case/ProgressPanels.tsx";
import { ActionForm, fieldCls, Submit } from "../../../../components/case/ActionForm.tsx";
import { isTerminal } from "../../../../domain/steps.ts";
import { can, STAFF_BUTTONS } from "../../../../domain/policy.ts";
import LiveUpdates from "../../../../islands/LiveUpdates.tsx";

/** The case page; also re-rendered with an error when an action is refused. */
export async function casePage(
  c: Ctx,
  caseId: string,
  opts: { error?: string; status?: number } = {},
) {
  const ctx = staffCtx(c);
  const v = await staffCaseView(ctx, caseId);
  const user = c.get("user")!;
  const csrf = c.get("session")?.csrf;
  const k = v.case;
  const isManager = user.role !== "attendant";
  const mine = k.assigneeId === user.id;
  const canAct = (mine || isManager) && !isTerminal(k.step);
  return page(
    c,
    { title: `Renovação · ${v.customer.name}`, status: opts.status },
    <div>
      <a href="/app" class="text-brand-700 underline text-sm">← Renovações</a>
      <div class="flex flex-wrap items-center gap-3 mt-2 mb-4">
        <h1 class="text-2xl font-bold">{v.customer.name}</h1>
        <span data-testid="case-step">
          <StepBadge step={k.step} />
        </span>
        <span class="text-sm text-gray-700">Responsável: {k.assigneeName ?? "ninguém"}</span>
        {!k.assigneeId && !isTerminal(k.step) && (
          <ActionForm caseId={k.id} action="claim" rev={k.rev} csrf={csrf}>
            <Submit>Assumir</Submit>
          </ActionForm>
        )}
        {mine && !isTerminal(k.step) && (
          <ActionForm caseId={k.id} action="release" rev={k.rev} csrf={csrf}>
            <Submit variant="secondary">Liberar</Submit>
          </ActionForm>
        )}
      </div>
      <ErrorBox message={opts.error} />
      {!canAct && !isTerminal(k.step) && (
        <p class="mb-4 rounded bg-amber-50 border border-amber-300 p-3 text-sm">
          Este caso está com {k.assigneeName ?? "ninguém"}. Assuma-o para agir.
        </p>
      )}
      <div class="grid gap-4 lg:grid-cols-2">
        <div class="grid gap-4 content-start">
          <NextPanel v={v} csrf={csrf} canAct={canAct} />
          <PhotoPanel v={v} csrf={csrf} canAct={canAct} />
          <OutcomePanel v={v} />
          <RecordPanel v={v} />
          <ContactPanel v={v} csrf={csrf} canAct={canAct} />
        </div>
        <div class="grid gap-4 content-start">
          <OfferPanel v={v} csrf={csrf} canAct={canAct} />
          <MessagesPanel v={v} csrf={csrf} canAct={canAct} />
          <TimelinePanel v={v} />
          {can(k.step, "cancel", ctx.kind) && (
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
      {!isTerminal(k.step) && (
        <LiveUpdates
          url={`/app/cases/${k.id}/events`}
          rev={k.rev}
          message="O caso foi atualizado (o cliente pode ter agido)."
        />
      )}
    </div>,
  );
}

export default define({
  access: STAFF,
  GET: (c) => casePage(c, c.req.param("id")!),
});
