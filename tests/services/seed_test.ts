import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listPlans } from "../../services/plans.ts";
import { listCustomers } from "../../services/customers.ts";
import { listDue } from "../../services/contracts.ts";
import { listUsers } from "../../services/users.ts";
import { isValidCpf } from "../../services/billing/documents.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { fineTable } from "../../services/plans.ts";

Deno.test("demo seed: 6 plans, 60 customers with valid CPFs, contracts due over 90 days, staff", async () => {
  await using db = await testDb();
  const first = await seedIfEmpty(db, { ADMIN_PASSWORD: "senha-do-ambiente" });
  assert.equal(first.seeded, true);
  assert.equal(
    first.credentials.find((c) => c.username === "admin")?.password,
    "senha-do-ambiente",
  );

  const plans = await listPlans(db);
  assert.equal(plans.length, 6);
  assert.deepEqual(plans.map((p) => p.downMbps), [300, 400, 500, 600, 800, 1000]);
  assert.equal(new Set(plans.map((p) => p.offerCode)).size, 6);
  for (const p of plans) {
    assert.equal(p.loyaltyMonths, 12);
    assert.equal(fineTable(p)[0].fineCents, p.benefitValueCents, "full fine with 12 months left");
    assert.equal(fineTable(p)[11].fineCents, Math.round(p.benefitValueCents / 12));
  }

  const customers = (await listCustomers(db, { limit: 100 })).items;
  assert.equal(customers.length, 60);
  assert.ok(customers.every((c) => isValidCpf(c.cpf)));
  assert.ok(new Set(customers.map((c) => c.address.city)).size >= 3);

  const today = todayInBrazil(db.now());
  const due = await listDue(db, today, addDays(today, 90), { limit: 100 });
  assert.equal(due.items.length, 60);
  const ends = due.items.map((i) => i.loyaltyEnd);
  assert.ok(ends[0] > today && ends[ends.length - 1] <= addDays(today, 90));
  assert.ok(ends.some((d) => d > addDays(today, 60)), "spread across the whole 90 days");

  const users = await listUsers(db);
  assert.deepEqual(users.map((u) => u.role).sort(), [
    "admin",
    "attendant",
    "attendant",
    "supervisor",
  ]);

  const again = await seedIfEmpty(db);
  assert.equal(again.seeded, false, "a second start never seeds twice");
  assert.equal((await listPlans(db)).length, 6);
});
