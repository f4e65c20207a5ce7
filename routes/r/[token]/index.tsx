import { define } from "../../../lib/route.ts";
import {
  caseOfToken,
  invalidLinkPage,
  LinkError,
  renderCustomerPage,
} from "../../../lib/customer_page.tsx";

// The customer's personal page: public, opened only by the token in the URL.
export default define({
  access: "public",
  GET: async (c) => {
    try {
      return await renderCustomerPage(c, await caseOfToken(c));
    } catch (e) {
      if (e instanceof LinkError) return invalidLinkPage(c, e.message);
      throw e;
    }
  },
});
