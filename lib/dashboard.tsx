// The dashboard page's body rendered to HTML from the store: what /app/painel sends inside the
// layout, and what the campaign benchmark times (renderDashboard vs readCounterKeysRaw).
//
// The body is a pure function of the period's counter sums (and the form's errors), so it is
// kept by a digest of that input: a supervisor refreshing an unchanged dashboard costs the
// counter reads, not a new Preact + SVG render. Any counter that moved changes the digest.
import { createHash } from "node:crypto";
import type { Db } from "../services/db.ts";
import { type DashboardData, dashboardData, type Period } from "../services/renewals/dashboard.ts";
import { DashboardPage } from "../components/dashboard/DashboardPage.tsx";
import { renderWithCss } from "./render.tsx";

export { readCounterKeysRaw } from "../services/renewals/dashboard.ts";

type Rendered = ReturnType<typeof renderWithCss>;
const rendered = new Map<string, Rendered>();
/** Periods × recent states worth keeping; oldest dropped first. */
const RENDERED_MAX = 64;

/** The body's HTML (and CSS) for this data, rendered once per distinct input. */
export function dashboardBody(data: DashboardData, errors?: Record<string, string>): Rendered {
  const key = createHash("sha256").update(JSON.stringify([data, errors ?? null])).digest("base64");
  let out = rendered.get(key);
  if (!out) {
    out = renderWithCss(<DashboardPage data={data} errors={errors} />);
    if (rendered.size >= RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
    rendered.set(key, out);
  }
  return out;
}

/** Reads the counters and returns the body; `fresh` renders even when the input was seen. */
export async function renderDashboard(db: Db, period: Period, fresh = false): Promise<string> {
  const data = await dashboardData(db, period);
  return fresh ? renderWithCss(<DashboardPage data={data} />).html : dashboardBody(data).html;
}
