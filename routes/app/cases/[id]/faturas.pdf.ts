import { define, STAFF } from "../../../../lib/route.ts";
import { getCase } from "../../../../services/renewals/cases.ts";
import { carneOf } from "../../../../services/renewals/carne.ts";
import { NotFoundError } from "../../../../services/errors.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const kase = await getCase(c.get("db"), c.req.param("id")!);
    if (!kase) throw new NotFoundError("Caso não encontrado.");
    const { data } = await carneOf(c.get("db"), kase, c.get("config").provider);
    c.header("Content-Type", "application/pdf");
    c.header("Cache-Control", "no-store, private");
    return c.body(data as Uint8Array<ArrayBuffer>);
  },
});
