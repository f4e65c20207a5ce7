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
import { OPEN_STEPS } from "../domain/steps.ts";
import { readOutbox } from "../services/messaging/mod.ts";
import { addDays, todayInBrazil } from "../services/dates.ts";
import { declineMarksOf } from "../services/renewals/cool_off.ts";
import { loadConfig } from "../app.config.ts";
import type { RenewalEnv } from "../services/renewals/env.ts";
import { customerActor, staffActor } from "../domain/actor.ts";
import { PNG } from "./fixtures/images/mod.ts";

export type OpenStep = typeof OPEN_STEPS[number];
export const provider = loadConfig({}).provider;

/** The open steps in the order the happy path reaches them (photo_rejected is a side road). */
const PATH: readonly OpenStep[] = OPEN_STEPS.filter((s) => s !== "photo_rejected");

export interface CaseAtOptions {
  /** Attendant who claims the case (seeded username). */
  attendant?: string;
  /** Index into the active plans of the plan the customer chooses. */
  planIndex?: number;
  /** The due-list position to claim; default: the first without an open case. */
  due?: number;
}

/** The renewal environment the routes build once per request (lib/staff.ts renewalEnv). */
export function testEnv(db: Db): RenewalEnv {
  return {
    db,
    baseUrl: "http://renova.test",
    linkTtlDays: 15,
    providerName: provider.name,
    provider,
  };
}

/** The staff context of a seeded user (an attendant by default), as the routes build it. */
export async function staffCtx(db: Db, username = "atendente1"): Promise<staff.StaffCtx> {
  await seedIfEmpty(db, {});
  const u = (await findUserByUsername(db, username))!;
  return { ...testEnv(db), actor: staffActor(u, { ip: "10.0.0.1", userAgent: "Firefox" }) };
}

/** The customer's context for case `id`, as the /r/<token> routes build it. */
export function customerCtx(db: Db, id: string, origin?: { submission?: string }) {
  return {
    ...testEnv(db),
    actor: customerActor(id, { ip: "10.0.0.9", userAgent: "Android", ...origin }),
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
  // Skips contracts with an open case and those that refused recently (cooling off).
  const marks = await declineMarksOf(db, due.map((d) => d.contractId));
  for (const d of due) {
    if (marks.get(d.contractId)) continue;
    if (!(await openCaseOfContract(db, d.contractId))) return d.contractId;
  }
  throw new Error("caseAt: no due contract without an open case left");
}

/** A claimed case and the contexts that act on it; `walkTo` moves it on. */
export interface CaseHandle {
  db: Db;
  id: string;
  customerId: string;
  contractId: string;
  ctx: staff.StaffCtx;
  cu: ReturnType<typeof customerCtx>;
  env: RenewalEnv;
  /** The customer's link token, from "offer" on. */
  token?: string;
  planIndex: number;
}

/** Claims a due contract (the next one without an open case, or `opts.due`): a case at contact. */
export async function claimCase(db: Db, opts: CaseAtOptions = {}): Promise<CaseHandle> {
  const ctx = await staffCtx(db, opts.attendant);
  const me = { id: ctx.actor.userId, name: ctx.actor.name };
  const c = await staff.claimContract(ctx, await nextDueContract(db, opts.due), me);
  return {
    db,
    id: c.id,
    customerId: c.customerId,
    contractId: c.contractId,
    ctx,
    cu: customerCtx(db, c.id),
    env: testEnv(db),
    planIndex: opts.planIndex ?? 2,
  };
}

/** The verb that takes a case into each step (from the step before it on PATH). */
const INTO: Record<OpenStep | "closed", (h: CaseHandle) => Promise<unknown>> = {
  contact: async () => {},
  offer: async (h) => {
    await staff.recordContact(h.ctx, h.id, { channel: "phone", outcome: "answered", note: "ok" });
    await staff.sendLink(h.ctx, h.id, "whatsapp");
    h.token = await lastLinkToken(h.db);
  },
  plan_chosen: async (h) =>
    await customer.choosePlan(h.cu, h.id, (await listPlans(h.db))[h.planIndex].id, true),
  photo_sent: (h) =>
    customer.uploadPhoto(h.cu, h.id, new File([PNG], "eu.png", { type: "image/png" })),
  photo_rejected: (h) => staff.reviewPhoto(h.ctx, h.id, { approve: false, reason: "Ilegível" }),
  holder_verified: (h) => staff.reviewPhoto(h.ctx, h.id, { approve: true }),
  data_confirmed: async (h) => {
    const person = (await getCustomer(h.db, h.customerId))!;
    await customer.submitContacts(h.cu, h.id, person.phones.map((p) => p.slice(2)), person.email);
  },
  plan_changed: (h) => staff.changePlan(h.ctx, h.id),
  signature_sent: (h) => staff.sendSignature(h.ctx, h.id),
  signed: async (h) => {
    const person = (await getCustomer(h.db, h.customerId))!;
    await signing.sendSigningCode(h.cu, h.id, "whatsapp");
    await signing.signContract(h.cu, h.id, {
      code: (await readOutbox(h.db, 5)).find((m) =>
        m.template === "sign_code" && m.caseId === h.id
      )!
        .body.match(/\d{6}/)![0],
      typedName: person.name,
      consent: true,
      documentSha256: (await getCase(h.db, h.id))!.contractDoc!.sha256,
      ip: "10.0.0.9",
      userAgent: "Android",
    });
  },
  registered: (h) => staff.registerSignature(h.ctx, h.id),
  notified: (h) => staff.notifyCustomer(h.ctx, h.id),
  closed: (h) => staff.closeCase(h.ctx, h.id),
};

/**
 * Moves a case on from where it is to `step` (later on the path, or "photo_rejected" from
 * before the review), one real verb per step; returns the case as stored.
 */
export async function walkTo(h: CaseHandle, step: OpenStep | "closed"): Promise<RenewalCase> {
  const path: (OpenStep | "closed")[] = [...PATH, "closed"];
  const now = (await getCase(h.db, h.id))!.step;
  // A rejected photo is followed by a new upload, as after "plan chosen".
  const from = path.indexOf(now === "photo_rejected" ? "plan_chosen" : now as OpenStep);
  const to = path.indexOf(step === "photo_rejected" ? "photo_sent" : step);
  if (from < 0 || to < from) throw new Error(`walkTo: cannot go from ${now} to ${step}`);
  for (const s of path.slice(from + 1, to + 1)) await INTO[s](h);
  if (step === "photo_rejected") await INTO.photo_rejected(h);
  const c = (await getCase(h.db, h.id))!;
  if (c.step !== step) throw new Error(`walkTo: wanted ${step}, got ${c.step}`);
  return c;
}

/**
 * A case at `step`, walked there by the real verbs: claim, answered contact and link (offer),
 * plan, photo, review, unchanged contacts, plan change, signature, code and signing, register,
 * notify. Returns the case, the contexts that act on it and the customer's link token (from
 * "offer" on).
 */
export async function caseAt(db: Db, step: OpenStep, opts: CaseAtOptions = {}) {
  const h = await claimCase(db, opts);
  const c = await walkTo(h, step);
  return { ...h, case: c };
}
