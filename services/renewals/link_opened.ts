// The first time a customer opens their personal link: the campaign report's "link aberto"
// and a line in the case history. Written once per case (a check on the key); a small memo
// spares the read on the reloads that follow, so the customer page stays one read lighter.
import type { Db } from "../db.ts";
import { getManyBatched } from "../db.ts";
import { keys } from "../keys.ts";
import { addAudit } from "../audit.ts";
import type { Actor } from "../../domain/actor.ts";

const recorded = new Set<string>();
const MEMO_MAX = 10_000;

export async function recordLinkOpened(db: Db, actor: Actor, caseId: string): Promise<void> {
  if (recorded.has(caseId)) return;
  const key = keys.linkOpened(caseId);
  if (!(await db.kv.get(key)).versionstamp) {
    const op = db.kv.atomic().check({ key, versionstamp: null })
      .set(key, { at: db.now().toISOString() });
    addAudit(db, op, `case:${caseId}`, "link.opened", actor, {});
    await op.commit(); // false: another request of the same customer wrote it first
  }
  if (recorded.size >= MEMO_MAX) recorded.clear();
  recorded.add(caseId);
}

/** Which of these cases had their link opened. */
export async function linksOpened(db: Db, caseIds: string[]): Promise<boolean[]> {
  const rows = await getManyBatched(db.kv, caseIds.map((id) => keys.linkOpened(id)));
  return rows.map((r) => r.versionstamp !== null);
}
