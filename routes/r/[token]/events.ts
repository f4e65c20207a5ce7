import { define } from "../../../lib/route.ts";
import { withTokenCase } from "./_page.tsx";
import { caseEvents } from "../../_case_events.ts";

export default define({
  access: "public",
  GET: async (c) => {
    return await withTokenCase(c, (caseId, link) => caseEvents(c, caseId, link));
  },
});
