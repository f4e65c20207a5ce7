// Cases at any open step, built through the real verbs (the same ones the routes call), so a
// test starts where its behaviour starts: `await caseAt(db, "holder_verified")`.
// The store is seeded on first use (plans, attendants, due contracts); each call claims the next
// due contract that has no open case, so several cases can share one store.
import type { Db } from "../services/db.ts";
import { seedIfEmpty } from "../services/seed.ts";
import { listDue } from "../services/contracts.ts";
import { listPlans } from "../services/plans.ts";
import { findUserByUsername } from "../services/users.ts";
import { getCustomer } from "../services/customers.ts";
import { getCase, openCaseOfContract, type RenewalCase } from "../services/renewals/cases.ts";
import * as staff from "../services/renewals/staff_actions.ts";
import * as customer from "../services/renewals/customer_actions.ts";
import * as signing from "../services/renewals/signing.ts";
import type { OPEN_STEPS } from "../services/renewals/steps.ts";
import { readOutbox } from "../services/messages.ts";
import { addDays, todayInBrazil } from "../services/dates.ts";
import { loadConfig } from "../app.config.ts";
import { PNG } from "./fixtures/images/mod.ts";

export type OpenStep = typeof OPEN_STEPS[number];
export const provider = loadConfig({}).provider;

/** The open steps in the order the happy path reaches them (photo_rejected is a side road). */
const PATH: readonly OpenStep[] = [
  "contact",
  "offer",
  "plan_chosen",
  "photo_sent",
  "holder_verified",
  "data_confirmed",
  "plan_changed",
  "signature_sent",
  "signed",
  "registered",
  "notified",
];

export interface CaseAtOptions {
  /** Attendant who claims the case (seeded username). */
  attendant?: string;
  /** Index into the active plans of the plan the customer chooses. */
  planIndex?: number;
  /** The due-list position to claim; default: the first without an open case. */
  due?: number;
}

/** The staff context of a seeded attendant, as the routes build it. */
export async function staffCtx(db: Db, username = "atendente1"): Promise<staff.StaffCtx> {
  await seedIfEmpty(db, {});
  const u = (await findUserByUsername(db, username))!;
  return {
    db,
    actor: { id: `user:${u.id}`, name: u.name, ip: "10.0.0.1", userAgent: "Firefox" },
    kind: "staff",
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
}

/** The customer's context for case `id`, as the /r/<token> routes build it. */
export function customerCtx(db: Db, id: string) {
  return {
    db,
    actor: { id: `customer:${id}`, name: "Cliente", ip: "10.0.0.9", userAgent: "Android" },
    provider,
  };
}

/** The token of the newest customer link in the outbox. */
export async function lastLinkToken(db: Db): Promise<string> {
  const [m] = await readOutbox(db, 1);
  return m.body.match(/\/r\/([A-Za-z0-9_-]{43})/)![1];
}

async function nextDueContract(db: Db, index?: number): Promise<string> {
  const today = todayInBrazil(db.now());
  const due = (await listDue(db, today, addDays(today, 60))).items;
  if (index !== undefined) return due[index].contractId;
  for (const d of due) if (!(await openCaseOfContract(db, d.contractId))) return d.contractId;
  throw new Error("caseAt: no due contract without an open case left");
}

/**
 * A case at `step`, walked there by the real verbs: claim, answered contact and link (offer),
 * plan, photo, review, unchanged contacts, plan change, signature, code and signing, register,
 * notify. Returns the case, the contexts that act on it and the customer's link token (from
 * "offer" on).
 */
export async function caseAt(db: Db, step: OpenStep, opts: CaseAtOptions = {}) {
  const ctx = await staffCtx(db, opts.attendant);
  const me = { id: ctx.actor.id.slice("user:".length), name: ctx.actor.name };
  const c0 = await staff.claimContract(ctx, await nextDueContract(db, opts.due), me);
  const id = c0.id;
  const cu = customerCtx(db, id);
  const env = { db, provider, baseUrl: ctx.baseUrl };
  const target = step === "photo_rejected" ? "photo_sent" : step;
  let token: string | undefined;
  const run: Record<OpenStep, () => Promise<unknown>> = {
    contact: async () => {},
    offer: async () => {
      await staff.recordContact(ctx, id, { channel: "phone", outcome: "answered", note: "ok" });
      await staff.sendLink(ctx, id, "whatsapp");
      token = await lastLinkToken(db);
    },
    plan_chosen: async () =>
      await customer.choosePlan(cu, id, (await listPlans(db))[opts.planIndex ?? 2].id, true),
    photo_sent: () =>
      customer.uploadPhoto(cu, id, new File([PNG], "eu.png", { type: "image/png" })),
    photo_rejected: () => staff.reviewPhoto(ctx, id, { approve: false, reason: "Ilegível" }),
    holder_verified: () => staff.reviewPhoto(ctx, id, { approve: true }),
    data_confirmed: async () => {
      const person = (await getCustomer(db, c0.customerId))!;
      await customer.submitContacts(cu, id, person.phones.map((p) => p.slice(2)), person.email);
    },
    plan_changed: () => staff.changePlan(ctx, id),
    signature_sent: () => staff.sendSignature(ctx, id),
    signed: async () => {
      const person = (await getCustomer(db, c0.customerId))!;
      await signing.sendSigningCode(env, cu.actor, id, "whatsapp");
      await signing.signContract(env, cu.actor, id, {
        code: (await readOutbox(db, 1))[0].body.match(/\d{6}/)![0],
        typedName: person.name,
        consent: true,
        documentSha256: (await getCase(db, id))!.contractDoc!.sha256,
        ip: "10.0.0.9",
        userAgent: "Android",
      });
    },
    registered: () => staff.registerSignature(ctx, id),
    notified: () => staff.notifyCustomer(ctx, id),
  };
  for (const s of PATH.slice(0, PATH.indexOf(target) + 1)) await run[s]();
  if (step === "photo_rejected") await run.photo_rejected();
  const c: RenewalCase = (await getCase(db, id))!;
  if (c.step !== step) throw new Error(`caseAt: wanted ${step}, got ${c.step}`);
  return { id, case: c, customerId: c.customerId, contractId: c.contractId, ctx, cu, env, token };
}
