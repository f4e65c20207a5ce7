// A seeded :memory: store (with a controllable clock) and one renewal walked through the real
// service verbs, step by step, up to closed. For the retention and orphan-file tests.
import { testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { listPlans } from "../../services/plans.ts";
import { findUserByUsername } from "../../services/users.ts";
import { getCase } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import * as signing from "../../services/renewals/signing.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { getCustomer } from "../../services/customers.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { loadConfig } from "../../app.config.ts";

export const provider = loadConfig({}).provider;
import { PNG } from "../fixtures/images/mod.ts";
export { PNG };

/** A store whose clock the test moves with `advance(ms)`. */
export async function clockDb(start = Date.parse("2026-06-01T12:00:00Z")) {
  let now = start;
  const db = await testDb(() => new Date(now));
  await seedIfEmpty(db, {});
  return { db, advance: (ms: number) => void (now += ms) };
}

export async function walker(db: Db, i = 0) {
  const att = (await findUserByUsername(db, "atendente1"))!;
  const ctx: staff.StaffCtx = {
    db,
    actor: { id: `user:${att.id}`, name: att.name, ip: "10.0.0.1", userAgent: "Firefox" },
    kind: "staff",
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const c0 = await staff.claimContract(ctx, due[i].contractId, { id: att.id, name: att.name });
  const id = c0.id;
  const cu = {
    db,
    actor: { id: `customer:${id}`, name: "Cliente", ip: "10.0.0.9", userAgent: "Android" },
    provider,
  };
  const env = { db, provider, baseUrl: "http://renova.test" };
  const code = async () => (await readOutbox(db, 1))[0].body.match(/\d{6}/)![0];
  const steps = {
    /** contact → link → plan chosen */
    async toPlanChosen() {
      await staff.recordContact(ctx, id, { channel: "phone", outcome: "answered", note: "ok" });
      await staff.sendLink(ctx, id, "whatsapp");
      await customer.choosePlan(cu, id, (await listPlans(db))[2].id, true);
    },
    async toSignatureSent() {
      await customer.uploadPhoto(cu, id, new File([PNG], "eu.png", { type: "image/png" }));
      await staff.reviewPhoto(ctx, id, { approve: true });
      const person = (await getCustomer(db, c0.customerId))!;
      await customer.submitContacts(cu, id, person.phones.map((p) => p.slice(2)), person.email);
      await staff.changePlan(ctx, id);
      await staff.sendSignature(ctx, id);
    },
    async toClosed() {
      const person = (await getCustomer(db, c0.customerId))!;
      await signing.sendSigningCode(env, cu.actor, id, "whatsapp");
      await signing.signContract(env, cu.actor, id, {
        code: await code(),
        typedName: person.name,
        consent: true,
        documentSha256: (await getCase(db, id))!.contractDoc!.sha256,
        ip: "10.0.0.9",
        userAgent: "Android",
      });
      await staff.registerSignature(ctx, id);
      await staff.notifyCustomer(ctx, id);
      await staff.closeCase(ctx, id);
    },
  };
  return { id, ctx, cu, env, steps };
}
