import { define, MANAGERS } from "../../lib/route.ts";
import { page } from "../../lib/render.tsx";
import { dashboardData, parsePeriod } from "../../services/renewals/dashboard.ts";
import { ValidationError } from "../../services/errors.ts";
import { dashboardBody } from "../../lib/dashboard.tsx";

// The body comes rendered (kept by its input's digest, lib/dashboard.tsx); the layout wraps it.
const Body = ({ html }: { html: string }) => <div dangerouslySetInnerHTML={{ __html: html }} />;

// Supervisors and admins only: attendants get 403 (the figures cover every colleague).
export default define({
  access: MANAGERS,
  GET: async (c) => {
    const db = c.get("db");
    const q = { de: c.req.query("de"), ate: c.req.query("ate") };
    try {
      const data = await dashboardData(db, parsePeriod(q, db.now()));
      return page(c, { title: "Painel" }, <Body html={dashboardBody(data).html} />);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // A bad period shows the current month with the message, and nothing else changes.
      const data = await dashboardData(db, parsePeriod({}, db.now()));
      return page(
        c,
        { title: "Painel", status: 400 },
        <Body html={dashboardBody(data, e.fields).html} />,
      );
    }
  },
});
