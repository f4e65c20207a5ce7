// Live updates of the staff renewal list (issue #16 item 9): the keys whose change alters a
// viewer's list, and a wait that ends on the first change. The stream (routes/app/events.ts)
// rebuilds and resends the list after each; a page that cannot keep a stream polls instead.
import type { Db } from "./db.ts";
import { keys } from "./keys.ts";
import type { renewalList } from "./due_list.ts";

/** The records whose change alters the list: each listed case, and each due row's open-case
 * marker (a colleague claiming it). Watched by the live stream. */
export function listWatchKeys(list: Awaited<ReturnType<typeof renewalList>>): Deno.KvKey[] {
  return [
    ...list.caseRows.map((r) => keys.case(r.case.id)),
    ...[...list.dueRows, ...list.declinedRows].map((r) => keys.openCaseByContract(r.contractId)),
  ];
}

/**
 * Resolves when one of `watched` changes, after `maxMs` (new cases appear that no watched key
 * announces), or when `signal` aborts. Deno KV watches at most 10 keys per call: one watch per
 * ten, the first emission of each (the current values) skipped.
 */
export async function waitForChange(
  db: Db,
  watched: Deno.KvKey[],
  maxMs: number,
  signal: AbortSignal,
): Promise<void> {
  const readers: ReadableStreamDefaultReader<unknown>[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const changes = [];
    for (let i = 0; i < Math.min(watched.length, 200); i += 10) {
      const reader = db.kv.watch(watched.slice(i, i + 10)).getReader();
      readers.push(reader);
      changes.push((async () => {
        await reader.read(); // the current values
        const { done } = await reader.read();
        if (done) await new Promise(() => {}); // a closed watch never wins the race
      })());
    }
    await Promise.race([
      ...changes,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs);
        signal.addEventListener("abort", () => resolve(), { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    for (const r of readers) r.cancel().catch(() => {});
  }
}
