// What a customer can still do on a link that no longer opens a renewal step:
// - an ended renewal's link (closed, declined: domain/policy.ts LINK_KEPT_AFTER_END) is
//   read-only: every form posted on it is refused with a clear message and changes nothing;
// - an expired link's page offers "Pedir novo link": throttled per link and per client
//   address, it reaches the case's attendant (an audit event on the case, and a marker the
//   case page and the list show). A made-up or replaced token gets the same answer as any
//   link that reaches nobody, so the request says no more than the page already did.
import { customerActor } from "../../domain/actor.ts";
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { AppError, ConflictError } from "../errors.ts";
import { type Limit, take } from "../rate_limit.ts";
import { isTerminal } from "../../domain/steps.ts";
import { getCase, getCaseEntry, type RenewalCase, updateCase } from "./cases.ts";
import { linkExpired, linkHashOf, type LinkRecord } from "./links.ts";
import { sealCase } from "./case_seal.ts";

/** A form posted on an ended renewal's link: refused, nothing changed. */
export class ReadOnlyLinkError extends AppError {
  override status = 409;
}

const READ_ONLY: Record<string, string> = {
  closed:
    "Sua renovação já foi concluída: esta página agora é só para consulta e nada foi alterado. Para mudar algo, fale com a operadora.",
  declined:
    "Você já recusou esta renovação: esta página agora é só para consulta e nada foi alterado. Se mudou de ideia, fale com a operadora.",
};
const READ_ONLY_OTHER =
  "Esta renovação foi encerrada: esta página agora é só para consulta e nada foi alterado. Fale com a operadora.";

/** Refuses any change through the customer's link once the renewal has ended. */
export async function assertLinkWritable(db: Db, caseId: string): Promise<void> {
  const c = await getCase(db, caseId);
  if (c && isTerminal(c.step)) throw new ReadOnlyLinkError(READ_ONLY[c.step] ?? READ_ONLY_OTHER);
}

/** Requests per link (a customer tapping again) and per client address (one client probing). */
export const NEW_LINK_PER_LINK: Limit = { max: 3, windowMs: 24 * 3600_000 };
export const NEW_LINK_PER_CLIENT: Limit = { max: 10, windowMs: 3600_000 };

const THROTTLED = (s: number) =>
  `Você já pediu um novo link há pouco. A operadora já foi avisada; aguarde ${
    Math.ceil(s / 60)
  } minuto(s) para pedir de novo, ou ligue para ela.`;

/**
 * "Pedir novo link" from the invalid-link page. Returns "sent" when the token is an expired
 * link of a renewal (the page already said "expirou") and its attendant was told; "unknown"
 * otherwise (made up, replaced, still valid). RateLimitError past the limits.
 */
export async function requestNewLink(
  db: Db,
  token: string,
  ip: string,
): Promise<"sent" | "unknown"> {
  const hash = await linkHashOf(token).catch(() => null);
  // A malformed token has no link to count against: the client's counter alone.
  await take(db, [
    { scope: "new_link_client", subject: ip, limit: NEW_LINK_PER_CLIENT },
    ...(hash ? [{ scope: "new_link_link", subject: hash, limit: NEW_LINK_PER_LINK }] : []),
  ], THROTTLED);
  if (!hash) return "unknown";
  const rec = (await db.kv.get<LinkRecord>(keys.link(hash))).value;
  if (!rec || !linkExpired(db, rec.expiresAt)) return "unknown";
  const c = await getCase(db, rec.caseId);
  if (!c) return "unknown";
  const actor = customerActor(c.id);
  const now = db.now().toISOString();
  if (!isTerminal(c.step)) {
    await updateCase(db, {
      caseId: c.id,
      actor,
      action: "link.requested",
      auditData: { ended: false },
      apply: (next) => {
        next.linkRequestedAt = now;
      },
    });
    return "sent";
  }
  // An ended case (expired by the stale-case job): marked on the case all the same, so its
  // page tells the attendant; no step moves.
  for (let attempt = 0; attempt < 5; attempt++) {
    const entry = await getCaseEntry(db, c.id);
    const next: RenewalCase = { ...entry.value, linkRequestedAt: now };
    const op = db.kv.atomic().check(entry).set(keys.case(c.id), await sealCase(db, next));
    addAudit(db, op, `case:${c.id}`, "link.requested", actor, { ended: true });
    if ((await op.commit()).ok) return "sent";
  }
  throw new ConflictError();
}

/** The customer asked for a new link after the last one was issued: the attendant should act. */
export function askedForNewLink(c: Pick<RenewalCase, "linkRequestedAt" | "link">): boolean {
  return !!c.linkRequestedAt && (!c.link || c.linkRequestedAt > c.link.issuedAt);
}
