// The staff renewal list as plain JSON: what the server renders, the live stream sends and the
// list island draws (islands/RenewalQueues.tsx). Only what a row shows; no full case record.

export interface QueueCaseRow {
  id: string;
  name: string;
  step: string;
  stepLabel: string;
  next: string;
  /** The customer wrote after the attendant's last contact. */
  replied: boolean;
  /** The customer asked for a new link from an expired one (Pedir novo link). */
  askedLink: boolean;
  city: string;
  planName: string;
  loyaltyEnd: string;
  daysLeft: number;
  /** Since when the one whose move it is has had it (ISO instant). */
  waitingSince: string;
  assignee?: string;
}

export interface QueueDueRow {
  contractId: string;
  customerId: string;
  name: string;
  phone: string;
  city: string;
  planName: string;
  loyaltyEnd: string;
  daysLeft: number;
  /** A fresh submission id for the row's Assumir form (a double click is one claim). */
  sub: string;
}

export interface QueueDeclinedRow extends Omit<QueueDueRow, "sub"> {
  reason: string;
  declinedAt: string;
  /** First day the customer may be contacted again (YYYY-MM-DD). */
  contactFrom: string;
}

export interface QueueView {
  /** "Minha vez": staff's move (STEP_POLICY turn, or the customer wrote). */
  staff: QueueCaseRow[];
  /** "Aguardando o cliente". */
  customer: QueueCaseRow[];
  due: QueueDueRow[];
  declined: QueueDeclinedRow[];
  /** Whether the due list goes on (cursor for "Mais resultados"). */
  cursor: string;
  /** Whether the case sections / due sections apply with the filters. */
  showCases: boolean;
  showDue: boolean;
  /** When the server built this view (ISO instant). */
  at: string;
}

/** "em 12 dias", "hoje", "há 3 dias": days to the loyalty end. */
export function daysLeftLabel(days: number): string {
  if (days === 0) return "termina hoje";
  if (days === 1) return "termina amanhã";
  if (days > 1) return `termina em ${days} dias`;
  return days === -1 ? "terminou ontem" : `terminou há ${-days} dias`;
}

/** "há 5 min", "há 3 h", "há 2 dias": how long somebody has been waiting. */
export function waitingLabel(since: string, now: string): string {
  const min = Math.max(0, Math.floor((Date.parse(now) - Date.parse(since)) / 60_000));
  if (min < 1) return "há menos de 1 min";
  if (min < 60) return `há ${min} min`;
  if (min < 48 * 60) return `há ${Math.floor(min / 60)} h`;
  return `há ${Math.floor(min / 1440)} dias`;
}
