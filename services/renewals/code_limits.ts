// How often one-time codes may be sent and guessed, in KV counters (services/rate_limit.ts), so
// the limits hold across processes. Contact codes go to numbers and addresses the customer
// typed: without a cap, a link could pump messages to anyone. Guesses are counted per case, not
// per code, so asking for a new code does not buy five more guesses.
import type { Db } from "../db.ts";
import { blindIndex } from "../crypto.ts";
import { assertUnderLimit, hit, type Limit, take } from "../rate_limit.ts";
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

/** Counts one batch of contact codes to these destinations, or refuses the whole batch. */
export async function chargeContactCodes(
  db: Db,
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
  await take(
    db,
    charges,
    (s) => `Muitos códigos pedidos. Tente de novo em ${wait(s)} ou fale com a operadora.`,
  );
}

/** The pt-BR refusal when the case used up its wrong guesses ("contact" or "sign"), else null. */
export async function guessesExhausted(
  db: Db,
  caseId: string,
  purpose: "contact" | "sign",
): Promise<string | null> {
  try {
    await assertUnderLimit(db, `code_guess_${purpose}`, caseId, CODE_GUESSES);
    return null;
  } catch (e) {
    if (!(e instanceof RateLimitError)) throw e;
    return `Tentativas esgotadas. Tente de novo em ${wait(e.retryAfterSeconds)}.`;
  }
}

/** Counts one wrong code for the case (an expired code is no guess: it is never compared). */
export async function countWrongGuess(db: Db, caseId: string, purpose: "contact" | "sign") {
  await hit(db, `code_guess_${purpose}`, caseId, CODE_GUESSES);
}
