import { define, STAFF } from "../../../../lib/route.ts";
import { staffCtx } from "../../../../lib/staff.ts";
import { viewHolderPhoto } from "../../../../services/renewals/staff_actions.ts";

// The holder photo, decrypted for review: never cached, every view audited.
export default define({
  access: STAFF,
  GET: async (c) => {
    const { data, meta } = await viewHolderPhoto(staffCtx(c), c.req.param("id")!);
    c.header("Content-Type", meta.contentType);
    c.header("Cache-Control", "no-store, private");
    c.header("Content-Disposition", "inline");
    return c.body(data as Uint8Array<ArrayBuffer>);
  },
});
