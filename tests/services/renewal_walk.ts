// A seeded :memory: store (with a controllable clock) and one renewal walked through the real
// service verbs, step by step, up to closed (tests/factories.ts). For the retention and
// orphan-file tests.
import { testDb } from "../helpers.ts";
import type { Db } from "../../services/db.ts";
import { seedIfEmpty } from "../../services/seed.ts";
import { claimCase, walkTo } from "../factories.ts";

export { provider } from "../factories.ts";
import { PNG } from "../fixtures/images/mod.ts";
export { PNG };

/** A store whose clock the test moves with `advance(ms)`. */
export async function clockDb(start = Date.parse("2026-06-01T12:00:00Z")) {
  let now = start;
  const db = await testDb(() => new Date(now));
  await seedIfEmpty(db, {});
  return { db, advance: (ms: number) => void (now += ms) };
}

export async function walker(db: Db, i = 0) {
  const h = await claimCase(db, { due: i });
  const steps = {
    /** contact → link → plan chosen */
    toPlanChosen: () => walkTo(h, "plan_chosen"),
    toSignatureSent: () => walkTo(h, "signature_sent"),
    toClosed: () => walkTo(h, "closed"),
  };
  return { id: h.id, ctx: h.ctx, cu: h.cu, env: h.env, steps };
}
