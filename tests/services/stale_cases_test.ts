// Renewals waiting on the customer after their link ran out end as "expired"; the contract
// comes back to the due list. Cases waiting on staff, or touched since, are left alone.
import { customerCtx } from "../factories.ts";
import { staffActor, SYSTEM } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { listPlans } from "../../services/plans.ts";
import { findUserByUsername } from "../../services/users.ts";
import { getCase, openCaseOfContract, updateCase } from "../../services/renewals/cases.ts";
import * as staff from "../../services/renewals/staff_actions.ts";
import * as customer from "../../services/renewals/customer_actions.ts";
import { expireStaleCases } from "../../services/ops/stale_cases.ts";
import { renewalList } from "../../services/due_list.ts";
import { auditOf } from "../../services/audit.ts";
import { keys } from "../../services/keys.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { loadConfig } from "../../app.config.ts";

const provider = loadConfig({}).provider;
import { PNG } from "../fixtures/images/mod.ts";
const DAY = 86400_000;

Deno.test("stale renewals: expired after the link ran out plus CASE_EXPIRE_DAYS, and only those", async () => {
  let now = Date.now();
  await using db = await testDb(() => new Date(now));
  await seedIfEmpty(db, {});
  const att = (await findUserByUsername(db, "atendente1"))!;
  const me = { id: att.id, name: att.name };
  const ctx: staff.StaffCtx = {
    db,
    actor: staffActor(att),
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const open = async (i: number) => {
    const c = await staff.claimContract(ctx, due[i].contractId, me);
    await staff.sendLink(ctx, c.id, "whatsapp");
    return c.id;
  };
  const last = due.length - 1; // loyalty ends late enough to stay in the window
  const silent = await open(last); // the customer never answers
  const photo = await open(1); // the customer sent the photo: staff's turn
  const replied = await open(last - 1); // the customer wrote after the link expired
  const noLink = (await staff.claimContract(ctx, due[3].contractId, me)).id;
  const cu = customerCtx(db, photo);
  const plans = await listPlans(db);
  await customer.choosePlan(cu, photo, plans[1].id, true);
  await customer.uploadPhoto(cu, photo, new File([PNG], "f.png", { type: "image/png" }));

  now += 16 * DAY; // the links expired a day ago; one customer writes now
  await updateCase(db, {
    caseId: replied,
    actor: SYSTEM,
    action: "customer.replied",
    apply: (next) => void (next.customerReply = { at: db.now().toISOString(), text: "Oi" }),
  });
  now += 5 * DAY; // links expired 6 days ago: one day short
  assert.deepEqual(await expireStaleCases(db, { caseExpireDays: 7 }), { expired: 0 }, "too soon");
  now += DAY + 3600_000; // 7 days and an hour
  assert.deepEqual(await expireStaleCases(db, { caseExpireDays: 0 }), { expired: 0 }, "off");
  assert.deepEqual(await expireStaleCases(db, { caseExpireDays: 7 }), { expired: 1 });
  const c = (await getCase(db, silent))!;
  assert.equal(c.step, "expired");
  assert.equal(await openCaseOfContract(db, due[last].contractId), null, "contract free again");
  // The expired link's record stays (it opens nothing) so its page can ask for a new link.
  assert.ok(c.link!.expiresAt < db.now().toISOString(), "the link opens nothing");
  assert.ok((await db.kv.get(keys.link(c.link!.hash))).value, "kept for Pedir novo link");
  const events = await auditOf(db, `case:${silent}`);
  assert.equal(events.at(-1)?.action, "expire");
  assert.equal(events.at(-1)?.actor.id, "system");
  for (const [id, step] of [[photo, "photo_sent"], [replied, "contact"], [noLink, "contact"]]) {
    assert.equal((await getCase(db, id))!.step, step, `${step} case left alone`);
  }
  // The reply gave its case 7 days of its own; after them it goes too.
  now += DAY;
  assert.deepEqual(await expireStaleCases(db, { caseExpireDays: 7 }), { expired: 1 });
  assert.equal((await getCase(db, replied))!.step, "expired");
  // The contract is offered again on the list (its loyalty end is still in the window).
  const list = await renewalList(db, att, { step: "new" }, 60);
  assert.ok(list.dueRows.some((r) => r.contractId === due[last].contractId));
  assert.deepEqual(await expireStaleCases(db, { caseExpireDays: 7 }), { expired: 0 }, "once");
  assert.equal((await getCase(db, photo))!.step, "photo_sent", "staff's turn: never");
});
