// Over 400 lines on purpose: the one module that writes a case row and its indexes (transition,
// updateCase, setAssignee, openCase), so every write follows the same checks and index moves.
// Renewal cases: one customer's renewal from the list to closing. Every step change goes
// through transition(): one atomic with the version check, the new state, the index moves, an
// audit event and the side effects the caller stages (messages, contract, ticket).
import type { SpeedOutcome } from "../network/apply_speed.ts";
import type { Db } from "../db.ts";
import { getManyBatched, listPage } from "../db.ts";
import { keys } from "../keys.ts";
import { stageOpenMark, stageOpenMarkEnd } from "../due_marks.ts";
import { ulid } from "../ulid.ts";
import { blindIndex } from "../crypto.ts";
import {
  addAudit,
  type AuditData,
  type CaseUpdateAction,
  sealAuditText,
  type StepAuditData,
} from "../audit.ts";
import { type Actor, actorKind } from "../../domain/actor.ts";
import { AppError, ConflictError, ForbiddenError, NotFoundError } from "../errors.ts";
import { type Contract, getContract, stageContractUpdate } from "../contracts.ts";
import {
  type Action,
  type ActorKind,
  isTerminal,
  OPEN_STEPS,
  type Step,
} from "../../domain/steps.ts";
import {
  assertCan,
  keepsLinkAfterEnd,
  notAvailableAt,
  PolicyRefusal,
} from "../../domain/policy.ts";
import type { Invoice } from "../invoices.ts";
import type { ContractSection } from "../contract/terms.ts";
import type { PendingCode } from "../codes.ts";
import { openCaseEntry, openCaseRow, sealCase } from "./case_seal.ts";
import { priorSubmission, stageSubmission } from "../submissions.ts";
import { stageDeclineMark } from "./cool_off.ts";
import { stageCounters } from "./counters.ts";
import { stageErpPlanUndo } from "../erp/queue.ts";
import { needsPersonFrom } from "../../domain/person_due.ts";

export interface Photo {
  blobId: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  status: "pending" | "approved" | "rejected";
  reason?: string;
  reviewedBy?: string;
  reviewedAt?: string;
  /** Set when retention deleted the file (LGPD); the record of the check stays. */
  purgedAt?: string;
}

export interface ContractDoc {
  blobId: string;
  sha256: string;
  templateVersion: string;
  renderedAt: string;
  /** The sections the PDF was rendered from, shown as the page's reading view. */
  sections: ContractSection[];
}

export interface RenewalCase {
  id: string;
  rev: number;
  step: Step;
  contractId: string;
  customerId: string;
  city: string;
  loyaltyEnd: string;
  currentPlanId: string;
  origin: "list" | "on_demand" | "campaign";
  /** Opened by a campaign wave's planner (services/campaigns/planner.ts). */
  campaign?: { waveId: string; loyaltyEnd: string };
  assigneeId?: string;
  assigneeName?: string;
  createdAt: string;
  updatedAt: string;
  failedContacts: number;
  lastContactAt?: string;
  callbackAt?: string;
  /** The customer's last inbound message (WhatsApp): the attendant should act on it first. */
  customerReply?: { at: string; text: string };
  choice?: { planId: string; at: string; by: "customer" | "staff"; consent: boolean };
  declined?: { reason: string; at: string; by: string };
  photo?: Photo;
  /** Earlier photos kept as evidence (the last rejected ones), until retention purges them. */
  oldPhotoBlobIds: string[];
  /** Accepted photo uploads: the count ever, and the times of those in the last hour (quota). */
  photoUploads?: { total: number; recent: string[] };
  /** Sealed pending contact change awaiting its codes (see contacts.ts). */
  pendingContacts?: string;
  contactsConfirmedAt?: string;
  planChange?: { at: string; by: string; fromPlanId: string; toPlanId: string };
  /** The contract offered for signature: the exact PDF bytes (blob) and their SHA-256. */
  contractDoc?: ContractDoc;
  /** The pending one-time signing code (hashed). */
  signCode?: PendingCode & { channel: "whatsapp" | "email"; toMasked: string };
  signature?: {
    at: string;
    typedName: string;
    ip: string;
    userAgent: string;
    /** SHA-256 of the PDF shown before signing. */
    documentSha256: string;
    /** The sealed, signed PDF and its SHA-256. */
    signedBlobId?: string;
    finalSha256?: string;
    signatureId?: string;
    drawn?: boolean;
  };
  ticket?: { id: string; protocol: string };
  renewal?: { loyaltyStart: string; loyaltyEnd: string; nextRenewalDue: string };
  invoices?: Invoice[];
  /** The carnê PDF (all invoices) as an encrypted blob. */
  carneBlobId?: string;
  notifiedAt?: string;
  /** How the new speed reached the network at the notify step (services/network/). */
  network?: SpeedOutcome;
  closedAt?: string;
  link?: { hash: string; gen: number; issuedAt: string; expiresAt: string };
  /** When the customer last asked for a new link from an expired link's page. */
  linkRequestedAt?: string;
  lastAction?: { action: Action; fingerprint: string; at: string };
}

