// The dashboard page's body rendered to HTML from the store: what /app/painel sends inside the
// layout, and what the campaign benchmark times (renderDashboard vs readCounterKeysRaw).
import type { Db } from "../services/db.ts";
import { dashboardData, type Period } from "../services/renewals/dashboard.ts";
import { DashboardPage } from "../components/dashboard/DashboardPage.tsx";
import { renderWithCss } from "./render.tsx";

export { readCounterKeysRaw } from "../services/renewals/dashboard.ts";

export async function renderDashboard(db: Db, period: Period): Promise<string> {
  return renderWithCss(<DashboardPage data={await dashboardData(db, period)} />).html;
}
