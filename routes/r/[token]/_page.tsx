// The customer's tokenized page: its loader, the cached GET, and the invalid-link and throttled
// pages when the token opens no case (made up, expired, revoked). Not a route (leading `_`).
import type { Ctx } from "../../../lib/route.ts";
import { page, pageDocument } from "../../../lib/render.tsx";
import { htmlAnswer } from "../../../lib/compress.ts";
import {
  LinkError,
  linkExpired,
  linkHashOf,
  type OpenLink,
  openLink,
} from "../../../services/renewals/links.ts";
import { requestNewLink } from "../../../services/renewals/link_requests.ts";
import { LinkProblem } from "../../../components/customer/LinkProblem.tsx";
import { todayInBrazil } from "../../../services/dates.ts";
import { openLinkGuarded } from "../../../services/renewals/link_guard.ts";
import { RateLimitError } from "../../../services/errors.ts";
import { customerCaseView } from "../../../services/renewals/views.ts";
import { currentStamps, sameStamps } from "../../../services/stamps.ts";
import { CustomerPage } from "../../../components/customer/CustomerPage.tsx";
import { paymentKeys, paymentViewOf } from "../../../services/pix_auto/payment.ts";

export function invalidLinkPage(c: Ctx, message: string, notice?: string) {
  const token = encodeURIComponent(c.req.param("token") ?? "");
  return page(
    c,
    { title: "Link inválido ou expirado", status: notice ? 200 : 404, nav: false },
    <LinkProblem
      provider={c.get("config").provider}
      message={message}
      notice={notice}
      action={notice ? undefined : `/r/${token}/new_link`}
    />,
  );
}

/**
 * POST "Pedir novo link" from the invalid-link page: throttled; the answer repeats the page's
 * message (looked up again, so nothing new is said about the token) with what happens next.
 */
export async function newLinkRequest(c: Ctx): Promise<Response> {
  const db = c.get("db");
  const token = c.req.param("token") ?? "";
  try {
    const outcome = await requestNewLink(db, token, c.get("ip"));
    const message = await openLink(db, token).then(
      () => "Este link ainda é válido. Abra-o de novo para continuar.",
      (e) => e instanceof LinkError ? e.message : Promise.reject(e),
    );
    const who = c.get("config").provider.name;
    return invalidLinkPage(
      c,
      message,
      outcome === "sent"
        ? `Pedido enviado: a equipe da ${who} vai enviar um novo link para você.`
        : `Pedido registrado. Se este link for de uma renovação da ${who}, a equipe vai enviar um novo; se preferir, fale com ela pelos contatos abaixo.`,
    );
  } catch (e) {
    if (e instanceof RateLimitError) return throttledPage(c, e);
    throw e;
  }
}

/** 429 on a customer route: the customer page's frame (no staff navigation), Retry-After. */
export function throttledPage(c: Ctx, e: RateLimitError) {
  c.header("Retry-After", String(e.retryAfterSeconds));
  return page(
    c,
    { title: "Muitas tentativas", status: 429, nav: false },
    <section class="max-w-md mx-auto mt-10 bg-white rounded shadow p-6">
      <h1 class="text-xl font-bold mb-2">Muitas tentativas</h1>
      <p>{e.message}</p>
    </section>,
  );
}

/** The link this request's token opens; LinkError when none, RateLimitError when this client
 * (or the app) opened too many tokens that open nothing. */
export async function linkOfToken(c: Ctx): Promise<OpenLink> {
  return await openLinkGuarded(c.get("db"), c.req.param("token") ?? "", c.get("ip"));
}

/** The customer page's frame: no staff navigation. */
export const CUSTOMER_PAGE = { title: "Renovação do seu plano", nav: false };

/** The customer page's loader (Fresh's handler half): what components/customer/CustomerPage.tsx
 * shows for the case; the GET below and the action route (a refusal) render it with this. */
