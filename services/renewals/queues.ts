// Work queues: which open cases need a person (a photo to review, a step waiting on staff, a
// customer's reply or a call-back, no answer after the last message, a write to the ERP stopped
// on a conflict), and the rules that hand
// them out: round robin among attendants on shift, by city, under a cap of open cases each.
// Assigning goes through the same setAssignee()/assignContract() the claim and assign verbs
// use (version-checked, audited, one atomic per case).
import type { Db } from "../db.ts";
import { keys } from "../keys.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.ts";
import { addAudit } from "../audit.ts";
import { listUsers, type User } from "../users.ts";
import { type Actor, actorKind } from "../../domain/actor.ts";
import { isTerminal } from "../../domain/steps.ts";
import { STEP_POLICY } from "../../domain/policy.ts";
import { getCases, listOpenCases, type RenewalCase, setAssignee } from "./cases.ts";
import { assignContract } from "./assignment.ts";
import type { StaffCtx } from "./env.ts";
import {
  conflictedIds,
  dueByNow,
  erpConflicts,
  freeCases,
  unassignedOpen,
} from "./queue_sources.ts";

export { backfillQueueDue, type ErpConflictItem, erpConflicts } from "./queue_sources.ts";

export const QUEUES = {
  conflict: "Conflito com o ERP",
  review: "Para revisar",
  call: "Para ligar",
  waiting: "Aguardando o cliente",
  overdue: "Atrasados",
} as const;
export type QueueKind = keyof typeof QUEUES;

/** A step waiting on staff this long is overdue. */
export const STAFF_OVERDUE_MS = 48 * 3600_000;

/**
 * The queue a case belongs to, or null when it has ended. A write to the ERP stopped on a
 * conflict first (`conflicted`: see erpConflicts); then overdue: a call-back whose time
 * passed, a customer's step whose link expired (no answer after the last message or wave), or
 * a staff step untouched for 48 h.
 */
export function queueOf(c: RenewalCase, now: Date, conflicted = false): QueueKind | null {
  if (isTerminal(c.step)) return null;
  if (conflicted) return "conflict";
  const t = now.getTime();
  const turn = STEP_POLICY[c.step].turn;
  if (c.callbackAt && Date.parse(c.callbackAt) <= t) return "overdue";
  if (turn === "customer" && c.link && Date.parse(c.link.expiresAt) <= t) return "overdue";
  if (turn === "staff" && t - Date.parse(c.updatedAt) > STAFF_OVERDUE_MS) return "overdue";
  if (turn === "staff") return "review";
  const replied = c.customerReply && c.customerReply.at > (c.lastContactAt ?? "");
  if (replied || c.callbackAt || (c.step === "contact" && !c.link)) return "call";
  return "waiting";
}

/** Cases that need a person now (everything but "waiting on the customer"). */
export const needsPerson = (c: RenewalCase, now: Date, conflicted = false) => {
  const q = queueOf(c, now, conflicted);
  return q !== null && q !== "waiting";
};

export interface QueueRules {
  /** Most open cases one attendant holds before the rules pass them over. */
  cap: number;
  /** Per attendant: on shift (gets new cases) and the cities they serve (none: any city). */
  attendants: Record<string, { onShift: boolean; cities: string[] }>;
}

export const DEFAULT_RULES: QueueRules = { cap: 40, attendants: {} };

export async function getQueueRules(db: Db): Promise<QueueRules> {
  return (await db.kv.get<QueueRules>(keys.queueRules())).value ?? DEFAULT_RULES;
}

