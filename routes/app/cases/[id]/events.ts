import { define, STAFF } from "../../../../lib/route.ts";
import { caseEvents } from "../../../../lib/sse.ts";

export default define({
  access: STAFF,
  GET: (c) => caseEvents(c, c.req.param("id")!),
});
