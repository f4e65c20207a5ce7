// Need to know: who on the staff may read which renewal case, in one place, and the audit of
// every staff read of personal data. The rule: attendants read the cases that are unassigned or
// assigned to themselves (the holder photo only on their own); supervisors and admins read all.
// Every staff read path (case page, case JSON, live updates, contract and carnê PDFs, photo)
// goes through `caseForReader()` or `assertCanReadCase()`.
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { type Actor, actorKind, type StaffActor } from "../../domain/actor.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { getCase, type RenewalCase } from "./cases.ts";

/** Who reads: a staff user (attendants by the rule below; supervisors and admins all). */
export interface Reader {
  db: Db;
  actor: StaffActor;
}

/**
 * What is read. Reads of the same data share a kind (the page and the offline JSON show the
 * same record), so a visit is one event; `live` carries no personal data and is not audited.
 */
export type ReadPurpose = "page" | "json" | "live" | "contract_pdf" | "carne_pdf" | "photo";

const AUDIT_KIND: Record<ReadPurpose, string | null> = {
  page: "case",
  json: "case",
  live: null,
  contract_pdf: "contract_pdf",
  carne_pdf: "carne_pdf",
  photo: null, // audited by viewHolderPhoto itself: one history line per person per visit
};

/**
 * One read event per person, case and kind within this window (a "visit"): automatic reloads
 * and live updates add none. Also the holder photo's "Foto do titular visualizada" line.
 */
export const READ_AUDIT_WINDOW_MS = 30 * 60_000;

/** The rule. */
export function canReadCase(
  r: Pick<Reader, "actor">,
  c: Pick<RenewalCase, "assigneeId">,
  purpose: ReadPurpose,
): boolean {
  if (actorKind(r.actor) === "supervisor") return true;
  const me = r.actor.userId;
  // The ID photo is the most sensitive: only the attendant who works the case sees it.
  if (purpose === "photo") return c.assigneeId === me;
  return !c.assigneeId || c.assigneeId === me;
}

export function assertCanReadCase(
  r: Pick<Reader, "actor">,
  c: Pick<RenewalCase, "assigneeId">,
  purpose: ReadPurpose,
): void {
  if (canReadCase(r, c, purpose)) return;
  throw new ForbiddenError(
    purpose === "photo"
      ? "Só quem atende o caso pode ver a foto do titular."
      : "Este caso está com outro atendente. Peça a um supervisor se precisar dele.",
  );
}

/** The case, if this reader may read it for `purpose`; the read is audited. */
export async function caseForReader(
  r: Reader,
  caseId: string,
  purpose: ReadPurpose,
): Promise<RenewalCase> {
  const c = await getCase(r.db, caseId);
  if (!c) throw new NotFoundError("Caso não encontrado.");
  assertCanReadCase(r, c, purpose);
  const kind = AUDIT_KIND[purpose];
  if (kind) await auditRead(r, `case:${caseId}`, kind, purpose);
  return c;
}

/**
 * Records that `r.actor` read `subject`'s personal data, at most once per window per kind.
 * The event goes under `reads:<subject>` so the case's own trail (timeline, signature
 * evidence) holds only changes. The mark and the event are one atomic; when two requests race,
 * the loser's commit fails and the winner's event stands.
 */
export async function auditRead(
  r: Pick<Reader, "db" | "actor">,
  subject: `case:${string}` | `customer:${string}`,
  kind: string,
  via: string,
): Promise<boolean> {
  const db = r.db;
  const op = db.kv.atomic();
  if (!await stageVisitMark(db, op, r.actor, subject, kind)) return false;
  const action = subject.startsWith("customer:") ? "customer.read" : "case.read";
  addAudit(db, op, `reads:${subject}`, action, r.actor, { kind, via });
  return (await op.commit()).ok;
}

/**
 * A visit: the first read by one person of one subject and kind within READ_AUDIT_WINDOW_MS.
 * Returns false inside a visit already recorded; otherwise stages the mark (checked, so two
 * racing requests record one visit) in `op` and returns true: the caller adds its event to the
 * same atomic. The one definition of "visit" for read events and the holder-photo history line.
 */
export async function stageVisitMark(
  db: Db,
  op: Deno.AtomicOperation,
  actor: Actor,
  subject: `case:${string}` | `customer:${string}`,
  kind: string,
): Promise<boolean> {
  const key = keys.readAuditMark(actor.id, subject, kind);
  const mark = await db.kv.get<{ until: string }>(key);
  const now = db.now();
  // The stored time decides, not expireIn (expiry is lazy).
  if (mark.value && Date.parse(mark.value.until) > now.getTime()) return false;
  op.check(mark).set(key, {
    until: new Date(now.getTime() + READ_AUDIT_WINDOW_MS).toISOString(),
  }, { expireIn: READ_AUDIT_WINDOW_MS * 2 });
  return true;
}
