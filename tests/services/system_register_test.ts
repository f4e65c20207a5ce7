// When Renova registers the signature by itself (in the customer's signing request), the
// customer does not wait for the carnê PDF: its first download renders it.
import assert from "node:assert/strict";
import { testDb } from "../helpers.ts";
import { caseAt, provider, testEnv } from "../factories.ts";
import { registerSignature } from "../../services/renewals/register.ts";
import { systemCtx } from "../../services/renewals/advance.ts";
import { ensureCarne } from "../../services/renewals/carne.ts";
import { getCase } from "../../services/renewals/cases.ts";

Deno.test("system register: the step commits without rendering the carnê; a download renders it", async () => {
  await using db = await testDb();
  const h = await caseAt(db, "signed");
  const r = await registerSignature(systemCtx(testEnv(db)), h.id);
  assert.ok(r.changed);
  const c = (await getCase(db, h.id))!;
  assert.equal(c.step, "registered");
  assert.equal(c.carneBlobId, undefined);
  assert.ok(await ensureCarne(db, h.id, provider), "rendered on demand");
});
