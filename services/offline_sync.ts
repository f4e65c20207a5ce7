// The attendant app offline: read models small enough for the browser's IndexedDB, and the
// replay of the actions an attendant took without a connection (their outbox). Each action
// carries a client mutation id and the case version (`rev`) the attendant saw. It is applied
// at most once (a KV record per mutation id holds its result) and only on that version: if the
// case changed meanwhile the answer is a conflict with the current version, never an overwrite.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import { AppError, NotFoundError, ValidationError } from "./errors.ts";
import type { AuditEvent } from "./audit.ts";
import { getCustomer } from "./customers.ts";
import { listPlans } from "./plans.ts";
import { renewalList } from "./due_list.ts";
import { type Assignee, getCase, openCaseOfContract } from "./renewals/cases.ts";
import {
  claimCase,
  claimContract,
  contactLog,
  recordContact,
  releaseCase,
  type StaffCtx,
} from "./renewals/staff_actions.ts";
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from "../domain/contact.ts";
import { canReadCase, caseForReader, type Reader } from "./renewals/read_access.ts";
import { ACTION_LABELS, isTerminal } from "../domain/steps.ts";
import { STEP_POLICY } from "../domain/policy.ts";
import {
  MAX_BATCH,
  type MutationResult,
  OFFLINE_KINDS,
  type OfflineCase,
  type OfflineKind,
  type OfflineMutation,
} from "../domain/offline.ts";
import { formatDateTime } from "../domain/format.ts";

export interface Me {
  id: string;
  name: string;
  role: string;
}

const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
const PENDING_MS = 60_000;
/** Results are kept long enough for any device to come back online (clean-up only). */
const KEEP_MS = 90 * 24 * 3600_000;

type Stored =
  | { state: "pending"; at: string }
  | { state: "done"; at: string; result: MutationResult };

const EVENT_LABELS: Record<string, string> = {
  "case.opened": "Renovação aberta",
  "case.assigned": "Caso atribuído",
  "case.released": "Caso liberado",
  "link.sent": "Link do cliente enviado",
};

async function lastEvent(db: Db, caseId: string): Promise<AuditEvent | null> {
  for await (
    const e of db.kv.list<string>({ prefix: keys.auditOfSubject(`case:${caseId}`) }, {
      limit: 5,
      reverse: true,
    })
  ) {
    const ev = (await db.kv.get<AuditEvent>(keys.audit(e.value))).value;
    // Viewing the photo is not a change of the case.
    if (ev && ev.action !== "photo.viewed") return ev;
  }
  return null;
}

/** One case for the attendant's device, if they may read it (read_access.ts); audited. */
export async function readOfflineCase(reader: Reader, caseId: string): Promise<OfflineCase> {
  await caseForReader(reader, caseId, "json");
  return offlineCase(reader.db, caseId);
}

export async function offlineCase(db: Db, caseId: string): Promise<OfflineCase> {
  const c = await getCase(db, caseId);
  if (!c) throw new NotFoundError("Caso não encontrado.");
  const [customer, plans, contacts, ev] = await Promise.all([
    getCustomer(db, c.customerId),
    listPlans(db),
    contactLog(db, caseId),
    lastEvent(db, caseId),
  ]);
  const planName = (id?: string) => plans.find((p) => p.id === id)?.name;
  return {
    id: c.id,
    rev: c.rev,
    step: c.step,
    stepLabel: STEP_POLICY[c.step].label,
    nextAction: STEP_POLICY[c.step].next,
    terminal: isTerminal(c.step),
    assigneeId: c.assigneeId,
    assigneeName: c.assigneeName,
    customerName: customer?.name ?? "—",
    phones: customer?.phones ?? [],
    city: c.city,
    loyaltyEnd: c.loyaltyEnd,
    planName: planName(c.currentPlanId),
    chosenPlanName: planName(c.choice?.planId),
    failedContacts: c.failedContacts,
    lastContactAt: c.lastContactAt,
    callbackAt: c.callbackAt,
    updatedAt: c.updatedAt,
    contacts: contacts.slice(-20).reverse().map((e) => ({
      id: e.id,
      at: e.at,
      by: e.by,
      outcome: CONTACT_OUTCOMES[e.outcome] ?? e.outcome,
      channel: CONTACT_CHANNELS[e.channel] ?? e.channel,
      note: e.note,
      callbackAt: e.callbackAt,
    })),
    lastChange: ev
      ? {
        label: ACTION_LABELS[ev.action as keyof typeof ACTION_LABELS] ?? EVENT_LABELS[ev.action] ??
          "Alteração",
        by: ev.actor.name,
        at: ev.at,
      }
      : undefined,
  };
}

