// One case as JSON (`?id=`), kept in IndexedDB once the attendant opened it. Same access as the
// case page (need to know: services/renewals/read_access.ts); no photo, link, token or document.
import { define, STAFF } from "../../../lib/route.ts";
import { readOfflineCase } from "../../../services/offline_sync.ts";
import { staffCtx } from "../../../lib/staff.ts";
import { ValidationError } from "../../../services/errors.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const id = c.req.query("id") ?? "";
    if (!/^[A-Za-z0-9_-]{8,40}$/.test(id)) throw new ValidationError({ id: "Caso inválido." });
    return c.json(await readOfflineCase(staffCtx(c), id));
  },
});
