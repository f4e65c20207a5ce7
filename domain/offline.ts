// The offline attendant app's shapes, shared by the server (services/offline_sync.ts) and the
// islands that keep them in IndexedDB and replay them (islands/OfflineOutbox.tsx, SyncAgent).
// Pure and browser-safe.

/** Actions that make sense without a connection; the rest (links, photos, plans) need one. */
export const OFFLINE_KINDS = ["contact", "claim", "release"] as const;
export type OfflineKind = typeof OFFLINE_KINDS[number];

export interface OfflineMutation {
  id: string;
  kind: OfflineKind;
  caseId?: string;
  /** A claim from the due list names the contract: it has no case yet. */
  contractId?: string;
  /** The case version the attendant saw when acting. */
  baseRev?: number;
  fields?: { channel?: string; outcome?: string; note?: string; callbackAt?: string };
  /** When the attendant acted (client clock), noted on contacts synced much later. */
  queuedAt?: string;
}

export type MutationResult =
  | { id: string; status: "applied"; caseId: string; rev: number }
  | { id: string; status: "conflict"; message: string; theirs: OfflineCase }
  | { id: string; status: "rejected"; message: string }
  /** The same mutation is being applied by another request right now: ask again later. */
  | { id: string; status: "pending" };

export const MAX_BATCH = 50;

/** What one case looks like on the attendant's phone: no photo, link, token or document. */
export interface OfflineCase {
  id: string;
  rev: number;
  step: string;
  stepLabel: string;
  nextAction: string;
  terminal: boolean;
  assigneeId?: string;
  assigneeName?: string;
  customerName: string;
  phones: string[];
  city: string;
  loyaltyEnd: string;
  planName?: string;
  chosenPlanName?: string;
  failedContacts: number;
  lastContactAt?: string;
  callbackAt?: string;
  updatedAt: string;
  contacts: {
    id: string;
    at: string;
    by: string;
    outcome: string;
    channel: string;
    note: string;
    callbackAt?: string;
  }[];
  /** The latest change: who did what, so a conflict can say what happened. */
  lastChange?: { label: string; by: string; at: string };
}
