// The renewal list as JSON, for the list page when it cannot keep a live stream (it polls).
import { define, STAFF } from "../../../lib/route.ts";
import { queueFor } from "../../../lib/queue_list.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    c.header("cache-control", "no-store");
    return c.json((await queueFor(c, c.req.query())).view);
  },
});
