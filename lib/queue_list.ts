// The staff renewal list for one request: the page, its live stream and its JSON poll build
// it the same way from the same query (filters), so all three show the same rows.
import type { Ctx } from "./route.ts";
import { type ListFilters, queueView, renewalList } from "../services/due_list.ts";

export async function queueFor(c: Ctx, filters: ListFilters) {
  const db = c.get("db");
  const config = c.get("config");
  const list = await renewalList(
    db,
    c.get("user")!,
    filters,
    config.renewalWindowDays,
    config.declineCoolOffDays,
  );
  return { list, view: queueView(list, db.now()) };
}

/** The normalised filters as the query string the island sends back (empty ones left out). */
export function filtersQuery(f: Required<ListFilters>): string {
  return new URLSearchParams(Object.entries(f).filter(([, v]) => v !== "")).toString();
}