export async function loadCustomer(c: Ctx, caseId: string) {
  // The payment method (Pix Automático) has its own keys, read with the case's: the cached
  // page depends on them too.
  const v = await customerCaseView(
    c.get("db"),
    caseId,
    c.get("config").provider,
    paymentKeys(caseId),
  );
  const pay = await paymentViewOf(
    c.get("db"),
    v.case,
    v.also,
    c.get("config").provider,
    c.get("config").pixAuto,
  );
  v.deps.keys.push(...pay.deps.keys);
  v.deps.stamps.push(...pay.deps.stamps);
  return {
    v,
    pay,
    base: `/r/${c.req.param("token")}`,
    retentionDays: c.get("config").photoRetentionDays,
  };
}

/**
 * GET of the customer's page: from the page cache (lib/page_cache.ts) while the link, case,
 * customer and plans are unchanged since it was rendered, else rendered and cached.
 * Returns the case and step it shows, or no case when the link does not open one.
 */
export async function customerPageResponse(
  c: Ctx,
): Promise<{ res: Response; caseId?: string; step?: string }> {
  const db = c.get("db");
  const cache = c.get("pageCache");
  const token = c.req.param("token") ?? "";
  const planParam = c.req.query("plan")?.slice(0, 40);
  const declineAsk = c.req.query("recusar") === "1";
  try {
    // A malformed token is never cached; openLinkGuarded below counts it as a miss.
    const hash = await linkHashOf(token).catch(() => undefined);
    // The day is part of the key: the final page shows the next invoice to pay.
    const cacheKey = `${hash} ${planParam ?? ""} ${declineAsk ? "recusar" : ""} ${
      todayInBrazil(db.now())
    }`;
    const hit = hash ? cache?.get(cacheKey) : undefined;
    if (hit && !linkExpired(db, hit.page.expiresAt)) {
      const { page } = hit;
      let fresh = hit.checked;
      if (!fresh) {
        const at = Date.now();
        fresh = sameStamps(await currentStamps(db, page.keys), page.stamps);
        if (fresh) cache!.checked(cacheKey, page, at);
      }
      if (fresh) {
        c.set("styleHash", page.styleHash);
        // Compressed once per cached page, not on every hit.
        return { res: htmlAnswer(c, page), caseId: page.caseId, step: page.step };
      }
    }
    if (hit) cache!.delete(cacheKey);
    const ticket = cache?.begin();
    const link = await openLinkGuarded(db, token, c.get("ip"), hash);
    const data = await loadCustomer(c, link.caseId);
    const { v } = data;
    const html = pageDocument(
      c,
      CUSTOMER_PAGE,
      <CustomerPage {...data} planParam={planParam} declineAsk={declineAsk} />,
    );
    // Gzipped once (when this client takes gzip): the cached page keeps the same bytes.
    const doc: { html: string; gzip?: Uint8Array } = { html };
    const res = htmlAnswer(c, doc);
    // Only a real plan makes a page of its own: made-up ?plan= values must not fill the cache.
    const cacheable = !!hash && (!planParam || v.plans.some((p) => p.id === planParam));
    if (cacheable) {
      cache?.set(cacheKey, {
        html,
        gzip: doc.gzip,
        styleHash: c.get("styleHash"),
        caseId: link.caseId,
        step: v.case.step,
        expiresAt: link.expiresAt,
        keys: [link.key, ...v.deps.keys],
        stamps: [link.stamp, ...v.deps.stamps],
      }, ticket!);
    }
    return { res, caseId: link.caseId, step: v.case.step };
  } catch (e) {
    if (e instanceof LinkError) return { res: invalidLinkPage(c, e.message) };
    if (e instanceof RateLimitError) return { res: throttledPage(c, e) };
    throw e;
  }
}

/** Runs `fn` with the case the request's token opens; an invalid token gets the clear page. */
export async function withTokenCase(
  c: Ctx,
  fn: (caseId: string, link: OpenLink) => Promise<Response>,
): Promise<Response> {
  let link: OpenLink;
  try {
    link = await linkOfToken(c);
  } catch (e) {
    if (e instanceof LinkError) return invalidLinkPage(c, e.message);
    if (e instanceof RateLimitError) return throttledPage(c, e);
    throw e;
  }
  return await fn(link.caseId, link);
}
