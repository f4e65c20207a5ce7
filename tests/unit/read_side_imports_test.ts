// The read side (views.ts, the pages' read models) imports no verb module: reading a case for a
// page can never reach code that changes it, and a verb file can change without touching views.
import assert from "node:assert/strict";

import { denoInfo, ROOT } from "./deno_info.ts";

/** The renewal verbs, one phase per file, and the index modules that re-export them. */
const VERB_MODULES = [
  "staff_actions.ts",
  "customer_actions.ts",
  "assignment.ts",
  "contact.ts",
  "offer.ts",
  "holder_photo.ts",
  "photos.ts",
  "contact_confirmation.ts",
  "plan_change.ts",
  "signature.ts",
  "register.ts",
].map((f) => `services/renewals/${f}`);

/** Every local module `entry` loads, code or types, as paths from the repository root. */
async function localImports(entry: string): Promise<string[]> {
  const modules = await denoInfo(entry);
  return modules.map((m) => m.specifier).filter((s) => s.startsWith(ROOT.href))
    .map((s) => s.slice(ROOT.href.length));
}

Deno.test("views.ts reaches no renewal verb module", async () => {
  const reached = await localImports("services/renewals/views.ts");
  assert.deepEqual(reached.filter((m) => VERB_MODULES.includes(m)), []);
});
