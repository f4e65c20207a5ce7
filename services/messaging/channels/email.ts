// E-mail through Resend's SDK. The SDK returns errors instead of throwing; they become
// ChannelErrors here so the queue retries. Our message id is the idempotency key: a send
// retried after a lost response is not delivered twice (Resend keeps keys for 24 hours).
import { Resend } from "resend";
import type { EmailSettings } from "../settings.ts";
import { ChannelError, isRetryableStatus, type MessageChannel, SEND_TIMEOUT_MS } from "./types.ts";

export function emailChannel(s: EmailSettings): MessageChannel {
  const resend = new Resend(s.apiKey, { baseUrl: s.baseUrl });
  return {
    name: "resend",
    async send(_db, d) {
      const { data, error } = await resend.emails.send(
        { from: s.from, to: [d.to], subject: d.subject, text: d.body },
        { idempotencyKey: d.id, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
      );
      if (error || !data) {
        const status = error?.statusCode ?? null;
        throw new ChannelError(
          `resend ${status ?? "-"} ${error?.name ?? "no_data"}: ${error?.message ?? ""}`.trim(),
          !isRetryableStatus(status),
        );
      }
      return { provider: "resend", providerId: data.id, status: "sent" };
    },
  };
}