/** What the step and assignee indexes hold: enough for a list row without the full case. */
interface CaseSummary {
  customerId: string;
  assigneeId?: string;
  city: string;
  loyaltyEnd: string;
}

function summary(c: RenewalCase): CaseSummary {
  return {
    customerId: c.customerId,
    assigneeId: c.assigneeId,
    city: c.city,
    loyaltyEnd: c.loyaltyEnd,
  };
}

/** A queue index entry's value: the city lets distribution skip cases nobody can take. */
export interface QueueDueEntry {
  caseId: string;
  city: string;
}

/** The case's entry in the queue index: open, nobody holds it, and from when it needs a person. */
function queueDueKey(c: RenewalCase): Deno.KvKey | null {
  if (c.assigneeId) return null;
  const at = needsPersonFrom(c);
  return at ? keys.queueDue(at, c.id) : null;
}

/**
 * Moves the case's queue index entry (keys.queueDue) from `prev` to `next` in the atomic that
 * writes `next`: every case write goes through here, so handing out the queues lists the
 * entries due by now instead of reading every open case.
 */
export function stageQueueDue(
  op: Deno.AtomicOperation,
  prev: RenewalCase | null,
  next: RenewalCase,
): void {
  const from = prev && queueDueKey(prev), to = queueDueKey(next);
  if (from && from.join("\u0000") !== to?.join("\u0000")) op.delete(from);
  if (to) op.set(to, { caseId: next.id, city: next.city } satisfies QueueDueEntry);
}

export class StepError extends AppError {
  override status = 409;
}

/** The step policy's answer (domain/policy.ts) as this layer's errors: 403 or 409. */
function policyCheck(step: Step, action: Action, kind: ActorKind, failed: number): Step {
  try {
    return assertCan(step, action, kind, failed);
  } catch (e) {
    if (!(e instanceof PolicyRefusal)) throw e;
    throw e.reason === "forbidden" ? new ForbiddenError(e.message) : new StepError(e.message);
  }
}

export interface Assignee {
  id: string;
  name: string;
}

/** Opens a case for a contract; at most one open case per contract (unique key checked). */
export async function openCase(
  db: Db,
  input: { contractId: string; assignee?: Assignee; origin: RenewalCase["origin"] },
  actor: Actor,
): Promise<RenewalCase> {
  const prior = await priorSubmission(db, actor);
  if (prior) return (await getCaseEntry(db, prior.caseId)).value;
  const contract = await getContract(db, input.contractId);
  if (!contract || contract.status !== "active") {
    throw new NotFoundError("Contrato não encontrado.");
  }
  const op = db.kv.atomic();
  const c = newCase(db, contract, input);
  op.check({ key: keys.case(c.id), versionstamp: null });
  await stageOpenCase(db, op, c, actor);
  stageSubmission(db, op, actor, { caseId: c.id, action: "case.opened" });
  if (!(await op.commit()).ok) {
    // The same form sent twice at once: the first one opened it.
    const first = await priorSubmission(db, actor);
    if (first) return (await getCaseEntry(db, first.caseId)).value;
    throw new ConflictError(
      "Este contrato já tem uma renovação em andamento (outra pessoa pode tê-la assumido agora).",
    );
  }
  return c;
}

