// The words every part of messaging shares: channels, kinds and statuses. A leaf module (it
// imports nothing), so the channels and the runtime can name a channel without importing
// messages.ts, which imports them.

export type Channel = "whatsapp" | "email";
export type MessageKind = "transactional" | "campaign";

/**
 * queued → sending → sent → delivered → read, or skipped (moved on, opted out, duplicate),
 * or failed (dead letter). "outbox" is the status of records written before delivery existed.
 * "unknown": a WhatsApp send whose worker died after claiming it (lease ran out): the provider
 * may have accepted it, so it is never resent by itself; staff see it and may resend it.
 */
export type MessageStatus =
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "read"
  | "skipped"
  | "failed"
  | "unknown"
  | "outbox";

export const MESSAGE_STATUS_LABELS: Record<MessageStatus, string> = {
  queued: "Na fila",
  sending: "Enviando",
  sent: "Enviada",
  delivered: "Entregue",
  read: "Lida",
  skipped: "Não enviada",
  failed: "Falhou",
  unknown: "Possivelmente enviada",
  outbox: "Caixa de saída",
};
