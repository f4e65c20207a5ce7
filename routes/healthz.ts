import { define } from "../lib/route.ts";
import { checkHealth } from "../services/health.ts";

export default define({
  access: "public",
  GET: async (c) => {
    const ok = await checkHealth(c.get("db"));
    return c.json({ ok }, ok ? 200 : 503);
  },
});
