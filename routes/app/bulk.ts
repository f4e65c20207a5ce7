import { define, MANAGERS } from "../../lib/route.ts";
import { readForm } from "../../lib/form.ts";
import { staffCtx } from "../../lib/staff.ts";
import { bulkAssign, bulkRelease } from "../../services/renewals/bulk.ts";
import { getUser } from "../../services/users.ts";

const list = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string =>
    typeof x === "string"
  );

// Supervisors assign or release the cases ticked on the list, one audit event per case;
// attendants get 403 (MANAGERS).
export default define({
  access: MANAGERS,
  POST: async (c) => {
    const f = await readForm(c, { all: true });
    const ctx = staffCtx(c);
    const op = list(f.op)[0];
    const caseIds = list(f.caseId), contractIds = list(f.contractId);
    const r = op === "release"
      ? await bulkRelease(ctx, caseIds)
      : await bulkAssign(ctx, { caseIds, contractIds, userId: list(f.userId)[0] ?? "" });
    const who = op === "release" ? "" : (await getUser(ctx.db, list(f.userId)[0] ?? ""))?.name;
    const done = op === "release"
      ? `${r.done} liberado(s).`
      : `${r.done} atribuído(s) a ${who ?? "—"}.`;
    const failed = r.failed.length
      ? ` ${r.failed.length} não: ${[...new Set(r.failed)].join(" ")}`
      : "";
    return c.redirect(`/app?msg=${encodeURIComponent((done + failed).slice(0, 200))}`, 303);
  },
});
