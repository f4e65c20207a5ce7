// Renewals left waiting on the customer after their link ran out: once the link has been
// expired for CASE_EXPIRE_DAYS and nobody touched the case for as long, the system ends it as
// "expired". The contract comes back to the due list for a fresh contact, a plan changed
// before signing goes back (transition() does both), and the reminders stop (step guard).
// Cases waiting on staff (photo to review, plan to change) are never expired: the customer
// did their part.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { getManyBatched } from "../db.ts";
import { type RenewalCase, transition } from "../renewals/cases.ts";
import { ConflictError } from "../errors.ts";
import { CUSTOMER_TURN } from "../../domain/policy.ts";

/**
 * A case the job would expire now: its link ran out more than `days` ago and the case has not
 * changed for `days` either (a reply, a call, a claim each give it `days` more).
 */
export function isStale(c: RenewalCase, now: Date, days: number): boolean {
  if (!c.link || !CUSTOMER_TURN.includes(c.step)) return false;
  const cutoff = new Date(now.getTime() - days * 86400_000).toISOString();
  return c.link.expiresAt < cutoff && c.updatedAt < cutoff;
}

/** Expires the stale cases (read through the step index); returns how many. 0 days = off. */
export async function expireStaleCases(db: Db, opts: { caseExpireDays: number }) {
  if (opts.caseExpireDays <= 0) return { expired: 0 };
  const now = db.now();
  let expired = 0;
  for (const step of CUSTOMER_TURN) {
    const ids: string[] = [];
    for await (const e of db.kv.list({ prefix: keys.casesInStep(step) })) {
      ids.push(String(e.key[2]));
    }
    for (let i = 0; i < ids.length; i += 100) {
      const cases = await getManyBatched<RenewalCase>(
        db.kv,
        ids.slice(i, i + 100).map((id) => keys.case(id)),
      );
      for (const e of cases) {
        const c = e.value;
        if (!c || !isStale(c, now, opts.caseExpireDays)) continue;
        try {
          await transition(db, {
            caseId: c.id,
            action: "expire",
            actor: SYSTEM,
            rev: c.rev,
            auditData: { linkExpiredAt: c.link!.expiresAt, days: opts.caseExpireDays },
          });
          expired++;
        } catch (err) {
          // Someone acted on it just now: it is not stale any more.
          if (!(err instanceof ConflictError)) throw err;
        }
      }
    }
  }
  return { expired };
}