/** The attendant's queue (supervisors: every open case) and the first due contracts. */
export async function offlineQueue(db: Db, me: Me, windowDays: number) {
  const list = await renewalList(db, me, {}, windowDays);
  return {
    cases: list.caseRows.map((r) => ({
      id: r.case.id,
      rev: r.case.rev,
      customerName: r.customerName,
      phone: r.phone,
      step: r.case.step,
      stepLabel: r.stepLabel,
      nextAction: r.nextAction,
      lastContactAt: r.case.lastContactAt,
      callbackAt: r.case.callbackAt,
      city: r.case.city,
      planName: r.plan?.name,
      loyaltyEnd: r.case.loyaltyEnd,
      assigneeName: r.case.assigneeName,
    })),
    due: list.dueRows.map((r) => ({
      contractId: r.contractId,
      customerName: r.customerName,
      phone: r.phone,
      city: r.city,
      planName: r.plan?.name,
      loyaltyEnd: r.loyaltyEnd,
    })),
  };
}

function str(v: unknown, max: number): string | undefined {
  return typeof v === "string" ? v.slice(0, max) : undefined;
}

/** Shape checks only; the service verbs validate the content (outcome, call-back time…). */
export function parseMutation(raw: unknown, id: string): OfflineMutation {
  const r = (raw ?? {}) as Record<string, unknown>;
  const kind = r.kind as OfflineKind;
  if (!OFFLINE_KINDS.includes(kind)) {
    throw new ValidationError({ kind: "Esta ação precisa de conexão e não pode ser guardada." });
  }
  const caseId = str(r.caseId, 40);
  const contractId = str(r.contractId, 40);
  const baseRev = typeof r.baseRev === "number" && Number.isInteger(r.baseRev)
    ? r.baseRev
    : undefined;
  if (caseId !== undefined && !ID_RE.test(caseId)) {
    throw new ValidationError({ caseId: "Caso inválido." });
  }
  if (contractId !== undefined && !ID_RE.test(contractId)) {
    throw new ValidationError({ contractId: "Contrato inválido." });
  }
  const needsCase = kind !== "claim" || !contractId;
  if (needsCase && (!caseId || baseRev === undefined)) {
    // Without the version seen, a change could silently overwrite a colleague's.
    throw new ValidationError({ baseRev: "Falta a versão do caso que você viu." });
  }
  const f = (r.fields ?? {}) as Record<string, unknown>;
  return {
    id,
    kind,
    caseId: needsCase ? caseId : undefined,
    contractId: needsCase ? undefined : contractId,
    baseRev,
    fields: {
      channel: str(f.channel, 20),
      outcome: str(f.outcome, 20),
      note: str(f.note, 2000),
      callbackAt: str(f.callbackAt, 40),
    },
    queuedAt: str(r.queuedAt, 40),
  };
}

/** A contact synced long after it happened says when it really happened, in its note. */
function contactInput(m: OfflineMutation, now: Date) {
  const f = m.fields ?? {};
  let note = (f.note ?? "").trim();
  const at = Date.parse(m.queuedAt ?? "");
  if (!isNaN(at) && at < now.getTime() - 5 * 60_000) {
    const tag = `[registrado sem conexão em ${formatDateTime(new Date(at))}]`;
    if (note.length + tag.length < 1000) note = note ? `${note} ${tag}` : tag;
  }
  return { channel: f.channel ?? "", outcome: f.outcome ?? "", note, callbackAt: f.callbackAt };
}

