// The customer's message preferences, from their personal link: stop the campaign reminders,
// or have them again (the opt-in "from a link" next to replying VOLTAR).
import { define } from "../../../lib/route.ts";
import type { Ctx } from "../../../lib/route.ts";
import { page } from "../../../lib/render.tsx";
import { readForm } from "../../../lib/form.ts";
import { ValidationError } from "../../../services/errors.ts";
import {
  messagePreference,
  setMessagePreference,
} from "../../../services/campaigns/message_preference.ts";
import { MessagePreferencePage } from "../../../components/customer/MessagePreference.tsx";
import { withTokenCase } from "./_page.tsx";

const TITLE = "Lembretes por mensagem";

function render(c: Ctx, props: Parameters<typeof MessagePreferencePage>[0], status = 200) {
  return page(c, { title: TITLE, nav: false, status }, <MessagePreferencePage {...props} />);
}

export default define({
  access: "public",
  GET: (c) =>
    withTokenCase(c, async (caseId) =>
      render(c, {
        pref: await messagePreference(c.get("db"), caseId),
        provider: c.get("config").provider.name,
        base: `/r/${c.req.param("token")}`,
      })),
  POST: (c) =>
    withTokenCase(c, async (caseId) => {
      const db = c.get("db");
      const base = `/r/${c.req.param("token")}`;
      const provider = c.get("config").provider.name;
      const want = String((await readForm(c)).want ?? "");
      try {
        const pref = await setMessagePreference(db, caseId, want);
        return render(c, { pref, provider, base, saved: true });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const pref = await messagePreference(db, caseId);
        return render(c, { pref, provider, base, error: e.message }, 400);
      }
    }),
});
