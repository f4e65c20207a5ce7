// Shared set-up for the in-process renewal route tests: a seeded app, a signed-in attendant,
// a case with a customer link, and a customer form post the way a browser sends it.
import assert from "node:assert/strict";
import { ORIGIN, postForm, signInAs, testApp } from "../helpers.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { listDue } from "../../services/contracts.ts";
import { addDays, todayInBrazil } from "../../services/dates.ts";
import { getCase } from "../../services/renewals/cases.ts";
import { readOutbox } from "../../services/messaging/messages.ts";
import { listPlans } from "../../services/plans.ts";
import type { Db } from "../../services/db.ts";

import { PNG } from "../fixtures/images/mod.ts";
export { PNG };
const PASSWORDS = {
  ATTENDANT1_PASSWORD: "senha-forte-123",
  ATTENDANT2_PASSWORD: "senha-forte-123",
  SUPERVISOR_PASSWORD: "senha-forte-123",
};

export async function setup(over: Record<string, string> = {}, now?: () => Date, path?: string) {
  const t = await testApp(over, now, path);
  await seedIfEmpty(t.db, PASSWORDS);
  const today = todayInBrazil(t.db.now());
  const due = (await listDue(t.db, today, addDays(today, 60))).items;
  const att = await signInAs(t.app, "atendente1");
  return { ...t, due, att };
}

/** Claims a contract and sends the link; returns the case id and the customer's token. */
export async function caseWithLink(t: Awaited<ReturnType<typeof setup>>, i = 0) {
  const claim = await postForm(t.app, "/app/claim", { contractId: t.due[i].contractId }, t.att);
  assert.equal(claim.status, 303);
  const caseId = claim.headers.get("location")!.split("/").pop()!;
  const rev = (await getCase(t.db, caseId))!.rev;
  assert.equal(
    (await postForm(
      t.app,
      `/app/cases/${caseId}/send_link`,
      { rev: String(rev), channel: "whatsapp" },
      t.att,
    )).status,
    303,
  );
  const [msg] = await readOutbox(t.db, 1);
  const token = msg.body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
  return { caseId, token };
}

export function customerPost(
  t: { app: Awaited<ReturnType<typeof setup>>["app"] },
  token: string,
  action: string,
  body: FormData | Record<string, string>,
) {
  const isForm = body instanceof FormData;
  return t.app.request(`/r/${token}/${action}`, {
    method: "POST",
    headers: isForm
      ? { origin: ORIGIN }
      : { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: isForm ? body : new URLSearchParams(body),
  }, { remoteAddr: { hostname: "10.0.0.7" } });
}

/** Walks a case with a link to "holder verified": plan chosen, photo sent and approved. */
export async function toHolderVerified(
  t: Awaited<ReturnType<typeof setup>>,
  caseId: string,
  token: string,
  planIndex = 2,
) {
  const plans = await listPlans(t.db);
  await customerPost(t, token, "choose_plan", { planId: plans[planIndex].id, consent: "on" });
  const fd = new FormData();
  fd.set("photo", new File([PNG], "eu.png", { type: "image/png" }));
  await customerPost(t, token, "upload_photo", fd);
  const rev = String((await getCase(t.db, caseId))!.rev);
  await postForm(t.app, `/app/cases/${caseId}/approve_photo`, { rev }, t.att);
}

/** The same store, counting the calls that go to KV (the real KV answers them). */
export function countingKvCalls(db: Db) {
  const calls: string[] = [];
  const kv = new Proxy(db.kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (!["get", "getMany", "list", "atomic", "set", "delete"].includes(String(prop))) {
        return v.bind(target);
      }
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: { ...db, kv } as Db, calls };
}
