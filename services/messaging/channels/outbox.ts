// The local outbox: the embedded default when no provider is configured. The message is
// "delivered" at once and stays readable on /admin/outbox (admins only). Only when asked for
// (OUTBOX_LOG=links) does one console line go out per message: masked address, template and the
// links, nothing else of the text. A log is read by more people than the outbox, and one-time
// codes never go there.
import { maskEmail, maskPhone } from "../../../domain/format.ts";
import type { MessageChannel } from "./types.ts";
import type { TemplateName } from "../templates.ts";

/** Messages whose point is a secret: never printed, not even their links. */
const SECRET_TEMPLATES: ReadonlySet<TemplateName> = new Set(["contact_code", "sign_code"]);

export function outboxChannel(log: ((line: string) => void) | null): MessageChannel {
  return {
    name: "outbox",
    send(_db, d) {
      const links = SECRET_TEMPLATES.has(d.template)
        ? []
        : d.body.match(/https?:\/\/[^\s<>"]+/g) ?? [];
      if (log) {
        const to = d.channel === "email" ? maskEmail(d.to) : maskPhone(d.to);
        log(
          `[caixa de saída] ${d.channel === "email" ? "E-mail" : "WhatsApp"} para ${to} · ` +
            `${d.template}${links.length ? ` · ${links.join(" ")}` : ""}`,
        );
      }
      return Promise.resolve({ provider: "outbox", status: "delivered" });
    },
  };
}
