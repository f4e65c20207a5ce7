// Reminders after the personal link is sent: delayed campaign messages (defaults: 24 h and
// 72 h after the link without a reply, and 2 days before the link expires). Each carries the
// case step, the link generation and the time it was staged, so when it comes due it does
// nothing if the case moved on, a newer link went out, the customer replied or opted out.
import type { Db } from "../db.ts";
import { type Customer, getCustomer } from "../customers.ts";
import { currentLinkToken } from "../renewals/links.ts";
import type { RenewalCase } from "../renewals/cases.ts";
import { todayInBrazil } from "../dates.ts";
import { formatDate } from "../../domain/format.ts";
import { type Message, stageTemplate } from "./messages.ts";
import { runtimeOf } from "./runtime.ts";
import type { TemplateName, TemplateSet } from "./templates.ts";

/** The same reminders' templates, for a run that reads them once (loadTemplates). */
export const REMINDER_TEMPLATES: TemplateName[] = ["reminder_1", "reminder_2", "link_expiring"];

/**
 * Stages the reminders for the case's current link in `op` (call it after the new link is
 * staged, in the same apply). Times already past or after the link's expiry are left out.
 */
export async function stageReminders(
  db: Db,
  op: Deno.AtomicOperation,
  c: RenewalCase,
  /** What the caller has at hand already (the campaign planner, the link it just staged). */
  known: {
    customer?: Customer;
    /** The raw token of the case's current link, as stageNewLink returned it. */
    token?: string;
    templates?: TemplateSet;
  } = {},
): Promise<Message[]> {
  if (!c.link) return [];
  const customer = known.customer?.id === c.customerId
    ? known.customer
    : await getCustomer(db, c.customerId);
  if (!customer) return [];
  const { settings } = runtimeOf(db);
  const now = db.now().getTime();
  const issued = Date.parse(c.link.issuedAt);
  const expires = Date.parse(c.link.expiresAt);
  const plan: { template: TemplateName; at: number }[] = settings.reminders.afterHours
    .slice(0, 2)
    .map((h, i) => ({
      template: i === 0 ? "reminder_1" : "reminder_2",
      at: issued + h * 3600_000,
    }));
  if (settings.reminders.beforeExpiryDays > 0) {
    plan.push({
      template: "link_expiring",
      at: expires - settings.reminders.beforeExpiryDays * 86400_000,
    });
  }
  const phone = customer.phones[0];
  const vars = {
    nome: customer.name.split(" ")[0],
    operadora: settings.providerName,
    link: `${settings.baseUrl}/r/${known.token ?? await currentLinkToken(db, c)}`,
    validade: formatDate(todayInBrazil(new Date(expires))),
  };
  const out: Message[] = [];
  for (const p of plan.filter((p) => p.at > now && p.at < expires)) {
    out.push(
      await stageTemplate(db, op, {
        caseId: c.id,
        channel: phone ? "whatsapp" : "email",
        template: p.template,
        to: phone ?? customer.email,
        step: c.step,
        kind: "campaign",
        dedupeKey: `${c.id}:${c.step}:${p.template}:link${c.link.gen}`,
        delayMs: p.at - now,
        vars,
        sealVars: true,
        templates: known.templates,
      }, { linkGen: c.link.gen, unlessRepliedAfter: new Date(now).toISOString() }),
    );
  }
  return out;
}
