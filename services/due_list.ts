// The renewal list: contracts whose loyalty ends within the window, read from the due index
// (never a scan of all contracts), joined with customers and plans for display.
import type { Db } from "./db.ts";
import { listDue } from "./contracts.ts";
import { getCustomers } from "./customers.ts";
import { listPlans, type Plan } from "./plans.ts";
import { addDays, todayInBrazil } from "./dates.ts";

export interface DueRow {
  contractId: string;
  customerId: string;
  customerName: string;
  phone: string;
  city: string;
  plan?: Plan;
  loyaltyEnd: string;
}

export async function dueListPage(
  db: Db,
  opts: { windowDays: number; cursor?: string; limit?: number },
) {
  const from = todayInBrazil(db.now());
  const to = addDays(from, opts.windowDays);
  const page = await listDue(db, from, to, { cursor: opts.cursor, limit: opts.limit ?? 25 });
  const customers = await getCustomers(db, page.items.map((i) => i.customerId));
  const plans = new Map((await listPlans(db)).map((p) => [p.id, p]));
  const rows: DueRow[] = page.items.map((i) => {
    const cu = customers.get(i.customerId);
    return {
      contractId: i.contractId,
      customerId: i.customerId,
      customerName: cu?.name ?? "—",
      phone: cu?.phones[0] ?? "",
      city: i.city,
      plan: plans.get(i.planId),
      loyaltyEnd: i.loyaltyEnd,
    };
  });
  return { rows, cursor: page.cursor, from, to };
}