/** A new case at "contact" for an active contract (not yet written). */
export function newCase(
  db: Db,
  contract: Contract,
  input: { assignee?: Assignee; origin: RenewalCase["origin"] },
): RenewalCase {
  const now = db.now().toISOString();
  return {
    id: ulid(),
    rev: 1,
    step: "contact",
    contractId: contract.id,
    customerId: contract.customerId,
    city: contract.city,
    loyaltyEnd: contract.loyaltyEnd,
    currentPlanId: contract.planId,
    origin: input.origin,
    assigneeId: input.assignee?.id,
    assigneeName: input.assignee?.name,
    createdAt: now,
    updatedAt: now,
    failedContacts: 0,
    oldPhotoBlobIds: [],
  };
}

/**
 * Stages the opening of case `c` in `op` (one check: the contract has no open case): the
 * record, its indexes and the audit event. openCase() and the campaign planner (which packs a
 * few contracts per atomic with their idempotency keys and first messages) both go through it.
 * `c` is sealed as it is now: changes after this call are not written.
 *
 * `opensSeen` is for callers that read the contract's openings counter (keys.caseOpens) no
 * later than they read "no open case": checking that versionstamp instead proves nobody opened
 * a case since, and it is the planner's only check per contract (DESIGN's 10-check limit).
 */
export async function stageOpenCase(
  db: Db,
  op: Deno.AtomicOperation,
  c: RenewalCase,
  actor: Actor,
  opensSeen?: { versionstamp: string | null },
): Promise<void> {
  const guard = opensSeen
    ? { key: keys.caseOpens(c.contractId), versionstamp: opensSeen.versionstamp }
    : { key: keys.openCaseByContract(c.contractId), versionstamp: null };
  op.check(guard)
    .set(keys.case(c.id), await sealCase(db, c))
    .set(keys.openCaseByContract(c.contractId), c.id)
    .set(keys.casesByStep(c.step, c.id), summary(c))
    .sum(keys.caseOpens(c.contractId), 1n);
  stageOpenMark(op, c);
  stageQueueDue(op, null, c);
  if (c.assigneeId) op.set(keys.casesByAssignee(c.assigneeId, c.id), summary(c));
  const opened = addAudit(db, op, `case:${c.id}`, "case.opened", actor, {
    origin: c.origin,
    assignee: c.assigneeName,
  });
  await stageCounters(db, op, null, c, opened.at);
}

export async function getCase(db: Db, id: string): Promise<RenewalCase | null> {
  return (await openCaseEntry(db, await db.kv.get<RenewalCase>(keys.case(id)))).value;
}

export async function getCaseEntry(db: Db, id: string): Promise<Deno.KvEntry<RenewalCase>> {
  const e = await openCaseEntry(db, await db.kv.get<RenewalCase>(keys.case(id)));
  if (!e.value) throw new NotFoundError("Caso não encontrado.");
  return e as Deno.KvEntry<RenewalCase>;
}

export async function openCaseOfContract(db: Db, contractId: string): Promise<string | null> {
  return (await db.kv.get<string>(keys.openCaseByContract(contractId))).value;
}

/** Which open case (if any) each contract has, in batches of 10 reads. */
export async function openCasesOfContracts(db: Db, contractIds: string[]) {
  const entries = await getManyBatched<string>(
    db.kv,
    contractIds.map((id) => keys.openCaseByContract(id)),
  );
  return new Map(contractIds.map((id, i) => [id, entries[i].value]));
}

/** Attendants may act on a case only when it is theirs; supervisors and admins on any. */
export function assertMayAct(c: RenewalCase, actor: Actor) {
  if (actorKind(actor) !== "staff") return;
  if (c.assigneeId && `user:${c.assigneeId}` !== actor.id) {
    throw new ForbiddenError(`Este caso está com ${c.assigneeName ?? "outra pessoa"}.`);
  }
  if (!c.assigneeId) {
    throw new ForbiddenError("Assuma o caso antes de agir nele.");
  }
}

