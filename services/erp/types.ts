// The ERP bridge's one interface: what an adapter (adapters/ixc.ts; SGP, Hubsoft or MK next)
// must do. The bridge core (pull.ts, queue.ts, push.ts) knows nothing of any ERP's API.

/** One joined record as the ERP shows it, in the import's field names (services/import). */
export interface ErpContractRow {
  customerErpId: string;
  contractErpId: string;
  name: string;
  document: string;
  mobile: string;
  phone: string;
  email: string;
  street: string;
  number: string;
  district: string;
  city: string;
  state: string;
  zip: string;
  /** The ERP's sale plan id (mapped to ours through plans_by_erp_id). */
  plan: string;
  startDate: string;
  loyaltyStart: string;
  loyaltyEnd: string;
  status: string;
  /** The ERP's last-change stamp of the contract record. */
  stamp: string;
}

export interface ErpPlanRow {
  erpId: string;
  name: string;
  priceCents?: number;
  stamp: string;
}

export interface ErpLoginRow {
  erpId: string;
  contractErpId: string;
  login: string;
  active: boolean;
  stamp: string;
}

/** What changed since `since` (the per-table stamps of the last pull; empty = everything). */
export interface ErpChanges {
  contracts: ErpContractRow[];
  plans: ErpPlanRow[];
  logins: ErpLoginRow[];
  /** Rows the adapter could not even shape (missing ids…): reason per ERP record. */
  refused: { table: string; erpId: string; reason: string }[];
  /** The newest stamp seen per table, to start the next pull from. */
  since: Record<string, string>;
}

/** The kinds of write-back a renewal produces. */
export type ErpWriteKind =
  | "contract_plan"
  | "contract_renewal"
  | "ticket_open"
  | "ticket_close"
  | "contract_pdf"
  | "invoices"
  /** A cancelled renewal gives the ERP contract its previous plan back. */
  | "contract_plan_undo";

export interface ErpWritePayload {
  contractErpId: string;
  customerErpId?: string;
  /** The ERP's plan id the contract moves to. */
  erpPlanId?: string;
  loyaltyStart?: string;
  loyaltyEnd?: string;
  loyaltyMonths?: number;
  protocol?: string;
  subject?: string;
  /** contract_pdf: the signed file (a blob id; read at send time) and its SHA-256. */
  blobId?: string;
  sha256?: string;
  /** contract_plan_undo: the write it undoes (its `prior` holds the ERP's previous plan). */
  undoOf?: string;
  /** invoices: "renova" registers these in the ERP; "erp" fetches the ERP's own. */
  invoiceMode?: "renova" | "erp";
  invoices?: { seq: number; dueDate: string; amountCents: number; nossoNumero?: string }[];
}

/** One invoice the ERP issued itself (ERP_INVOICES=erp), as fetched for the customer. */
export interface ErpInvoice {
  /** The ERP's id of the invoice (IXC: fn_areceber.id). */
  erpId: string;
  dueDate: string;
  amountCents: number;
  documento?: string;
  /** Linha digitável of the boleto, when the ERP has one. */
  linha?: string;
  /** PIX copia-e-cola, when the ERP has one registered. */
  pix?: string;
  /** The boleto PDF as the ERP renders it. */
  pdf?: Uint8Array;
}

/** An adapter's answer to one write: done now, found already done (a repeat), or refused
 * because the ERP record changed after Renova read it. */
export type ErpApplyResult =
  | {
    outcome: "done";
    stamp?: string;
    note?: string;
    /** invoices in "erp" mode: what the ERP issued, for the customer. */
    invoices?: ErpInvoice[];
    /** contract writes: the fields as they were before this write (to undo it later). */
    prior?: Record<string, string>;
  }
  | { outcome: "already"; stamp?: string; note?: string }
  | { outcome: "conflict"; reason: string; stamp?: string };

export interface ErpApplyInput {
  kind: ErpWriteKind;
  payload: ErpWritePayload;
  /** The record's stamp when Renova decided the write, and after Renova's own last write. */
  baseStamp?: string;
  ownStamp?: string;
  /** Reads a blob (the signed PDF) when the write needs its bytes. */
  readFile: (blobId: string) => Promise<Uint8Array>;
  /** The store's clock (dates the ERP records, e.g. a ticket's closing). */
  now?: Date;
}

export interface ErpAdapter {
  readonly name: string;
  /** Everything changed since the stamps given; `onProgress` after each page read. */
  changes(
    since: Record<string, string>,
    onProgress?: (table: string, read: number, total: number) => void,
  ): Promise<ErpChanges>;
  /** Reads the ERP's current state first, then writes only what is missing. */
  apply(input: ErpApplyInput): Promise<ErpApplyResult>;
}

/** The ERP could not be reached or answered 5xx/timeouts: try again later. */
export class ErpUnavailable extends Error {}
/** The ERP refused the credentials: nothing can work until a person fixes the settings. */
export class ErpAuthError extends Error {}
/** The ERP refused this request (its `type: "error"` answer): retried a few times, then a
 * dead letter with the ERP's message. */
export class ErpRefused extends Error {}
/** What the write needs is not in the ERP yet (its invoices not issued): tried again later,
 * with the same patience as an ERP that is down, without stopping the other writes. */
export class ErpNotYet extends Error {}
