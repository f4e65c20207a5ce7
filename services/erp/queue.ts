// The write-back queue: a renewal step stages its ERP writes in its own atomic (like its
// messages), so a step that commits always has them and one that fails has none. push.ts
// sends them; a person retries the dead ones and settles the conflicts (routes/admin/erp.tsx).
import type { Db } from "../db.ts";
import { commitOrConflict } from "../db.ts";
import { keys } from "../keys.ts";
import { ulid } from "../ulid.ts";
import { addAudit } from "../audit.ts";
import type { Actor } from "../../domain/actor.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getContract } from "../contracts.ts";
import { getCustomer } from "../customers.ts";
import { getPlan } from "../plans.ts";
import type { Invoice } from "../invoices.ts";
import type { ErpWriteKind, ErpWritePayload } from "./types.ts";
import { getErpSwitch, type InvoiceMode } from "./settings.ts";
import { stageErpInvoicesWaiting } from "./invoice_record.ts";

/** "dropped": never sent, and no longer wanted (the renewal ended before it went out). */
export type ErpWriteStatus = "queued" | "done" | "conflict" | "dead" | "dropped";

export interface ErpWrite {
  id: string;
  kind: ErpWriteKind;
  caseId: string;
  contractId: string;
  /** Our plan id (contract writes): its ERP id is looked up when sending, so mapping a plan
   * later and retrying is enough. */
  planId?: string;
  payload: ErpWritePayload;
  /** The ERP record's stamp as Renova had read it when the step was taken. */
  baseStamp?: string;
  /** Sent after this write (the previous one of the same contract) went through. */
  after?: string;
  status: ErpWriteStatus;
  attempts: number;
  nextAt: string;
  lastError?: string;
  result?: string;
  /** When a push first took it (it may have reached the ERP since), and until when it holds
   * it now: a write never claimed was never sent. */
  claimedAt?: string;
  leaseUntil?: string;
  /** Contract writes: the ERP fields as they were before (a cancelled renewal puts them back). */
  prior?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** The parts of a renewal case the hooks read. Structural: renewals/cases.ts calls this module,
 * so it cannot import the case type back (tests/unit/import_graph_test.ts). */
export interface CaseForErp {
  id: string;
  contractId: string;
  customerId: string;
  planChange?: { at: string; fromPlanId: string; toPlanId: string };
  choice?: { planId: string };
  ticket?: { protocol: string };
  renewal?: { loyaltyStart: string; loyaltyEnd: string };
  signature?: { signedBlobId?: string; finalSha256?: string };
  invoices?: Invoice[];
  closedAt?: string;
}

/** What the conflict queue shows of a write stopped on a conflict (keys.caseErpConflict). */
export interface ErpConflictMark {
  kind: ErpWriteKind;
  reason: string;
  at: string;
}

export interface ErpStamp {
  /** As the last pull read it. */
  pulled?: string;
  /** Right after Renova's own last write to it. */
  own?: string;
}

export const ERP_WRITE_LABELS: Record<ErpWriteKind, string> = {
  contract_plan: "Troca de plano no contrato",
  contract_renewal: "Plano, renovação e fidelidade no contrato",
  ticket_open: "Atendimento com o protocolo",
  ticket_close: "Fechamento do atendimento",
  contract_pdf: "Contrato assinado (PDF) anexado",
  invoices: "Faturas",
  contract_plan_undo: "Plano anterior devolvido (renovação encerrada)",
};

/**
 * The renewal hook: stages the ERP writes a step implies into `op` (the step's atomic). A
 * no-op when no ERP is connected or the contract did not come from the ERP. Answers who issues
 * the invoices when this step queued them ("erp": the ERP, so Renova issues none).
 */
export async function stageErpWrites(
  db: Db,
  op: Deno.AtomicOperation,
  prev: CaseForErp,
  next: CaseForErp,
): Promise<InvoiceMode | null> {
  const on = await getErpSwitch(db);
  if (!on) return null;
  const contract = await getContract(db, next.contractId);
  if (!contract?.erpId) return null;
  const base = { contractErpId: contract.erpId };
  const wanted: { kind: ErpWriteKind; planId?: string; payload: ErpWritePayload }[] = [];
  if (next.planChange && next.planChange.at !== prev.planChange?.at) {
    wanted.push({ kind: "contract_plan", planId: next.planChange.toPlanId, payload: base });
  }
  if (next.ticket && !prev.ticket && next.renewal) {
    const [customer, plan] = await Promise.all([
      getCustomer(db, next.customerId),
      next.choice ? getPlan(db, next.choice.planId) : null,
    ]);
    const p: ErpWritePayload = {
      ...base,
      customerErpId: customer?.erpId,
      protocol: next.ticket.protocol,
    };
    wanted.push({
      kind: "contract_renewal",
      planId: plan?.id,
      payload: {
        ...p,
        loyaltyStart: next.renewal.loyaltyStart,
        loyaltyEnd: next.renewal.loyaltyEnd,
        loyaltyMonths: plan?.loyaltyMonths,
      },
    });
    wanted.push({
      kind: "ticket_open",
      payload: { ...p, subject: `Renovação de contrato — ${plan?.name ?? ""} (Renova)` },
    });
    if (next.signature?.signedBlobId) {
      wanted.push({
        kind: "contract_pdf",
        payload: { ...p, blobId: next.signature.signedBlobId, sha256: next.signature.finalSha256 },
      });
    }
    wanted.push({
      kind: "invoices",
      payload: {
        ...p,
        loyaltyStart: next.renewal.loyaltyStart,
        invoiceMode: on.invoices,
        invoices: on.invoices === "renova"
          ? (next.invoices ?? []).map((i) => ({
            seq: i.seq,
            dueDate: i.dueDate,
            amountCents: i.amountCents,
            nossoNumero: i.nossoNumero,
          }))
          : undefined,
      },
    });
  }
  if (next.closedAt && !prev.closedAt && next.ticket) {
    wanted.push({
      kind: "ticket_close",
      payload: { ...base, protocol: next.ticket.protocol },
    });
  }
  if (!wanted.length) return null;
  const [stamp, last] = await db.kv.getMany<[ErpStamp, string]>([
    keys.erpStamp("cliente_contrato", contract.erpId),
    keys.erpLastWrite(contract.erpId),
  ]);
  const now = db.now().toISOString();
  let after = last.value ?? undefined;
  const ids = new Map<ErpWriteKind, string>();
  for (const w of wanted) {
    const write: ErpWrite = {
      id: ulid(),
      kind: w.kind,
      caseId: next.id,
      contractId: contract.id,
      planId: w.planId,
      payload: w.payload,
      baseStamp: stamp.value?.pulled,
      after,
      status: "queued",
      attempts: 0,
      nextAt: now,
      createdAt: now,
      updatedAt: now,
    };
    op.set(keys.erpWrite(write.id), write).set(keys.erpWriteDue(now, write.id), write.id);
    ids.set(w.kind, write.id);
    after = write.id;
  }
  op.set(keys.erpLastWrite(contract.erpId), after!);
  const fetch = ids.get("invoices");
  if (fetch && on.invoices === "erp") stageErpInvoicesWaiting(op, next.id, now, fetch);
  return fetch ? on.invoices : null;
}

/**
 * A renewal that ends unsigned after its plan change (cancelled, declined, expired — the same
 * moment transition() gives the contract its old plan back): the plan change never sent is
 * dropped; one that may have reached the ERP is undone by a write of the previous plan, in the
 * same queue and under the same conflict rule (a contract changed in the ERP after our write is
 * shown as a conflict, not overwritten).
 */
export async function stageErpPlanUndo(
  db: Db,
  op: Deno.AtomicOperation,
  prev: CaseForErp,
): Promise<void> {
  if (!prev.planChange || !(await getErpSwitch(db))) return;
  const contract = await getContract(db, prev.contractId);
  if (!contract?.erpId) return;
  const lastId = (await db.kv.get<string>(keys.erpLastWrite(contract.erpId))).value;
  const entry = lastId ? await getErpWrite(db, lastId) : null;
  const w = entry?.value;
  // Only this case's plan change, and only once.
  if (!entry || !w || w.caseId !== prev.id || w.kind !== "contract_plan") return;
  if (w.status === "dropped") return;
  const now = db.now().toISOString();
  const inFlight = w.status === "queued" && !!w.leaseUntil && w.leaseUntil > now;
  if (!inFlight && w.status !== "done") {
    // Not to be sent any more; the check makes a push that takes it meanwhile a conflict here.
    op.check(entry).delete(keys.erpWriteDue(w.nextAt, w.id)).set(
      keys.erpWrite(w.id),
      {
        ...w,
        status: "dropped",
        result: "Descartado: a renovação foi encerrada antes do envio.",
        updatedAt: now,
      } satisfies ErpWrite,
    );
    if (w.status === "queued" && !w.claimedAt) return; // never handed to the ERP: nothing to undo
  }
  const stamp = (await db.kv.get<ErpStamp>(keys.erpStamp("cliente_contrato", contract.erpId)))
    .value;
  const undo: ErpWrite = {
    id: ulid(),
    kind: "contract_plan_undo",
    caseId: prev.id,
    contractId: contract.id,
    planId: prev.planChange.fromPlanId,
    payload: { contractErpId: contract.erpId, undoOf: w.id },
    baseStamp: stamp?.pulled,
    after: w.id,
    status: "queued",
    attempts: 0,
    nextAt: now,
    createdAt: now,
    updatedAt: now,
  };
  op.set(keys.erpWrite(undo.id), undo).set(keys.erpWriteDue(now, undo.id), undo.id)
    .set(keys.erpLastWrite(contract.erpId), undo.id);
}

export async function getErpWrite(db: Db, id: string) {
  return await db.kv.get<ErpWrite>(keys.erpWrite(id));
}

/** The latest writes (newest first) and counts by status over the same window. */
export async function listErpWrites(db: Db, limit = 200) {
  const items: ErpWrite[] = [];
  const counts: Record<ErpWriteStatus, number> = {
    queued: 0,
    done: 0,
    conflict: 0,
    dead: 0,
    dropped: 0,
  };
  for await (const e of db.kv.list<ErpWrite>({ prefix: keys.erpWrites() }, { reverse: true })) {
    counts[e.value.status]++;
    if (items.length < limit) items.push(e.value);
  }
  return { items, counts };
}

/**
 * A person settles a conflict in the ERP's favour (they looked at both and the ERP's record is
 * right): Renova's write is dropped, nothing is sent, and the contract's later writes go on
 * (each still compares the ERP's record with what Renova last read, so none overwrites it).
 */
export async function keepErpVersion(db: Db, id: string, actor: Actor): Promise<void> {
  const entry = await getErpWrite(db, id);
  if (!entry.value) throw new NotFoundError("Envio ao ERP não encontrado.");
  const w = entry.value;
  if (w.status !== "conflict") {
    throw new ValidationError({ id: "Só um envio em conflito pode ser resolvido assim." });
  }
  const now = db.now().toISOString();
  const op = db.kv.atomic().check(entry).set(
    keys.erpWrite(id),
    {
      ...w,
      status: "dropped",
      result: "Descartado: mantido o que está no ERP.",
      updatedAt: now,
    } satisfies ErpWrite,
  ).delete(keys.caseErpConflict(w.caseId, id));
  addAudit(db, op, `erp_write:${id}`, "erp.write_kept_erp", actor, { kind: w.kind });
  await commitOrConflict(op, "Este envio mudou enquanto você olhava. Recarregue a página.");
}

/**
 * A person sends a dead or conflicting write again. For a conflict this means "send it over
 * the ERP's change" (they looked at both): the stamp comparison is dropped for this write.
 */
export async function retryErpWrite(db: Db, id: string, actor: Actor): Promise<void> {
  const entry = await getErpWrite(db, id);
  if (!entry.value) throw new NotFoundError("Envio ao ERP não encontrado.");
  const w = entry.value;
  if (w.status !== "dead" && w.status !== "conflict") {
    throw new ValidationError({ id: "Este envio não está parado: nada a tentar de novo." });
  }
  const now = db.now().toISOString();
  const next: ErpWrite = {
    ...w,
    status: "queued",
    attempts: 0,
    nextAt: now,
    baseStamp: w.status === "conflict" ? undefined : w.baseStamp,
    updatedAt: now,
  };
  const op = db.kv.atomic().check(entry).set(keys.erpWrite(id), next)
    .set(keys.erpWriteDue(now, id), id)
    .delete(keys.caseErpConflict(w.caseId, id)); // settled: out of the conflict queue
  addAudit(db, op, `erp_write:${id}`, "erp.write_retried", actor, {
    kind: w.kind,
    from: w.status,
  });
  await commitOrConflict(op, "Este envio mudou enquanto você olhava. Recarregue a página.");
}
