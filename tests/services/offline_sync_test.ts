// The offline outbox on the server: each client mutation is applied at most once, only on the
// case version the attendant saw (else a conflict with the current version), and refused when
// the attendant may not act. Also: the offline read models carry no token, photo or CPF.
import { staffActor } from "../../domain/actor.ts";
import assert from "node:assert/strict";
import { testConfig, testDb } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listUsers, type User } from "../../services/users.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getCase } from "../../services/renewals/cases.ts";
import {
  claimContract,
  contactLog,
  recordContact,
  type StaffCtx,
} from "../../services/renewals/staff_actions.ts";
import { applyMutations, type Me, offlineCase, offlineQueue } from "../../services/offline_sync.ts";
import type { Db } from "../../services/db.ts";
import { auditOf } from "../../services/audit.ts";

const PW = "senha-forte-123";
const config = testConfig();

function ctxOf(db: Db, u: User): StaffCtx {
  return {
    db,
    actor: staffActor(u),
    baseUrl: "http://localhost",
    linkTtlDays: 15,
    providerName: config.provider.name,
    provider: config.provider,
  };
}

async function setup() {
  const db = await testDb();
  await seedIfEmpty(db, {
    ATTENDANT1_PASSWORD: PW,
    ATTENDANT2_PASSWORD: PW,
    SUPERVISOR_PASSWORD: PW,
  });
  const users = await listUsers(db);
  const by = (username: string) => users.find((u) => u.username === username)! as User;
  const att1 = by("atendente1"), att2 = by("atendente2"), sup = by("supervisora");
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  const me = (u: User): Me => ({ id: u.id, name: u.name, role: u.role });
  const claimed = await claimContract(ctxOf(db, att1), due[0].contractId, me(att1));
  const sync = (u: User, ...mutations: unknown[]) =>
    applyMutations(ctxOf(db, u), me(u), { mutations });
  return {
    db,
    att1,
    att2,
    sup,
    due,
    caseId: claimed.id,
    sync,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

const contact = (id: string, caseId: string, baseRev: number, note = "Falei com o cliente.") => ({
  id,
  kind: "contact",
  caseId,
  baseRev,
  fields: { channel: "phone", outcome: "answered", note },
  queuedAt: new Date().toISOString(),
});

Deno.test("offline: the same mutation twice gives the same result and is applied once", async () => {
  await using t = await setup();
  const m = contact("mutation-0001", t.caseId, 1);
  const [first] = await t.sync(t.att1, m);
  assert.deepEqual(first, { id: m.id, status: "applied", caseId: t.caseId, rev: 2 });
  const [again] = await t.sync(t.att1, m);
  assert.deepEqual(again, first);
  assert.equal((await contactLog(t.db, t.caseId)).length, 1);
  assert.equal((await getCase(t.db, t.caseId))!.rev, 2);
  // Two tabs replaying at once still apply it once.
  const m2 = contact("mutation-0002", t.caseId, 2, "Segundo contato.");
  await Promise.all([t.sync(t.att1, m2), t.sync(t.att1, m2)]);
  assert.equal((await contactLog(t.db, t.caseId)).length, 2);
});

Deno.test("offline: a case changed meanwhile is a conflict with both versions", async () => {
  await using t = await setup();
  await recordContact(ctxOf(t.db, t.sup), t.caseId, {
    channel: "whatsapp",
    outcome: "answered",
    note: "A supervisora falou.",
  }, 1);
  const [r] = await t.sync(t.att1, contact("mutation-0010", t.caseId, 1, "Minha nota."));
  assert.equal(r.status, "conflict");
  if (r.status !== "conflict") return;
  assert.equal(r.theirs.rev, 2);
  assert.equal(r.theirs.contacts[0].note, "A supervisora falou.");
  assert.equal(r.theirs.lastChange?.by, t.sup.name);
  assert.equal((await contactLog(t.db, t.caseId)).length, 1, "nothing overwritten");
  // Not final: the same id asks again; "apply mine" is a new id on the current version.
  assert.equal(
    (await t.sync(t.att1, contact("mutation-0010", t.caseId, 1)))[0].status,
    "conflict",
  );
  const [mine] = await t.sync(t.att1, contact("mutation-0011", t.caseId, 2, "Minha nota."));
  assert.equal(mine.status, "applied");
  assert.deepEqual((await contactLog(t.db, t.caseId)).map((e) => e.note), [
    "A supervisora falou.",
    "Minha nota.",
  ]);
});

Deno.test("offline: actions in one batch apply in order; call-backs keep their time", async () => {
  await using t = await setup();
  const at = new Date(Date.now() + 86_400_000).toISOString();
  const results = await t.sync(
    t.att1,
    contact("mutation-0020", t.caseId, 1),
    {
      ...contact("mutation-0021", t.caseId, 2, "Ligar amanhã."),
      fields: { channel: "phone", outcome: "callback", note: "Ligar amanhã.", callbackAt: at },
    },
  );
  assert.deepEqual(results.map((r) => r.status), ["applied", "applied"]);
  const k = (await getCase(t.db, t.caseId))!;
  assert.equal(k.callbackAt, at);
  assert.equal(k.step, "offer");
});

Deno.test("offline: refused actions are rejected with the reason, and stay rejected", async () => {
  await using t = await setup();
  const [other] = await t.sync(t.att2, contact("mutation-0030", t.caseId, 1));
  assert.equal(other.status, "rejected");
  assert.match((other as { message: string }).message, /Este caso está com/);
  const release = { id: "mutation-0031", kind: "release", caseId: t.caseId, baseRev: 1 };
  const [r] = await t.sync(t.att2, release);
  assert.equal(r.status, "rejected");
  assert.match((r as { message: string }).message, /Só quem está com o caso/);
  assert.deepEqual((await t.sync(t.att2, release))[0], r);
  const [link] = await t.sync(t.att1, { id: "mutation-0032", kind: "link", caseId: t.caseId });
  assert.match((link as { message: string }).message, /precisa de conexão/);
  const [norev] = await t.sync(t.att1, {
    ...contact("mutation-0033", t.caseId, 1),
    baseRev: "1",
  });
  assert.match((norev as { message: string }).message, /versão do caso/);
  const [bad] = await t.sync(t.att1, { id: "x", kind: "contact" });
  assert.equal(bad.status, "rejected");
  await assert.rejects(() => applyMutations(ctxOf(t.db, t.att1), t.att1, {}), /de 1 a 50/);
  assert.equal((await contactLog(t.db, t.caseId)).length, 0);
  assert.equal((await getCase(t.db, t.caseId))!.assigneeId, t.att1.id);
});

/** atendente2 claims due[1] offline; the applied result. */
async function claimedByAtt2(t: Awaited<ReturnType<typeof setup>>) {
  const [claim] = await t.sync(t.att2, {
    id: "mutation-0040",
    kind: "claim",
    contractId: t.due[1].contractId,
  });
  return claim as typeof claim & { caseId: string; rev: number };
}

Deno.test("offline: a claim from the due list assigns the case", async () => {
  await using t = await setup();
  const claim = await claimedByAtt2(t);
  assert.equal(claim.status, "applied");
  assert.equal((await getCase(t.db, claim.caseId))!.assigneeId, t.att2.id);
});

Deno.test("offline: a claim of a colleague's case is refused naming them, without their copy", async () => {
  await using t = await setup();
  await claimedByAtt2(t);
  // atendente1 claimed the same contract offline: it is atendente2's now. Need to know: a
  // refusal naming the colleague, never their copy of the case (customer name, phones).
  const [late] = await t.sync(t.att1, {
    id: "mutation-0041",
    kind: "claim",
    contractId: t.due[1].contractId,
  });
  assert.equal(late.status, "rejected");
  assert.equal("theirs" in late, false);
  assert.equal(
    (late as { message: string }).message,
    `Este caso agora está com ${t.att2.name}.`,
  );
});

const releaseOf = (claim: { caseId: string; rev: number }) => ({
  id: "mutation-0042",
  kind: "release",
  caseId: claim.caseId,
  baseRev: claim.rev,
});

Deno.test("offline: a release frees the case", async () => {
  await using t = await setup();
  const claim = await claimedByAtt2(t);
  const [release] = await t.sync(t.att2, releaseOf(claim));
  assert.equal(release.status, "applied");
  assert.equal((await getCase(t.db, claim.caseId))!.assigneeId, undefined);
});

Deno.test("offline: a replayed release gets the stored result, not a conflict", async () => {
  await using t = await setup();
  const claim = await claimedByAtt2(t);
  const [release] = await t.sync(t.att2, releaseOf(claim));
  // Replayed (the answer was lost on a flaky link): the stored result, not a conflict.
  const [replay] = await t.sync(t.att2, releaseOf(claim));
  assert.deepEqual(replay, release);
});

Deno.test("offline: a contact synced hours later says when it happened", async () => {
  await using t = await setup();
  const m = contact("mutation-0050", t.caseId, 1, "Sem sinal no sítio.");
  m.queuedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
  await t.sync(t.att1, m);
  const [e] = await contactLog(t.db, t.caseId);
  assert.match(e.note, /^Sem sinal no sítio\. \[registrado sem conexão em \d\d\/\d\d\/\d{4} /);
});

Deno.test("offline: read models hold what the attendant needs, no token, photo or CPF", async () => {
  await using t = await setup();
  const q = await offlineQueue(t.db, t.att1, 60);
  assert.equal(q.cases.length, 1);
  const row = q.cases[0];
  assert.ok(row.customerName && row.phone && row.stepLabel && row.nextAction);
  assert.ok(q.due.length > 0 && q.due.every((d) => d.contractId !== t.due[0].contractId));
  const c = await offlineCase(t.db, t.caseId);
  assert.equal(c.rev, 1);
  const json = JSON.stringify({ q, c });
  assert.doesNotMatch(json, /"(link|photo|cpf|pii|address|signCode|contractDoc)"/i);
});

Deno.test("offline: a conflict that shows the current case is an audited read", async () => {
  const t = await setup();
  try {
    await recordContact(ctxOf(t.db, t.sup), t.caseId, {
      channel: "whatsapp",
      outcome: "answered",
      note: "A supervisora falou.",
    }, 1);
    const [r] = await t.sync(t.att1, contact("mutation-0020", t.caseId, 1, "Minha nota."));
    assert.equal(r.status, "conflict");
    const reads = await auditOf(t.db, `reads:case:${t.caseId}`);
    assert.deepEqual(reads.map((e) => [e.action, e.actor.id]), [[
      "case.read",
      `user:${t.att1.id}`,
    ]]);
  } finally {
    t.db.kv.close();
  }
});
