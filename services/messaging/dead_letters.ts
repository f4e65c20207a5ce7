// Dead letters: jobs that failed for good — written by KV (keysIfUndelivered) when a job ran
// out of attempts, and by the dispatcher on a final or permanent channel error. Admins list
// them and re-queue one: a fresh set of attempts, the same message id (so the dedupe key and
// Resend's idempotency key still protect against a double send).
import type { Db } from "../db.ts";
import { commitOrConflict } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import { type Actor } from "../../domain/actor.ts";
import { NotFoundError } from "../errors.ts";
import { type DeliverJob, enqueueDelivery, type Message } from "./messages.ts";
import { stageRewrite } from "./delivery.ts";
import { type InboundJob, requeueInbound } from "./inbound.ts";
import { assertMayAct, getCase } from "../renewals/cases.ts";

export interface DeadLetter {
  id: string;
  job: DeliverJob | InboundJob;
  message?: Message;
}

export async function listDeadLetters(db: Db, limit = 100): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  const iter = db.kv.list<DeliverJob | InboundJob>(
    { prefix: keys.deadLetters() },
    { reverse: true, limit },
  );
  for await (const e of iter) {
    const id = String(e.key[e.key.length - 1]);
    const message = e.value.type === "deliver_message"
      ? (await db.kv.get<Message>(keys.message(e.value.messageId))).value ?? undefined
      : undefined;
    out.push({ id, job: e.value, message });
  }
  return out;
}

/** Re-queues a dead letter; "already" when the message went out meanwhile (just cleared). */
export async function retryDeadLetter(
  db: Db,
  id: string,
  actor: Actor,
): Promise<"queued" | "already"> {
  const dl = await db.kv.get<DeliverJob | InboundJob>(keys.deadLetter(id));
  if (!dl.value) throw new NotFoundError("Esta falha já foi resolvida ou não existe.");
  const op = db.kv.atomic().check(dl).delete(dl.key);
  if (dl.value.type === "inbound_whatsapp") {
    const ok = await requeueInbound(db, op, dl.value.eventId);
    addAudit(db, op, "messaging", "inbound.retried", actor, { eventId: id });
    await commitOrConflict(op);
    return ok ? "queued" : "already";
  }
  const e = await db.kv.get<Message>(keys.message(dl.value.messageId));
  const m = e.value;
  if (!m) {
    await commitOrConflict(op);
    throw new NotFoundError("A mensagem desta falha não existe mais.");
  }
  if (["sent", "delivered", "read", "skipped"].includes(m.status)) {
    await commitOrConflict(op);
    return "already";
  }
  const next: Message = {
    ...m,
    status: "queued",
    attempts: 0,
    retries: (m.retries ?? 0) + 1,
    nextAttemptAt: db.now().toISOString(),
  };
  stageRewrite(op, e as Deno.KvEntry<Message>, next);
  enqueueDelivery(db, op, m.id, 0);
  addAudit(db, op, `case:${m.caseId}`, "message.retried", actor, {
    messageId: m.id,
    template: m.template,
  });
  await commitOrConflict(op, "Esta mensagem mudou ao mesmo tempo; recarregue a página.");
  return "queued";
}

/**
 * Staff's "Reenviar" on the case page: a new attempt for one of this case's messages that
 * failed or may have been sent ("unknown"). The same audited path as the admin's retry.
 */
export async function resendCaseMessage(
  db: Db,
  caseId: string,
  messageId: string,
  actor: Actor,
): Promise<"queued" | "already"> {
  const c = await getCase(db, caseId);
  if (!c) throw new NotFoundError("Caso não encontrado.");
  assertMayAct(c, actor); // the same rule as every other action on the case
  const m = (await db.kv.get<Message>(keys.message(messageId))).value;
  if (!m || m.caseId !== caseId || !["unknown", "failed"].includes(m.status)) {
    throw new NotFoundError("Esta mensagem não existe ou não precisa ser reenviada.");
  }
  return await retryDeadLetter(db, messageId, actor);
}
