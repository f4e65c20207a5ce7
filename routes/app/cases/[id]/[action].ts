import { h } from "preact";
import { define, STAFF } from "../../../../lib/route.ts";
import { formFields, page } from "../../../../lib/render.tsx";
import { revOf, staffCtx } from "../../../../lib/staff.ts";
import * as a from "../../../../services/renewals/staff_actions.ts";
import { AppError, NotFoundError } from "../../../../services/errors.ts";
import { resendCaseMessage } from "../../../../services/messaging/mod.ts";
import { CasePage, caseTitle } from "../../../../components/case/CasePage.tsx";
import { loadCase } from "./_load.ts";
import type { CaseVerb } from "../../../../domain/policy.ts";

type Fields = Record<string, string>;
type Ctx = ReturnType<typeof staffCtx>;
type Me = { id: string; name: string; role: string };

// One table from the action in the URL to the service verb it calls. The slugs are the step
// policy's verb names (domain/policy.ts), so grepping a button's verb finds its route.
const ACTIONS: Record<
  CaseVerb,
  (ctx: Ctx, id: string, f: Fields, rev: number | undefined, me: Me) => Promise<unknown>
> = {
  contact: (ctx, id, f, rev) => a.recordContact(ctx, id, f as unknown as a.ContactInput, rev),
  choose_plan: (ctx, id, f, rev) => a.recordChoice(ctx, id, f.planId ?? "", rev),
  decline: (ctx, id, f, rev) => a.recordRefusal(ctx, id, f.reason ?? "", rev),
  send_link: (ctx, id, f, rev) =>
    a.sendLink(ctx, id, f.channel === "email" ? "email" : "whatsapp", rev),
  approve_photo: (ctx, id, _f, rev) => a.reviewPhoto(ctx, id, { approve: true }, rev),
  reject_photo: (ctx, id, f, rev) =>
    a.reviewPhoto(ctx, id, { approve: false, reason: f.reason ?? "" }, rev),
  change_plan: (ctx, id, _f, rev) => a.changePlan(ctx, id, rev),
  send_signature: (ctx, id, _f, rev) => a.sendSignature(ctx, id, rev),
  register: (ctx, id, _f, rev) => a.registerSignature(ctx, id, rev),
  notify: (ctx, id, _f, rev) => a.notifyCustomer(ctx, id, rev),
  close: (ctx, id, _f, rev) => a.closeCase(ctx, id, rev),
  cancel: (ctx, id, f, rev) => a.cancelCase(ctx, id, f.reason ?? "", rev),
  // A failed or possibly-sent message: one new attempt, audited (never automatic).
  resend: (ctx, id, f) => resendCaseMessage(ctx.db, id, f.messageId ?? "", ctx.actor),
  claim: (ctx, id, _f, rev, me) => a.claimCase(ctx, id, { id: me.id, name: me.name }, rev),
  release: (ctx, id, _f, rev, me) => a.releaseCase(ctx, id, { id: me.id, name: me.name }, rev),
};

export default define({
  access: STAFF,
  POST: async (c) => {
    const id = c.req.param("id")!;
    const action = c.req.param("action")!;
    const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action as CaseVerb] : undefined;
    if (!run) throw new NotFoundError("Ação desconhecida.");
    const f = await formFields(c);
    try {
      const ctx = staffCtx(c);
      await run(ctx, id, f, revOf(f), c.get("user")!);
      // The click also takes the moves after it that need nobody (policy.ts `auto`).
      await a.advanceCase(ctx, id);
    } catch (e) {
      // Refused actions show the case again with the reason, and change nothing.
      if (e instanceof AppError && e.status !== 404 && e.status !== 403) {
        const data = await loadCase(c, id);
        return page(
          c,
          { title: caseTitle(data), status: e.status },
          h(CasePage, { ...data, error: e.message }),
        );
      }
      throw e;
    }
    return c.redirect(`/app/cases/${id}`, 303);
  },
});
