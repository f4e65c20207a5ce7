// How often one-time codes may be sent and guessed, in KV counters (services/rate_limit.ts), so
// the limits hold across processes. Contact codes go to numbers and addresses the customer
// typed: without a cap, a link could pump messages to anyone. Guesses are counted per case, not
// per code, so asking for a new code does not buy five more guesses.
import type { Db } from "../db.ts";
import { blindIndex } from "../crypto.ts";
import { type Limit, release, stageTake, take } from "../rate_limit.ts";
import { RateLimitError } from "../errors.ts";

/** Code batches (one submit of changed contacts) per case. */
export const CONTACT_SENDS_PER_CASE: { hour: Limit; day: Limit } = {
  hour: { max: 3, windowMs: 3600_000 },
  day: { max: 6, windowMs: 86400_000 },
};
/** Codes to one phone or e-mail, whatever the case. */
export const CONTACT_SENDS_PER_DESTINATION: { hour: Limit; day: Limit } = {
  hour: { max: 3, windowMs: 3600_000 },
  day: { max: 5, windowMs: 86400_000 },
};
/** Wrong code entries per case, across resends. */
export const CODE_GUESSES: Limit = { max: 5, windowMs: 3600_000 };

function wait(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return minutes >= 90 ? `${Math.ceil(minutes / 60)} horas` : `${minutes} minuto(s)`;
}

/**
 * Counts one batch of contact codes to these destinations inside the atomic that stages them,
 * or refuses the whole batch: a repeated or refused form commits nothing, so it costs nothing.
 */
export async function chargeContactCodes(
  db: Db,
  op: Deno.AtomicOperation,
  caseId: string,
  targets: { kind: "phone" | "email"; target: string }[],
) {
  const charges = [
    { scope: "contact_code_case_h", subject: caseId, limit: CONTACT_SENDS_PER_CASE.hour },
    { scope: "contact_code_case_d", subject: caseId, limit: CONTACT_SENDS_PER_CASE.day },
  ];
  for (const t of targets) {
    // Blind index: the counter key must not hold the phone or e-mail in clear.
    const subject = await blindIndex(db.crypto.hmac, "code_destination", `${t.kind}:${t.target}`);
    charges.push(
      { scope: "contact_code_dest_h", subject, limit: CONTACT_SENDS_PER_DESTINATION.hour },
      { scope: "contact_code_dest_d", subject, limit: CONTACT_SENDS_PER_DESTINATION.day },
    );
  }
  await stageTake(
    db,
    op,
    charges,
    (s) => `Muitos códigos pedidos. Tente de novo em ${wait(s)} ou fale com a operadora.`,
  );
}

function guessCharge(caseId: string, purpose: "contact" | "sign") {
  return [{ scope: `code_guess_${purpose}`, subject: caseId, limit: CODE_GUESSES }];
}

/**
 * Reserves one guess for the case ("contact" or "sign") BEFORE the code is compared, so a
 * parallel burst compares at most CODE_GUESSES.max codes. Returns the pt-BR refusal when the
 * guesses are used up (nothing may be compared then), else null.
 */
export async function reserveGuess(
  db: Db,
  caseId: string,
  purpose: "contact" | "sign",
): Promise<string | null> {
  try {
    await take(db, guessCharge(caseId, purpose));
    return null;
  } catch (e) {
    if (!(e instanceof RateLimitError)) throw e;
    return `Tentativas esgotadas. Tente de novo em ${wait(e.retryAfterSeconds)}.`;
  }
}

/** Gives the reserved guess back: the code was right, expired or locked (not a wrong one). */
export async function releaseGuess(db: Db, caseId: string, purpose: "contact" | "sign") {
  await release(db, guessCharge(caseId, purpose));
}
