import { define } from "../../../lib/route.ts";
import { caseOfToken, invalidLinkPage, LinkError } from "../../../lib/customer_page.tsx";
import { caseEvents } from "../../../lib/sse.ts";

export default define({
  access: "public",
  GET: async (c) => {
    try {
      return await caseEvents(c, await caseOfToken(c));
    } catch (e) {
      if (e instanceof LinkError) return invalidLinkPage(c, e.message);
      throw e;
    }
  },
});
