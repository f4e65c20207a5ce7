import { ADMINS, define } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { readOutbox } from "../../services/messaging/mod.ts";
import { formatDateTime } from "../../domain/format.ts";

// The local outbox: with no e-mail or WhatsApp configured (the embedded demo), this is where
// messages are delivered, so an admin can open the customer's link in the demo.
export default define({
  access: ADMINS,
  GET: async (c) => {
    const msgs = await readOutbox(c.get("db"), 50);
    return page(
      c,
      { title: "Caixa de saída" },
      <section>
        <h1 class="text-2xl font-bold">Caixa de saída (demonstração)</h1>
        <p class="text-gray-700 mb-4">
          Mensagens que seriam enviadas por WhatsApp ou e-mail. As mais recentes primeiro.
        </p>
        <ul class="grid gap-3">
          {msgs.map((m) => (
            <li key={m.id} class="bg-white rounded shadow p-3" data-testid="outbox-message">
              <p class="text-sm text-gray-700">
                {formatDateTime(m.at)} · {m.channel === "email" ? "E-mail" : "WhatsApp"} para {m.to}
              </p>
              <p class="font-medium">{m.subject}</p>
              <p class="whitespace-pre-wrap text-sm">
                {m.body.split(/(https?:\/\/\S+)/).map((part, i) =>
                  /^https?:\/\//.test(part)
                    ? <a key={i} href={part} class="text-brand-700 underline break-all">{part}</a>
                    : part
                )}
              </p>
            </li>
          ))}
        </ul>
      </section>,
    );
  },
});
