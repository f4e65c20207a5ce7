// A form submitted twice (double click, a retry after a timeout or a restart) answers with the
// first one's result instead of "alterado por outra pessoa". Every form carries a random
// submission id (hidden `_sub`, components/Form.tsx and the customer's steps); the request's
// actor carries it to the case verbs (services/renewals/cases.ts), which remember it in the
// SAME atomic as the change it made. So a remembered submission always means "applied", and a
// crash never leaves one applied but forgotten (or remembered but not applied).
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { type Actor } from "../domain/actor.ts";

export interface Submission {
  caseId: string;
  action: string;
  at: string;
}

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** Clean-up only: a repeat after this long is just a stale form (409 as any other). */
const KEEP_MS = 2 * 86400_000;

export function isSubmissionId(v: unknown): v is string {
  return typeof v === "string" && SUBMISSION_ID.test(v);
}

/** A fresh id for a rendered form. */
export function newSubmissionId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

function keyOf(actor: Actor) {
  // Scoped by who acts: somebody else's id can neither claim nor replay this one.
  return isSubmissionId(actor.submission) ? keys.submission(actor.id, actor.submission) : null;
}

/** The case change this actor's submission already made, if it made one. */
export async function priorSubmission(
  db: Db,
  actor: Actor,
  caseId?: string,
): Promise<Submission | null> {
  const key = keyOf(actor);
  if (!key) return null;
  const found = (await db.kv.get<Submission>(key)).value;
  return found && (!caseId || found.caseId === caseId) ? found : null;
}

/** Remembers the submission inside the change's atomic (1 check: it was not applied yet). */
export function stageSubmission(
  db: Db,
  op: Deno.AtomicOperation,
  actor: Actor,
  s: Omit<Submission, "at">,
) {
  const key = keyOf(actor);
  if (!key) return;
  op.check({ key, versionstamp: null })
    .set(key, { ...s, at: db.now().toISOString() }, { expireIn: KEEP_MS });
}
