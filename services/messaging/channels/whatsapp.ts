// WhatsApp Cloud API over fetch. Inside the 24-hour window after the customer's last message
// we send the text as written; outside it (or when Meta says the window closed) an approved
// template `<prefix><template>` in pt_BR with one body parameter: the personal link, the code
// or the protocol, the part of each message the customer cannot do without.
import type { WhatsAppSettings } from "../settings.ts";
import type { TemplateName } from "../templates.ts";
import { windowOpen } from "../window.ts";
import {
  ChannelError,
  type Delivery,
  isRetryableStatus,
  type MessageChannel,
  SEND_TIMEOUT_MS,
} from "./types.ts";

/** The one parameter each approved template takes. */
export const TEMPLATE_PARAM: Record<TemplateName, "link" | "codigo" | "protocolo"> = {
  first_contact: "link",
  reminder_1: "link",
  reminder_2: "link",
  link_expiring: "link",
  photo_rejected: "link",
  signing_link: "link",
  signed_contract: "link",
  all_set: "link",
  erp_invoices: "link",
  contact_code: "codigo",
  sign_code: "codigo",
  protocol: "protocolo",
  pix_auto_cancelled: "link",
  pix_auto_charge_failed: "link",
};

/** Meta error codes worth retrying: rate limits and temporary failures. */
const RETRYABLE_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004]);
/** "Re-engagement message": the window closed; send the template instead. */
const WINDOW_CLOSED = 131047;

/** The parameter from the caller's vars, else from the text itself. */
export function templateParam(d: Delivery): string {
  const name = TEMPLATE_PARAM[d.template];
  const given = d.vars?.[name];
  if (given) return given;
  const found = name === "link"
    ? d.body.match(/https?:\/\/\S+?\/r\/[A-Za-z0-9_-]{43}/)?.[0]
    : d.body.match(name === "codigo" ? /\b\d{6}\b/ : /\b\d{14}\b/)?.[0];
  if (!found) {
    throw new ChannelError(`whatsapp: no {{${name}}} for template ${d.template}`, true);
  }
  return found;
}

export function whatsappChannel(s: WhatsAppSettings): MessageChannel {
  const url = `${s.apiBase}/${encodeURIComponent(s.phoneNumberId)}/messages`;
  const post = async (payload: unknown) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    } catch (e) {
      throw new ChannelError(`whatsapp: ${(e as Error).message}`);
    }
    const body = await res.json().catch(() => ({})) as {
      messages?: { id: string }[];
      error?: { code?: number; message?: string };
    };
    if (res.ok && body.messages?.[0]?.id) return { id: body.messages[0].id, code: 0 };
    const code = body.error?.code ?? 0;
    if (code === WINDOW_CLOSED) return { id: "", code };
    throw new ChannelError(
      `whatsapp ${res.status} ${code}: ${body.error?.message ?? "no message id"}`,
      !isRetryableStatus(res.status) && !RETRYABLE_CODES.has(code),
    );
  };
  const base = (to: string) => ({
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to,
  });
  return {
    name: "whatsapp",
    async send(db, d) {
      if (await windowOpen(db, d.to)) {
        const r = await post({
          ...base(d.to),
          type: "text",
          text: { preview_url: true, body: d.body },
        });
        if (r.code !== WINDOW_CLOSED) {
          return { provider: "whatsapp", providerId: r.id, status: "sent", mode: "text" };
        }
      }
      const r = await post({
        ...base(d.to),
        type: "template",
        template: {
          name: `${s.templatePrefix}${d.template}`,
          language: { code: s.templateLanguage },
          components: [{ type: "body", parameters: [{ type: "text", text: templateParam(d) }] }],
        },
      });
      if (r.code === WINDOW_CLOSED) throw new ChannelError("whatsapp: template refused (131047)");
      return { provider: "whatsapp", providerId: r.id, status: "sent", mode: "template" };
    },
  };
}
