import { h } from "preact";
import { define } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { CustomerPage } from "../../../components/customer/CustomerPage.tsx";
import { customerCtx, renewalEnv, revOf } from "../../../lib/staff.ts";
import { advanceCase, systemCtx } from "../../../services/renewals/advance.ts";
import { sendSigningCode, signContract } from "../../../services/renewals/signing.ts";
import { CUSTOMER_PAGE, loadCustomer, newLinkRequest, withTokenCase } from "./_page.tsx";
import { assertLinkWritable } from "../../../services/renewals/link_requests.ts";
import * as a from "../../../services/renewals/customer_actions.ts";
import {
  AppError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from "../../../services/errors.ts";
import { type FormBody as Body, readForm } from "../../../lib/form.ts";
import { DRAWING_FIELD_MAX } from "../../../services/renewals/signing.ts";
import { choosePaymentMethod } from "../../../services/pix_auto/payment.ts";
import { requestInBankApp } from "../../../services/pix_auto/journey1.ts";
import type { PixAutoSettings } from "../../../services/pix_auto/settings.ts";
const str = (v: unknown) => (typeof v === "string" ? v : "");
const all = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");

// One table from the action in the URL to the customer's service verb.
const ACTIONS: Record<
  string,
  (
    ctx: a.CustomerCtx,
    id: string,
    b: Body,
    rev: number | undefined,
    req: { ip: string; ua: string; pixAuto?: PixAutoSettings },
  ) => Promise<unknown>
> = {
  choose_plan: (ctx, id, b, rev) => a.choosePlan(ctx, id, str(b.planId), b.consent === "on", rev),
  decline: (ctx, id, b, rev) =>
    a.declineOffer(ctx, id, { code: str(b.reasonCode), text: str(b.reason) }, rev),
  // Two inputs share the name (camera, gallery): the one the customer used is the photo.
  upload_photo: (ctx, id, b, rev) =>
    a.uploadPhoto(
      ctx,
      id,
      (Array.isArray(b.photo) ? b.photo : [b.photo]).find((f): f is File =>
        f instanceof File && f.size > 0
      ),
      rev,
    ),
  submit_contacts: (ctx, id, b, rev) => a.submitContacts(ctx, id, all(b.phone), str(b.email), rev),
  confirm_data: (ctx, id, b, rev) =>
    a.verifyContactCodes(
      ctx,
      id,
      Object.fromEntries(
        Object.entries(b).filter(([k]) => k.startsWith("code_")).map(([k, v]) => [k, str(v)]),
      ),
      rev,
    ),
  send_code: (ctx, id, b) =>
    sendSigningCode(ctx, id, str(b.channel) === "email" ? "email" : "whatsapp"),
  sign: (ctx, id, b, rev, req) =>
    signContract(ctx, id, {
      code: str(b.code),
      typedName: str(b.typedName),
      consent: b.consent === "on",
      documentSha256: str(b.documentSha256),
      drawnSignature: str(b.drawnSignature) || undefined,
      ip: req.ip,
      userAgent: req.ua,
    }, rev),
  payment_method: (ctx, id, b, _rev, req) =>
    choosePaymentMethod(ctx.db, ctx.actor, id, str(b.method), {
      provider: ctx.provider,
      settings: req.pixAuto,
    }),
  payment_bank_request: (ctx, id, b, _rev, req) =>
    requestInBankApp(ctx.db, ctx.actor, id, {
      bank: str(b.bank),
      agencia: str(b.agencia),
      conta: str(b.conta),
      tipoConta: str(b.tipoConta),
    }, { provider: ctx.provider, settings: req.pixAuto }),
};

/**
 * The slugs before they were named after the domain verbs: a page opened before a deploy
 * still posts to them, so they keep working for a while.
 */
const FORMER_SLUGS: Record<string, string> = {
  choose: "choose_plan",
  photo: "upload_photo",
  contacts: "submit_contacts",
  verify: "confirm_data",
  code: "send_code",
};

export default define({
  access: "public",
  POST: async (c) => {
    // "Pedir novo link" is posted from the invalid-link page: the token opens nothing there.
    if (c.req.param("action") === "new_link") return await newLinkRequest(c);
    return await withTokenCase(c, async (caseId) => {
      const slug = c.req.param("action")!;
      const action = Object.hasOwn(ACTIONS, slug)
        ? slug
        : Object.hasOwn(FORMER_SLUGS, slug)
        ? FORMER_SLUGS[slug]
        : undefined;
      const run = action ? ACTIONS[action] : undefined;
      if (!run) throw new NotFoundError();
      let body: Body = {};
      try {
        // Bounded before anything runs on it; a refusal is shown on the page like any other.
        body = await readForm(c, {
          all: true,
          long: (name) => name === "drawnSignature" ? DRAWING_FIELD_MAX : undefined,
        });
        // An ended renewal's link is read-only: refused before any verb runs.
        await assertLinkWritable(c.get("db"), caseId);
        await run(customerCtx(c, caseId), caseId, body, revOf({ rev: str(body.rev) }), {
          ip: c.get("ip"),
          ua: c.req.header("user-agent") ?? "",
          pixAuto: c.get("config").pixAuto,
        });
        // Staff moves that need nobody are taken now (policy.ts `auto`), as Renova itself.
        await advanceCase(systemCtx(renewalEnv(c)), caseId);
      } catch (e) {
        if (!(e instanceof AppError) || e.status === 404) throw e;
        // Refused: show the same page with the reason; nothing was changed.
        if (e instanceof RateLimitError) c.header("Retry-After", String(e.retryAfterSeconds));
        const values: Record<string, string> = { email: str(body.email) };
        all(body.phone).forEach((p, i) => (values[`phone_${i}`] = p));
        if (action === "decline") {
          values.reasonCode = str(body.reasonCode).slice(0, 20);
          values.reason = str(body.reason).slice(0, 500);
        }
        const data = await loadCustomer(c, caseId);
        // Journey 1's form shows its own errors next to its fields, with what was typed.
        if (action === "payment_bank_request" && e instanceof ValidationError) {
          return page(
            c,
            { ...CUSTOMER_PAGE, status: e.status },
            h(CustomerPage, {
              ...data,
              payErrors: e.fields,
              payValues: {
                bank: str(body.bank).slice(0, 8),
                agencia: str(body.agencia).slice(0, 4),
                conta: str(body.conta).slice(0, 24),
                tipoConta: str(body.tipoConta).slice(0, 12),
              },
            }),
          );
        }
        return page(
          c,
          { ...CUSTOMER_PAGE, status: e.status },
          h(CustomerPage, {
            ...data,
            error: e.message,
            errors: e instanceof ValidationError ? e.fields : undefined,
            values: action === "submit_contacts" || action === "decline"
              ? values
              : action === "sign" || action === "send_code"
              // What the customer typed survives a refusal; the code never comes back.
              ? { typedName: str(body.typedName).slice(0, 200), consent: str(body.consent) }
              : undefined,
            // A refused refusal shows its confirmation again, with what was typed.
            declineAsk: action === "decline",
            planParam: action === "choose_plan"
              ? str(body.planId).slice(0, 40)
              : c.req.query("plan")?.slice(0, 40),
          }),
        );
      }
      return c.redirect(`/r/${c.req.param("token")}`, 303);
    });
  },
});