export interface TransitionInput<A extends Action = Action> {
  caseId: string;
  action: A;
  /** Who acts; what they may do follows from it (domain/actor.ts actorKind). */
  actor: Actor;
  /** The case version the person saw; a different one means somebody acted meanwhile. */
  rev?: number;
  /**
   * The case as the verb already read it (a case is read once per request); the commit checks
   * its versionstamp, so a change since then is a conflict. Read here when absent.
   */
  entry?: Deno.KvEntry<RenewalCase>;
  /** What was submitted: with rev, it identifies a repeated submission. */
  payload?: Record<string, unknown>;
  /** The verb's own audit fields (the move, from/to, is added). */
  auditData?: StepAuditData[A];
  /** contact_failed with a call-back appointment does not count towards "unreachable". */
  countsAsFailure?: boolean;
  /** Changes the next case and stages side effects in op. May throw ValidationError. */
  apply?: (next: RenewalCase, op: Deno.AtomicOperation, prev: RenewalCase) => Promise<void> | void;
}

export interface TransitionResult {
  case: RenewalCase;
  /** False when this was a repeat of the submission that already moved the case. */
  changed: boolean;
}

type Vetted =
  | { repeat: TransitionResult }
  | { repeat?: undefined; fingerprint: string; failed: number; to: Step };

/**
 * Everything transition() refuses or recognises before it writes: a repeat of the same form
 * (by submission id, or by a keyed fingerprint of action, rev and payload — keyed, since the
 * payload may hold phones), a stale rev (409), an actor who may not act, an illegal move.
 */
async function vet(db: Db, input: TransitionInput, prev: RenewalCase): Promise<Vetted> {
  const fingerprint = (await blindIndex(
    db.crypto.hmac,
    "submission",
    JSON.stringify([input.action, input.rev ?? null, input.payload ?? {}]),
  )).slice(0, 24);
  // The same form sent twice (double click, retry after a timeout) is harmless.
  if (await priorSubmission(db, input.actor, input.caseId)) {
    return { repeat: { case: prev, changed: false } };
  }
  if (prev.lastAction?.fingerprint === fingerprint) {
    return { repeat: { case: prev, changed: false } };
  }
  if (input.rev !== undefined && input.rev !== prev.rev) throw new ConflictError();
  assertMayAct(prev, input.actor);
  const failed = input.action === "contact_failed" && input.countsAsFailure !== false
    ? prev.failedContacts + 1
    : prev.failedContacts;
  const to = policyCheck(prev.step, input.action, actorKind(input.actor), failed);
  return { fingerprint, failed, to };
}

/**
 * What transition() would answer before doing any costly work (decoding a photo): the result
 * of the first submission for a repeat, a thrown refusal, or null when it would go ahead.
 */
export async function vetTransition(
  db: Db,
  input: TransitionInput,
): Promise<TransitionResult | null> {
  const prev = (input.entry ?? await getCaseEntry(db, input.caseId)).value;
  const v = await vet(db, input, prev);
  return v.repeat ?? null;
}

