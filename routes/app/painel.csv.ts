import { define, MANAGERS } from "../../lib/route.ts";
import { dashboardData, parsePeriod } from "../../services/renewals/dashboard.ts";
import { dashboardCsv } from "../../services/renewals/dashboard_csv.ts";

// The dashboard's figures as CSV; a bad period is a 400 with the pt-BR message (ValidationError).
export default define({
  access: MANAGERS,
  GET: async (c) => {
    const db = c.get("db");
    const p = parsePeriod({ de: c.req.query("de"), ate: c.req.query("ate") }, db.now());
    return c.body(dashboardCsv(await dashboardData(db, p)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="painel-${p.from}-a-${p.to}.csv"`,
    });
  },
});
