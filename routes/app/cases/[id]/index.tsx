import { define, STAFF } from "../../../../lib/route.ts";
import { page } from "../../../../lib/render.tsx";
import { CasePage, caseTitle } from "../../../../components/case/CasePage.tsx";
import { loadCase } from "./_load.ts";

export default define({
  access: STAFF,
  GET: async (c) => {
    const data = await loadCase(c, c.req.param("id")!);
    return page(c, { title: caseTitle(data) }, <CasePage {...data} />);
  },
});
