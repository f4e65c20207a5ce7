// Renders the customer's tokenized page, or the invalid-link page when the token does not open
// a case (made up, expired, revoked).
import type { Ctx } from "./route.ts";
import { page } from "./render.tsx";
import { LinkError, resolveLink } from "../services/renewals/links.ts";
import { customerCaseView } from "../services/renewals/views.ts";
import { CustomerPage } from "../components/customer/CustomerPage.tsx";

export function invalidLinkPage(c: Ctx, message: string) {
  const t = c.get("t");
  return page(
    c,
    { title: t("link.invalid.title"), status: 404, nav: false },
    <section class="max-w-md mx-auto mt-10 bg-white rounded shadow p-6">
      <h1 class="text-xl font-bold mb-2">{t("link.invalid.title")}</h1>
      <p>{message}</p>
    </section>,
  );
}

/** The case id for this request's token; LinkError when none. */
export async function caseOfToken(c: Ctx): Promise<string> {
  return await resolveLink(c.get("db"), c.req.param("token") ?? "");
}

export async function renderCustomerPage(
  c: Ctx,
  caseId: string,
  opts: {
    error?: string;
    errors?: Record<string, string>;
    values?: Record<string, string>;
    status?: number;
    planParam?: string;
  } = {},
) {
  const v = await customerCaseView(c.get("db"), caseId, c.get("config").provider);
  return page(
    c,
    { title: "Renovação do seu plano", status: opts.status, nav: false },
    <CustomerPage
      v={v}
      base={`/r/${c.req.param("token")}`}
      planParam={opts.planParam ?? c.req.query("plan")?.slice(0, 40)}
      error={opts.error}
      errors={opts.errors}
      values={opts.values}
      retentionDays={c.get("config").photoRetentionDays}
    />,
  );
}

export { LinkError };

/** Runs `fn` with the case the request's token opens; an invalid token gets the clear page. */
export async function withTokenCase(
  c: Ctx,
  fn: (caseId: string) => Promise<Response>,
): Promise<Response> {
  let caseId: string;
  try {
    caseId = await caseOfToken(c);
  } catch (e) {
    if (e instanceof LinkError) return invalidLinkPage(c, e.message);
    throw e;
  }
  return await fn(caseId);
}