async function run(ctx: StaffCtx, me: Me, m: OfflineMutation) {
  const who: Assignee = { id: me.id, name: me.name };
  if (m.kind === "contact") {
    return (await recordContact(ctx, m.caseId!, contactInput(m, ctx.db.now()), m.baseRev)).case;
  }
  if (m.kind === "claim") {
    return m.caseId
      ? await claimCase(ctx, m.caseId, who, m.baseRev)
      : await claimContract(ctx, m.contractId!, who);
  }
  return await releaseCase(ctx, m.caseId!, who, m.baseRev);
}

/** Turns a refused action into a conflict (the case moved on) or a rejection (it never will). */
async function failure(ctx: StaffCtx, id: string, m: OfflineMutation | null, e: unknown) {
  if (!(e instanceof AppError) || e.status >= 500) throw e;
  const db = ctx.db;
  if (e.status === 409 && m) {
    const caseId = m.caseId ?? (m.contractId ? await openCaseOfContract(db, m.contractId) : null);
    const current = caseId ? await getCase(db, caseId) : null;
    // Need to know: a case now a colleague's is refused, never shown as "their version".
    if (current && !canReadCase(ctx, current, "json")) {
      return {
        id,
        status: "rejected",
        message: `Este caso agora está com ${current.assigneeName ?? "outra pessoa"}.`,
      } satisfies MutationResult;
    }
    if (current && (m.baseRev === undefined || current.rev !== m.baseRev)) {
      return {
        id,
        status: "conflict",
        message: "Este caso foi alterado por outra pessoa enquanto você estava sem conexão.",
        theirs: await readOfflineCase(ctx, current.id), // a read of personal data: audited
      } satisfies MutationResult;
    }
  }
  return { id, status: "rejected", message: e.message } satisfies MutationResult;
}

async function applyOne(ctx: StaffCtx, me: Me, raw: unknown): Promise<MutationResult> {
  const rawId = (raw as { id?: unknown } | null)?.id;
  if (typeof rawId !== "string" || !ID_RE.test(rawId)) {
    return { id: String(rawId ?? "").slice(0, 64), status: "rejected", message: "Ação inválida." };
  }
  const id = rawId;
  const kv = ctx.db.kv;
  const key = keys.offlineMutation(me.id, id);
  const seen = await kv.get<Stored>(key);
  if (seen.value?.state === "done") return seen.value.result;
  const now = ctx.db.now();
  if (
    seen.value?.state === "pending" &&
    now.getTime() - Date.parse(seen.value.at) < PENDING_MS
  ) return { id, status: "pending" };
  // Claim the id first: two tabs replaying the same outbox cannot both apply it. The service
  // verbs commit their own atomic, so the result is written just after; if the process dies in
  // between, the replay meets a newer rev and becomes a visible conflict, never a double apply.
  const claimed = await kv.atomic().check(seen)
    .set(key, { state: "pending", at: now.toISOString() }, { expireIn: PENDING_MS * 10 })
    .commit();
  if (!claimed.ok) return { id, status: "pending" };
  let m: OfflineMutation | null = null;
  let result: MutationResult;
  try {
    m = parseMutation(raw, id);
    const k = await run(ctx, me, m);
    result = { id, status: "applied", caseId: k.id, rev: k.rev };
  } catch (e) {
    try {
      result = await failure(ctx, id, m, e);
    } catch (fatal) {
      await kv.delete(key); // let a later replay try again
      throw fatal;
    }
  }
  if (result.status === "conflict") {
    // Not final: the attendant chooses, and "apply mine" is sent as a new mutation.
    await kv.delete(key);
  } else {
    await kv.set(key, { state: "done", at: now.toISOString(), result }, { expireIn: KEEP_MS });
  }
  return result;
}

/** Applies a batch in order (a later action may build on an earlier one of the same case). */
export async function applyMutations(
  ctx: StaffCtx,
  me: Me,
  body: unknown,
): Promise<MutationResult[]> {
  const list = (body as { mutations?: unknown } | null)?.mutations;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) {
    throw new ValidationError({ mutations: `Envie de 1 a ${MAX_BATCH} ações por vez.` });
  }
  const out: MutationResult[] = [];
  for (const raw of list) out.push(await applyOne(ctx, me, raw));
  return out;
}
