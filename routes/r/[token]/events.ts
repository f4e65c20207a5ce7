import { define } from "../../../lib/route.ts";
import { withTokenCase } from "../../../lib/customer_page.tsx";
import { caseEvents } from "../../../lib/sse.ts";

export default define({
  access: "public",
  GET: async (c) => {
    return await withTokenCase(c, (caseId, link) => caseEvents(c, caseId, link));
  },
});