export async function transition<A extends Action>(
  db: Db,
  input: TransitionInput<A>,
): Promise<TransitionResult> {
  const entry = input.entry ?? await getCaseEntry(db, input.caseId);
  const prev = entry.value;
  const v = await vet(db, input, prev);
  if (v.repeat) return v.repeat;
  const { fingerprint, failed, to } = v;
  const now = db.now().toISOString();
  const next: RenewalCase = {
    ...prev,
    step: to,
    rev: prev.rev + 1,
    updatedAt: now,
    failedContacts: failed,
    lastAction: { action: input.action, fingerprint, at: now },
  };
  const op = db.kv.atomic().check(entry);
  await input.apply?.(next, op, prev);
  if (isTerminal(next.step) && prev.planChange && !prev.signature) {
    await stageRevertPlan(db, op, prev);
  }
  op.set(keys.case(next.id), await sealCase(db, next));
  stageQueueDue(op, prev, next);
  if (next.step !== prev.step || next.assigneeId !== prev.assigneeId) {
    op.delete(keys.casesByStep(prev.step, prev.id));
    op.set(keys.casesByStep(next.step, next.id), summary(next));
    if (next.assigneeId) op.set(keys.casesByAssignee(next.assigneeId, next.id), summary(next));
  }
  if (isTerminal(next.step)) {
    op.delete(keys.openCaseByContract(next.contractId));
    stageOpenMarkEnd(op, next);
    // An ended case's link stops working at once, except where the customer still needs it
    // read-only (domain/policy.ts LINK_KEPT_AFTER_END; the verb set how long, links.ts).
    if (next.link && !keepsLinkAfterEnd(next.step)) op.delete(keys.link(next.link.hash));
  }
  if (next.step === "declined") stageDeclineMark(op, next, now);
  const moved = addAudit(
    db,
    op,
    `case:${next.id}`,
    input.action,
    input.actor,
    {
      from: prev.step,
      to: next.step,
      ...await sealAuditText(db, `case:${next.id}`, input.auditData),
    } as AuditData[A],
  );
  // Dashboard sums in the same atomic, dated by the audit event (what a rebuild reads).
  await stageCounters(db, op, prev, next, moved.at);
  stageSubmission(db, op, input.actor, { caseId: next.id, action: input.action });
  if (!(await op.commit()).ok) {
    // Both copies of a double click read the same version; the first one won.
    const now = await getCaseEntry(db, input.caseId);
    if (
      await priorSubmission(db, input.actor, input.caseId) ||
      now.value.lastAction?.fingerprint === fingerprint
    ) {
      return { case: now.value, changed: false };
    }
    throw new ConflictError();
  }
  return { case: next, changed: true };
}

/** A renewal that ends unsigned gives the contract its old plan back. */
async function stageRevertPlan(db: Db, op: Deno.AtomicOperation, prev: RenewalCase) {
  const contract = await db.kv.get<Contract>(keys.contract(prev.contractId));
  if (contract.value && contract.value.planId === prev.planChange!.toPlanId) {
    stageContractUpdate(db, op, contract as Deno.KvEntry<Contract>, {
      ...contract.value,
      planId: prev.planChange!.fromPlanId,
    });
  }
  await stageErpPlanUndo(db, op, prev); // and in the ERP, when the change was sent there
}

/** Assignment changes (claim, assign, release): version-checked, not step moves. */
export async function setAssignee(
  db: Db,
  caseId: string,
  assignee: Assignee | null,
  actor: Actor,
  opts: {
    rev?: number;
    onlyIfFree?: boolean;
    /** The verb's own rule, checked on the case as read here (one read per request). */
    guard?: (c: RenewalCase) => void;
  } = {},
): Promise<RenewalCase> {
  const entry = await getCaseEntry(db, caseId);
  const prev = entry.value;
  if (await priorSubmission(db, actor, caseId)) return prev;
  if (isTerminal(prev.step)) throw new StepError("Este caso já foi encerrado.");
  if (opts.rev !== undefined && opts.rev !== prev.rev) throw new ConflictError();
  if (opts.onlyIfFree && prev.assigneeId && prev.assigneeId !== assignee?.id) {
    throw new ConflictError(`Este caso já está com ${prev.assigneeName}.`);
  }
  opts.guard?.(prev);
  const next: RenewalCase = {
    ...prev,
    rev: prev.rev + 1,
    assigneeId: assignee?.id,
    assigneeName: assignee?.name,
    updatedAt: db.now().toISOString(),
  };
  const op = db.kv.atomic().check(entry).set(keys.case(caseId), await sealCase(db, next))
    .set(keys.casesByStep(next.step, next.id), summary(next));
  stageQueueDue(op, prev, next);
  if (prev.assigneeId) op.delete(keys.casesByAssignee(prev.assigneeId, caseId));
  if (next.assigneeId) op.set(keys.casesByAssignee(next.assigneeId, caseId), summary(next));
  const action = assignee ? "case.assigned" : "case.released";
  addAudit(db, op, `case:${caseId}`, action, actor, { assignee: assignee?.name });
  stageSubmission(db, op, actor, { caseId, action });
  if (!(await op.commit()).ok) {
    if (await priorSubmission(db, actor, caseId)) return (await getCaseEntry(db, caseId)).value;
    throw new ConflictError();
  }
  return next;
}

