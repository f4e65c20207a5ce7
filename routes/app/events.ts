// Server-sent events for the renewal list: the list at once, then again after every change to
// a listed case or a due row (and at least every minute, for cases that appear), with a
// keep-alive comment so proxies do not drop the connection.
import { streamSSE } from "hono/streaming";
import { define, STAFF } from "../../lib/route.ts";
import { queueFor } from "../../lib/queue_list.ts";
import { listWatchKeys, waitForChange } from "../../services/list_live.ts";
import { KEEP_ALIVE_MS } from "../_case_events.ts";

/** Longest wait between two lists (new cases announce themselves through no watched key). */
export const LIST_REFRESH_MS = 60_000;
/**
 * A stream ends after this long and the browser reconnects through the sign-in check again:
 * a session ended elsewhere (sign-out, user deactivated) stops receiving the list soon after.
 */
export const LIST_STREAM_MAX_MS = 5 * 60_000;
/** Changes closer than this are sent as one list (a verb writes a few keys in a row). */
const SETTLE_MS = 300;

export default define({
  access: STAFF,
  GET: (c) => {
    const query = c.req.query();
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      const keepAlive = setInterval(() => {
        stream.write(": ping\n\n").catch(() => stop.abort());
      }, KEEP_ALIVE_MS);
      const ends = Date.now() + LIST_STREAM_MAX_MS;
      try {
        while (!stop.signal.aborted && Date.now() < ends) {
          const { list, view } = await queueFor(c, query);
          await stream.writeSSE({ event: "view", data: JSON.stringify(view) });
          const wait = Math.min(LIST_REFRESH_MS, ends - Date.now());
          await waitForChange(c.get("db"), listWatchKeys(list), wait, stop.signal);
          await new Promise((r) => setTimeout(r, SETTLE_MS));
        }
      } finally {
        clearInterval(keepAlive);
      }
    });
  },
});
