// Read models for the pages: everything one page needs, gathered in one call, so routes stay
// thin and never touch KV.
import type { Db } from "../db.ts";
import { NotFoundError } from "../errors.ts";
import { getCustomer, type StoredCustomer, unsealCustomer } from "../customers.ts";
import { type Contract, contractsOfCustomer, getContract } from "../contracts.ts";
import { listPlans, type Plan, plansAtStamp } from "../plans.ts";
import { orderPlans } from "../../domain/plan_order.ts";
import { messagesOfCase } from "../messaging/mod.ts";
import { auditOf } from "../audit.ts";
import { getTicket } from "../tickets.ts";
import { keys } from "../keys.ts";
import type { ProviderInfo } from "../contract/terms.ts";
import { openCasesOfContracts, type RenewalCase } from "./cases.ts";
import { auditRead, caseForReader, type Reader } from "./read_access.ts";
import { contactLog } from "./contact_log.ts";
import { openCaseEntry } from "./case_seal.ts";
import { pendingContactsOf } from "./pending_contacts.ts";
import { maskEmail, maskPhone } from "../../domain/format.ts";
import { linkExpired } from "./links.ts";
import type { ErpInvoicesRecord } from "../erp/invoice_record.ts";

/** The staff case page's data, for a reader allowed to see it (read_access.ts); audited. */
export async function staffCaseView(reader: Reader, caseId: string) {
  const db = reader.db;
  const c = await caseForReader(reader, caseId, "page");
  const [customer, contract, plans, contacts, messages, timeline, ticket] = await Promise.all([
    getCustomer(db, c.customerId),
    getContract(db, c.contractId),
    listPlans(db),
    contactLog(db, caseId),
    messagesOfCase(db, caseId),
    auditOf(db, `case:${caseId}`),
    c.ticket ? getTicket(db, c.ticket.id) : null,
  ]);
  if (!customer || !contract) throw new NotFoundError("Cliente ou contrato não encontrado.");
  const byId = new Map(plans.map((p) => [p.id, p]));
  return {
    case: c,
    customer,
    contract,
    plans: plans.filter((p) => p.active),
    currentPlan: byId.get(c.currentPlanId),
    contractPlan: byId.get(contract.planId),
    chosenPlan: c.choice ? byId.get(c.choice.planId) : undefined,
    contacts: contacts.reverse(),
    messages: messages.reverse(),
    timeline: timeline.reverse(),
    ticket: ticket?.value ?? undefined,
    contractDoc: c.contractDoc
      ? { sections: c.contractDoc.sections, hash: c.contractDoc.sha256 }
      : undefined,
    /** The store's clock when read: whether the link is still live is judged against it. */
    now: db.now().toISOString(),
    /** The customer link ran out (the page says "expirado"), by the store's clock. */
    linkExpired: !!c.link && linkExpired(db, c.link.expiresAt),
  };
}

export type StaffCaseView = Awaited<ReturnType<typeof staffCaseView>>;

export async function customerCaseView(
  db: Db,
  caseId: string,
  provider: ProviderInfo,
  /** More keys of this case the caller needs (the payment's): read in the same round trip. */
  alsoKeys: Deno.KvKey[] = [],
) {
  // Two round trips (issue #21): everything keyed by the case id in one getMany (one
  // snapshot), then the customer, whose id is in the case.
  const [caseRow, version, erpEntry, ...also] = await db.kv.getMany([
    keys.case(caseId),
    keys.plansVersion(),
    // ERP_INVOICES=erp: the invoices the ERP issued, or that they are on their way.
    keys.erpInvoices(caseId),
    ...alsoKeys,
  ]);
  const row = caseRow as Deno.KvEntryMaybe<RenewalCase>;
  if (!row.value) throw new NotFoundError("Caso não encontrado.");
  const [ce, se, { plans, stamp: plansStamp, order }] = await Promise.all([
    openCaseEntry(db, row),
    db.kv.get<StoredCustomer>(keys.customer(row.value.customerId)),
    plansAtStamp(db, version.versionstamp),
  ]);
  const c = ce.value!;
  if (!se.value) throw new NotFoundError("Cliente não encontrado.");
  const [customer, pending] = await Promise.all([
    unsealCustomer(db, se.value),
    pendingContactsOf(db, c),
  ]);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const erp = erpEntry as Deno.KvEntryMaybe<ErpInvoicesRecord>;
  return {
    case: c,
    firstName: customer.name.split(" ")[0],
    contacts: { phones: customer.phones, email: customer.email },
    pendingChecks: pending?.checks.map((ch) => ({
      kind: ch.kind,
      masked: ch.kind === "email" ? maskEmail(ch.target) : maskPhone(ch.target),
    })),
    currentPlan: byId.get(c.currentPlanId),
    // In the provider's order (admin setting): by default the nearest upgrade leads.
    plans: orderPlans(plans.filter((p) => p.active), byId.get(c.currentPlanId), order),
    recommendedPlanId: order.recommendedPlanId,
    chosenPlan: c.choice ? byId.get(c.choice.planId) : undefined,
    contractDoc: c.step === "signature_sent" && c.contractDoc
      ? { sections: c.contractDoc.sections, hash: c.contractDoc.sha256 }
      : undefined,
    provider,
    erpInvoices: erp.value ?? undefined,
    /** The entries of `alsoKeys`, in order. */
    also,
    /** What this view was read from, with the stamps it had: the page cache's dependencies. */
    deps: {
      keys: [
        keys.case(caseId),
        keys.customer(c.customerId),
        keys.plansVersion(),
        keys.erpInvoices(caseId),
      ],
      stamps: [ce.versionstamp, se.versionstamp, plansStamp, erp.versionstamp],
    } as { keys: Deno.KvKey[]; stamps: (string | null)[] },
  };
}

export type CustomerCaseView = Awaited<ReturnType<typeof customerCaseView>>;

/**
 * The customer record: any staff member may read it (an attendant looks the customer up when
 * they call first, to start a renewal); each read is audited. Their cases stay need-to-know.
 */
export async function customerRecordView(reader: Reader, customerId: string) {
  const db = reader.db;
  const customer = await getCustomer(db, customerId);
  if (!customer) throw new NotFoundError("Cliente não encontrado.");
  await auditRead(reader, `customer:${customerId}`, "customer", "page");
  const contracts: Contract[] = await contractsOfCustomer(db, customerId);
  const open = await openCasesOfContracts(db, contracts.map((c) => c.id));
  const plans = new Map((await listPlans(db)).map((p) => [p.id, p] as [string, Plan]));
  return {
    customer,
    contracts: contracts.map((c) => ({
      ...c,
      plan: plans.get(c.planId),
      openCaseId: open.get(c.id) ?? null,
    })),
  };
}

/** Live updates: yields the case's rev and step every time the case changes. */
export function watchCase(
  db: Db,
  caseId: string,
): ReadableStream<{ rev: number; step: string } | null> {
  return db.kv.watch<[RenewalCase]>([keys.case(caseId)]).pipeThrough(
    new TransformStream({
      transform([entry], ctrl) {
        ctrl.enqueue(entry.value ? { rev: entry.value.rev, step: entry.value.step } : null);
      },
    }),
  );
}
