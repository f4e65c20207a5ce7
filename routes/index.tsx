import { define } from "../lib/route.ts";

// The root sends staff to their console and everybody else to sign in.
export default define({
  access: "public",
  GET: (c) => c.redirect(c.get("user") ? "/app" : "/login"),
});
