// Messages to customers. Until the Messages issue adds e-mail and WhatsApp delivery, the local
// outbox is the channel: a message is written in the same atomic as the change that causes it
// (so it exists exactly when the change does), sealed, since bodies carry links and codes.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { ulid } from "./ulid.ts";
import { openJson, sealJson } from "./crypto.ts";
import { maskEmail, maskPhone } from "../lib/format.ts";

export type Channel = "whatsapp" | "email";

export type Template =
  | "first_contact"
  | "photo_rejected"
  | "contact_code"
  | "signing_link"
  | "sign_code"
  | "signed_contract"
  | "protocol"
  | "all_set";

export interface Message {
  id: string;
  caseId: string;
  channel: Channel;
  template: Template;
  /** Masked address, safe to show to staff. */
  toMasked: string;
  at: string;
  status: "outbox";
  subject: string;
  /** Sealed {to, body}: the body may hold the customer's link or a one-time code. */
  sealed: string;
}

export interface OutgoingMessage {
  caseId: string;
  channel: Channel;
  template: Template;
  to: string;
  subject: string;
  body: string;
}

/** Adds the message to `op`; the caller commits it with the state change that causes it. */
export async function stageMessage(db: Db, op: Deno.AtomicOperation, m: OutgoingMessage) {
  const id = ulid();
  const msg: Message = {
    id,
    caseId: m.caseId,
    channel: m.channel,
    template: m.template,
    toMasked: m.channel === "email" ? maskEmail(m.to) : maskPhone(m.to),
    at: db.now().toISOString(),
    status: "outbox",
    subject: m.subject,
    sealed: await sealJson(db.crypto.aes, { to: m.to, body: m.body }, `message:${id}`),
  };
  op.set(keys.message(id), msg).set(keys.messagesByCase(m.caseId, id), id);
  return msg;
}

export async function messagesOfCase(db: Db, caseId: string): Promise<Message[]> {
  const out: Message[] = [];
  for await (const e of db.kv.list<string>({ prefix: keys.messagesOfCase(caseId) })) {
    const m = (await db.kv.get<Message>(keys.message(e.value))).value;
    if (m) out.push(m);
  }
  return out;
}

/** The demo outbox: full bodies, newest first. Only for the local channel (admins). */
export async function readOutbox(db: Db, limit = 50) {
  const out: (Message & { to: string; body: string })[] = [];
  for await (
    const e of db.kv.list<Message>({ prefix: keys.messages() }, { reverse: true, limit })
  ) {
    const { to, body } = await openJson<{ to: string; body: string }>(
      db.crypto.aes,
      e.value.sealed,
      `message:${e.value.id}`,
    );
    out.push({ ...e.value, to, body });
  }
  return out;
}