export async function getCases(db: Db, ids: string[]): Promise<RenewalCase[]> {
  const entries = await getManyBatched<RenewalCase>(db.kv, ids.map((id) => keys.case(id)));
  return await Promise.all(entries.flatMap((e) => (e.value ? [openCaseRow(db, e.value)] : [])));
}

/** Open cases, newest first: of one assignee, or in one step, or all open steps (capped). */
export async function listOpenCases(
  db: Db,
  opts: { assigneeId?: string; step?: Step; cursor?: string; limit?: number },
) {
  const limit = opts.limit ?? 50;
  if (opts.assigneeId || opts.step) {
    const prefix = opts.assigneeId
      ? keys.casesOfAssignee(opts.assigneeId)
      : keys.casesInStep(opts.step!);
    const page = await listPage<CaseSummary>(db.kv, { prefix }, {
      limit,
      cursor: opts.cursor,
      reverse: true,
    });
    let cases = await getCases(db, page.items.map((e) => String(e.key[e.key.length - 1])));
    cases = cases.filter((c) => !isTerminal(c.step) && (!opts.step || c.step === opts.step));
    return { cases, cursor: page.cursor };
  }
  const ids: string[] = [];
  for (const step of OPEN_STEPS) {
    for await (
      const e of db.kv.list({ prefix: keys.casesInStep(step) }, { limit: limit - ids.length })
    ) {
      ids.push(String(e.key[2]));
    }
    if (ids.length >= limit) break;
  }
  const cases = await getCases(db, ids);
  return { cases: cases.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)), cursor: "" };
}

/**
 * A change that does not move the step (a new link, a pending contact change, a contact note):
 * still one atomic with the version check, the rev bump and an audit event.
 */
export async function updateCase<A extends CaseUpdateAction>(
  db: Db,
  input: {
    caseId: string;
    actor: Actor;
    action: A;
    rev?: number;
    auditData?: AuditData[A];
    allowedSteps?: readonly Step[];
    /** False for bookkeeping around a refused form (a wrong code): not the form's result. */
    answersSubmission?: boolean;
    /** The case as the verb already read it; the commit checks its version. */
    entry?: Deno.KvEntry<RenewalCase>;
    apply: (next: RenewalCase, op: Deno.AtomicOperation, prev: RenewalCase) => Promise<void> | void;
  },
): Promise<RenewalCase> {
  const entry = input.entry ?? await getCaseEntry(db, input.caseId);
  const prev = entry.value;
  const remember = input.answersSubmission !== false;
  if (remember && await priorSubmission(db, input.actor, input.caseId)) return prev;
  if (input.rev !== undefined && input.rev !== prev.rev) throw new ConflictError();
  assertMayAct(prev, input.actor);
  if (isTerminal(prev.step) || (input.allowedSteps && !input.allowedSteps.includes(prev.step))) {
    throw new StepError(notAvailableAt(prev.step));
  }
  const next: RenewalCase = { ...prev, rev: prev.rev + 1, updatedAt: db.now().toISOString() };
  const op = db.kv.atomic().check(entry);
  await input.apply(next, op, prev);
  op.set(keys.case(next.id), await sealCase(db, next));
  stageQueueDue(op, prev, next);
  const auditData = await sealAuditText(db, `case:${next.id}`, input.auditData);
  addAudit(db, op, `case:${next.id}`, input.action, input.actor, auditData as AuditData[A]);
  if (remember) stageSubmission(db, op, input.actor, { caseId: next.id, action: input.action });
  if (!(await op.commit()).ok) {
    if (remember && await priorSubmission(db, input.actor, input.caseId)) {
      return (await getCaseEntry(db, input.caseId)).value;
    }
    throw new ConflictError();
  }
  return next;
}
