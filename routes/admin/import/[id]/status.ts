// The import's progress as JSON, polled by islands/ImportProgress.tsx.
import { ADMINS, define } from "../../../../lib/route.ts";
import { jobStatus } from "../../../../services/import/jobs.ts";

export default define({
  access: ADMINS,
  GET: async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await jobStatus(c.get("db"), c.req.param("id")!));
  },
});