/** Validates the supervisor's form: cap, and per attendant `shift_<id>` and `cities_<id>`. */
export function rulesFromForm(f: Record<string, string>, attendants: User[]): QueueRules {
  const cap = Number(f.cap);
  const errors: Record<string, string> = {};
  if (!/^\d{1,4}$/.test(f.cap ?? "") || cap < 1 || cap > 1000) {
    errors.cap = "Informe um limite entre 1 e 1000 casos abertos.";
  }
  const out: QueueRules = { cap, attendants: {} };
  for (const u of attendants) {
    const cities = (f[`cities_${u.id}`] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (cities.length > 30 || cities.some((c) => c.length > 60)) {
      errors[`cities_${u.id}`] = "Até 30 cidades, separadas por vírgula.";
    }
    out.attendants[u.id] = { onShift: f[`shift_${u.id}`] === "on", cities };
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}

function assertSupervisor(actor: Actor) {
  if (actorKind(actor) !== "supervisor") {
    throw new ForbiddenError("Só a supervisão altera as filas.");
  }
}

export async function saveQueueRules(ctx: StaffCtx, rules: QueueRules) {
  assertSupervisor(ctx.actor);
  const op = ctx.db.kv.atomic().set(keys.queueRules(), rules);
  addAudit(ctx.db, op, "queue_rules", "queue_rules.saved", ctx.actor, {
    cap: rules.cap,
    onShift: Object.values(rules.attendants).filter((a) => a.onShift).length,
  });
  await op.commit();
}

export async function activeAttendants(db: Db): Promise<User[]> {
  return (await listUsers(db)).filter((u) => u.active && u.role === "attendant")
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** An attendant's open cases (the assignee index keeps ended ones: filtered here). */
async function openCasesOf(db: Db, userId: string): Promise<RenewalCase[]> {
  return (await listOpenCases(db, { assigneeId: userId, limit: 1000 })).cases;
}

/**
 * One form that changes many cases cannot be remembered as one submission per case (the
 * submission key takes one change): a repeat of it re-assigns the same cases to the same
 * person, which changes nothing that matters.
 */
function oneFormManyCases(ctx: StaffCtx): StaffCtx {
  return { ...ctx, actor: { ...ctx.actor, submission: undefined } };
}

/** Round robin over eligible attendants, resuming after the last one served. */
class Picker {
  constructor(
    private users: User[],
    private rules: QueueRules,
    private load: Map<string, number>,
    private last: string,
  ) {}
  pick(c: RenewalCase, except?: string): User | null {
    const n = this.users.length;
    const start = this.users.findIndex((u) => u.id > this.last);
    for (let i = 0; i < n; i++) {
      const u = this.users[((start < 0 ? 0 : start) + i) % n];
      const r = this.rules.attendants[u.id];
      if (u.id === except || !r?.onShift) continue;
      if (r.cities.length && !r.cities.some((x) => x.toLowerCase() === c.city.toLowerCase())) {
        continue;
      }
      if ((this.load.get(u.id) ?? 0) >= this.rules.cap) continue;
      this.last = u.id;
      this.load.set(u.id, (this.load.get(u.id) ?? 0) + 1);
      return u;
    }
    return null;
  }
  /** Someone on shift, under the cap, serves this city (what pick() would look for). */
  canTake(city: string): boolean {
    return this.users.some((u) => this.eligible(u, city));
  }
  /** Anyone on shift under the cap at all: when not, a pass can stop reading. */
  anyRoom(): boolean {
    return this.users.some((u) => this.eligible(u));
  }
  private eligible(u: User, city?: string): boolean {
    const r = this.rules.attendants[u.id];
    if (!r?.onShift || (this.load.get(u.id) ?? 0) >= this.rules.cap) return false;
    return city === undefined || !r.cities.length ||
      r.cities.some((x) => x.toLowerCase() === city.toLowerCase());
  }
  get cursor() {
    return this.last;
  }
}

async function picker(db: Db) {
  const [rules, users, cursor] = await Promise.all([
    getQueueRules(db),
    activeAttendants(db),
    db.kv.get<string>(keys.queueCursor()),
  ]);
  const load = new Map<string, number>();
  const open = new Map<string, RenewalCase[]>();
  for (const u of users) {
    const cs = await openCasesOf(db, u.id);
    open.set(u.id, cs);
    load.set(u.id, cs.length);
  }
  return { rules, users, open, p: new Picker(users, rules, load, cursor.value ?? "") };
}

export interface DistributeResult {
  assigned: number;
  /** Cases that need a person but no attendant on shift, in their city, under the cap. */
  waiting: number;
}

/**
 * Hands unassigned cases that need a person to attendants (the rules above), at most `limit`
 * per pass. Run by the supervisor's button or a job, as `actor` (a supervisor or
 * `systemActor("Filas")`). Conflicts first, then the queue index oldest need first; an entry
 * whose city no attendant with room serves is passed over without reading its case (so cases
 * of a city nobody can take now never hold back the others), and the pass stops once nobody
 * has room. A case someone claimed meanwhile is skipped (the claim won).
 */
export async function distributeQueue(db: Db, actor: Actor, limit = 500) {
  const now = db.now();
  const [{ p }, conflicted] = await Promise.all([picker(db), conflictedIds(db)]);
  const r: DistributeResult = { assigned: 0, waiting: 0 };
  const hand = async (ids: string[]) => {
    for (const c of await freeCases(db, ids)) {
      if (r.assigned >= limit) return;
      if (!needsPerson(c, now, conflicted.has(c.id))) continue;
      const u = p.pick(c);
      if (!u) {
        r.waiting++;
        continue;
      }
      try {
        await setAssignee(db, c.id, { id: u.id, name: u.name }, actor, { onlyIfFree: true });
        r.assigned++;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
      }
    }
  };
  await hand([...conflicted]);
  let page: string[] = [];
  for await (const e of dueByNow(db)) {
    if (r.assigned >= limit || !p.anyRoom()) break;
    if (conflicted.has(e.value.caseId)) continue; // handed above
    if (!p.canTake(e.value.city)) {
      r.waiting++;
      continue;
    }
    page.push(e.value.caseId);
    if (page.length >= 100) {
      await hand(page);
      page = [];
    }
  }
  await hand(page);
  await db.kv.set(keys.queueCursor(), p.cursor);
  return r;
}

/** The supervisor's "distribute now" button. */
export async function distributeNow(ctx: StaffCtx) {
  assertSupervisor(ctx.actor);
  return await distributeQueue(ctx.db, oneFormManyCases(ctx).actor);
}

/**
 * Moves the cases that need a person away from attendants off shift or over the cap, to the
 * next eligible colleague. Cases waiting on the customer stay where they are.
 */
export async function rebalanceQueues(form: StaffCtx) {
  assertSupervisor(form.actor);
  const ctx = oneFormManyCases(form);
  const now = ctx.db.now();
  const [{ rules, users, open, p }, conflicted] = await Promise.all([
    picker(ctx.db),
    conflictedIds(ctx.db),
  ]);
  let moved = 0;
  for (const u of users) {
    const mine = open.get(u.id) ?? [];
    const excess = rules.attendants[u.id]?.onShift ? mine.length - rules.cap : mine.length;
    const movable = mine.filter((c) => needsPerson(c, now, conflicted.has(c.id)))
      .slice(0, Math.max(0, excess));
    for (const c of movable) {
      const to = p.pick(c, u.id);
      if (!to) break;
      await assignContract(ctx, c.contractId, to.id);
      moved++;
    }
  }
  await ctx.db.kv.set(keys.queueCursor(), p.cursor);
  return { moved };
}

/** A supervisor hands the chosen cases to one attendant (the assign verb, case by case). */
export async function reassignCases(form: StaffCtx, caseIds: string[], userId: string) {
  assertSupervisor(form.actor);
  const ctx = oneFormManyCases(form);
  if (!caseIds.length) throw new ValidationError({ caseIds: "Selecione ao menos um caso." });
  if (caseIds.length > 200) throw new ValidationError({ caseIds: "Até 200 casos por vez." });
  const cases = await getCases(ctx.db, caseIds);
  const open = cases.filter((c) => !isTerminal(c.step));
  for (const c of open) await assignContract(ctx, c.contractId, userId);
  return { moved: open.length, skipped: caseIds.length - open.length };
}

export interface QueueView {
  counts: Record<QueueKind, number>;
  cases: Record<QueueKind, RenewalCase[]>;
}

/** One attendant's queues: their open cases by queue, with counts. */
export async function queuesOf(
  db: Db,
  userId: string,
  conflicted?: Set<string>,
): Promise<QueueView> {
  const now = db.now();
  const view: QueueView = {
    counts: { conflict: 0, review: 0, call: 0, waiting: 0, overdue: 0 },
    cases: { conflict: [], review: [], call: [], waiting: [], overdue: [] },
  };
  const [mine, stopped] = await Promise.all([
    openCasesOf(db, userId),
    conflicted ?? conflictedIds(db),
  ]);
  for (const c of mine) {
    const q = queueOf(c, now, stopped.has(c.id));
    if (!q) continue;
    view.counts[q]++;
    view.cases[q].push(c);
  }
  return view;
}

/** The team view for supervisors: per attendant counts, and cases needing a person. */
export async function teamQueues(db: Db) {
  const now = db.now();
  const [rules, users, conflicts] = await Promise.all([
    getQueueRules(db),
    activeAttendants(db),
    erpConflicts(db),
  ]);
  const conflicted = new Set(conflicts.map((x) => x.caseId));
  const rows = [];
  const needing: RenewalCase[] = [];
  for (const u of users) {
    const v = await queuesOf(db, u.id, conflicted);
    rows.push({ user: u, counts: v.counts, open: Object.values(v.counts).reduce((s, n) => s + n) });
    for (const q of ["conflict", "overdue", "review", "call"] as const) needing.push(...v.cases[q]);
  }
  const unassigned = (await unassignedOpen(db, 200, conflicted))
    .filter((c) => needsPerson(c, now, conflicted.has(c.id)));
  // Every conflict with its case (ended ones too: the ERP still needs a person to settle it).
  const conflictCases = new Map((await getCases(db, [...conflicted])).map((c) => [c.id, c]));
  const erpStopped = conflicts.map((x) => ({ ...x, case: conflictCases.get(x.caseId) ?? null }));
  return { rules, rows, needing, unassigned, conflicts: erpStopped };
}
