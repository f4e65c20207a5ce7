// The phone blind index that inbound WhatsApp messages find customers by, its backfill
// migration, and the messaging settings read from the environment.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { SYSTEM } from "../../domain/actor.ts";
import { keys } from "../../services/keys.ts";
import {
  backfillPhoneIndex,
  createCustomer,
  customerIdsByPhone,
  updateCustomerContacts,
} from "../../services/customers.ts";
import { generateCpf } from "../../services/billing/documents.ts";
import { ConfigError, loadConfig } from "../../app.config.ts";

const person = (phones: string[]) => ({
  name: "Paulo Teste",
  cpf: generateCpf(),
  phones,
  email: "paulo@exemplo.com.br",
  address: {
    street: "Rua B",
    number: "2",
    district: "Centro",
    city: "Londrina",
    state: "PR",
    zip: "86010-000",
  },
});

Deno.test("phone index: kept by create and contact updates, shared phones, never in clear", async () => {
  await using db = await testDb();
  const a = await createCustomer(db, person(["(43) 99876-5432", "4333221100"]), SYSTEM);
  const b = await createCustomer(db, person(["43998765432"]), SYSTEM);
  assert.deepEqual((await customerIdsByPhone(db, "5543998765432")).sort(), [a.id, b.id].sort());
  assert.deepEqual(await customerIdsByPhone(db, "554333221100"), [a.id]);
  for await (const e of db.kv.list({ prefix: ["customers_by_phone"] })) {
    assert.ok(!JSON.stringify(e.key).includes("998765432"), "the number is never a key");
  }
  await updateCustomerContacts(db, a.id, {
    phones: ["43991112222"],
    email: "paulo@exemplo.com.br",
  }, SYSTEM);
  assert.deepEqual(await customerIdsByPhone(db, "5543998765432"), [b.id]);
  assert.deepEqual(await customerIdsByPhone(db, "554333221100"), []);
  assert.deepEqual(await customerIdsByPhone(db, "5543991112222"), [a.id]);
});

Deno.test("phone index migration backfills customers created before it", async () => {
  await using db = await testDb();
  const a = await createCustomer(db, person(["43998765400"]), SYSTEM);
  for await (const e of db.kv.list({ prefix: ["customers_by_phone"] })) await db.kv.delete(e.key);
  assert.deepEqual(await customerIdsByPhone(db, "5543998765400"), []);
  assert.equal(await backfillPhoneIndex(db), 1);
  assert.deepEqual(await customerIdsByPhone(db, "5543998765400"), [a.id]);
  assert.equal(await backfillPhoneIndex(db), 1, "re-running is harmless");
  assert.equal((await db.kv.get<number>(keys.schemaVersion())).value! >= 2, true);
});

Deno.test("messaging settings: defaults, providers only when configured, clear errors", () => {
  const d = loadConfig({}).messaging;
  assert.equal(d.email, undefined);
  assert.equal(d.whatsapp, undefined);
  assert.equal(d.queue, true);
  assert.deepEqual(d.quiet, {
    startMin: 20 * 60,
    endMin: 8 * 60,
    days: [0],
    timeZone: "America/Sao_Paulo",
  });
  assert.deepEqual(d.reminders, { afterHours: [24, 72], beforeExpiryDays: 2 });
  assert.equal(d.baseUrl, "http://localhost:8000");
  const c = loadConfig({
    APP_ORIGIN: "https://renova.exemplo.com.br",
    RESEND_API_KEY: "re_x",
    RESEND_BASE_URL: "http://127.0.0.1:9",
    WHATSAPP_TOKEN: "t",
    WHATSAPP_PHONE_NUMBER_ID: "123",
    QUIET_HOURS: "21:30-07:00",
    QUIET_DAYS: "dom,sab",
    MESSAGE_QUEUE: "false",
    MESSAGE_RETRY_BACKOFF_MS: "100,200",
    REMINDER_HOURS: "48",
  }).messaging;
  assert.equal(c.baseUrl, "https://renova.exemplo.com.br");
  assert.equal(c.email?.baseUrl, "http://127.0.0.1:9");
  assert.equal(c.email?.from, "Fibra Exemplo Telecom Ltda. <atendimento@fibraexemplo.com.br>");
  assert.equal(c.whatsapp?.apiBase, "https://graph.facebook.com/v21.0");
  assert.deepEqual([c.quiet.startMin, c.quiet.endMin, c.quiet.days], [21 * 60 + 30, 7 * 60, [
    0,
    6,
  ]]);
  assert.equal(c.queue, false);
  assert.deepEqual(c.backoffMs, [100, 200]);
  assert.equal(c.scanIntervalMs, 5000, "the scan delivers: it looks more often");
  assert.deepEqual(c.reminders.afterHours, [48]);
  assert.deepEqual(
    loadConfig({ QUIET_HOURS: "off", QUIET_DAYS: "nenhum" }).messaging.quiet.days,
    [],
  );
  for (
    const [env, msg] of [
      [{ WHATSAPP_TOKEN: "t" }, /WHATSAPP_TOKEN e WHATSAPP_PHONE_NUMBER_ID/],
      [{ QUIET_HOURS: "22h" }, /QUIET_HOURS precisa ser como 20:00-08:00/],
      [{ QUIET_DAYS: "dom,seg,ter,qua,qui,sex,sab" }, /nunca a semana inteira/],
      [{ MESSAGE_RETRY_BACKOFF_MS: "1,2,3,4,5,6" }, /até 5 números/],
      [{ MESSAGE_TIMEZONE: "Marte/Olympus" }, /MESSAGE_TIMEZONE desconhecido/],
    ] as const
  ) {
    assert.throws(() => loadConfig(env), (e) => e instanceof ConfigError && msg.test(e.message));
  }
});
