// A renewal whose customer chose Pix Automático, with the stand-in PSP over real HTTP, the
// app in-process (the PSP's callbacks go to app.request) and a clock the test moves.
import { ORIGIN, testApp } from "../helpers.ts";
import { caseAt, walkTo } from "../factories.ts";
import { StandinPsp } from "./standin_psp.ts";
import { getPixAuto, type PixAutoSettings, pspFor } from "../../services/pix_auto/mod.ts";
import { choosePaymentMethod } from "../../services/pix_auto/payment.ts";
import { type Message, openMessage, readOutbox } from "../../services/messaging/mod.ts";
import { messagesOfCase } from "../../services/messaging/mod.ts";
import type { Db } from "../../services/db.ts";
import type { OpenStep } from "../factories.ts";

export const SECRET = "c".repeat(32);

/**
 * The app in-process and the stand-in PSP over real HTTP, wired both ways: the app's PSP
 * settings point at the stand-in, and its callbacks go to `app.request`.
 */
export async function appWithPsp(
  env: Record<string, string> = {},
  opts: ConstructorParameters<typeof StandinPsp>[0] = {},
  now?: () => Date,
) {
  // deno-lint-ignore prefer-const
  let t: Awaited<ReturnType<typeof testApp>>;
  const psp = new StandinPsp({
    ...opts,
    deliver: (url, body) =>
      t.app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  });
  t = await testApp({
    PIX_AUTO_API_URL: psp.url,
    PIX_AUTO_CLIENT_ID: psp.clientId,
    PIX_AUTO_CLIENT_SECRET: psp.clientSecret,
    PIX_AUTO_WEBHOOK_SECRET: SECRET,
    PIX_AUTO_TIMEOUT_MS: "500",
    ...env,
  }, now);
  return { t, psp, db: t.db as Db, settings: t.config.pixAuto as PixAutoSettings };
}

/** Signed on 2027-01-20: invoices due on the 10th from 2027-02-10 (the default billing). */
export async function pixCase(
  step: OpenStep = "registered",
  { approve = true, env = {} as Record<string, string> } = {},
) {
  let now = new Date("2027-01-20T12:00:00Z");
  const { t, psp, db, settings } = await appWithPsp(
    { PIX_AUTO_PIX_KEY: "cobranca@fibraexemplo.com.br", ...env },
    {},
    () => now,
  );
  psp.webhookRec = psp.webhookCobr = `${ORIGIN}/webhooks/pix-auto/${SECRET}`;
  const h = await caseAt(db, "plan_chosen");
  await choosePaymentMethod(db, h.cu.actor, h.id, "pix_auto", {
    provider: t.config.provider,
    settings,
  });
  const idRec = (await getPixAuto(db, h.id))!.idRec!;
  if (approve) await psp.payer(idRec, "APROVADA");
  if (step !== "plan_chosen") await walkTo(h, step);
  return {
    db,
    app: t.app,
    psp,
    h,
    idRec,
    client: pspFor(settings),
    notice: { baseUrl: ORIGIN },
    setNow: (iso: string) => (now = new Date(iso)),
    /** The bodies of this case's messages of one template. */
    sent: async (template: string) => {
      const out: string[] = [];
      for (const m of await messagesOfCase(db, h.id) as Message[]) {
        if (m.template === template) out.push((await openMessage(db, m)).body);
      }
      return out;
    },
    outbox: () => readOutbox(db, 100),
    [Symbol.asyncDispose]: async () => {
      await psp.close();
      await t[Symbol.asyncDispose]();
    },
  };
}
