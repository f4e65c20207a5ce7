// One case as JSON (`?id=`), kept in IndexedDB once the attendant opened it. Same access as the
// case page; no photo, link, token or document in it.
import { define, STAFF } from "../../../lib/route.ts";
import { offlineCase } from "../../../services/offline_sync.ts";
import { ValidationError } from "../../../services/errors.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const id = c.req.query("id") ?? "";
    if (!/^[A-Za-z0-9_-]{8,40}$/.test(id)) throw new ValidationError({ id: "Caso inválido." });
    return c.json(await offlineCase(c.get("db"), id));
  },
});
