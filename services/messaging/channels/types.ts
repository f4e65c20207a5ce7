// What every channel implements, and the error that tells the dispatcher whether to retry.
import type { Db } from "../../db.ts";
import type { Channel } from "../message_types.ts";
import type { TemplateName } from "../templates.ts";

/** One message, opened (address and body in clear) for the moment of sending. */
export interface Delivery {
  /** Our message id: Resend's idempotency key, so a retried send is not sent twice. */
  id: string;
  channel: Channel;
  template: TemplateName;
  to: string;
  subject: string;
  body: string;
  /** Template parameters when the caller gave them (WhatsApp template messages use them). */
  vars?: Record<string, string>;
}

export interface SendResult {
  provider: "outbox" | "resend" | "whatsapp";
  providerId?: string;
  /** The outbox delivers at once; providers report delivery later (webhooks). */
  status: "sent" | "delivered";
  /** WhatsApp: template message or free text. */
  mode?: "template" | "text";
}

export interface MessageChannel {
  name: SendResult["provider"];
  send(db: Db, d: Delivery): Promise<SendResult>;
}

/** A failed send. `permanent` (a rejected address, a bad request) skips the retries. */
export class ChannelError extends Error {
  constructor(message: string, readonly permanent = false) {
    super(message);
    this.name = "ChannelError";
  }
}

/** HTTP statuses worth retrying: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number | null | undefined): boolean {
  return !status || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Bounded wait on a provider, so a hung connection does not hold a worker forever. */
export const SEND_TIMEOUT_MS = 20_000;
