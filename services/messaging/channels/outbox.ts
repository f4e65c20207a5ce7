// The local outbox: the embedded default when no provider is configured. The message is
// "delivered" at once (it stays readable on /admin/outbox) and one line goes to the console,
// links included, so a demo shows every message without any account anywhere.
import { maskEmail, maskPhone } from "../../../lib/format.ts";
import type { MessageChannel } from "./types.ts";

export function outboxChannel(log: ((line: string) => void) | null): MessageChannel {
  return {
    name: "outbox",
    send(_db, d) {
      if (log) {
        const to = d.channel === "email" ? maskEmail(d.to) : maskPhone(d.to);
        // Split, not `/\s*\n\s*/g`: that retried every blank of a long run (quadratic).
        const text = d.body.split("\n").map((l) => l.trim()).filter(Boolean).join(" / ");
        log(
          `[caixa de saída] ${d.channel === "email" ? "E-mail" : "WhatsApp"} para ${to} · ` +
            `${d.subject} · ${text}`,
        );
      }
      return Promise.resolve({ provider: "outbox", status: "delivered" });
    },
  };
}
