// The one dispatcher: a KV queue listener whose handler is chosen by job type and version,
// plus the periodic scan as a safety net (and as the only path where listenQueue is not
// available: set MESSAGE_QUEUE=false on KV Connect or the newest Deno Deploy).
import type { Db } from "../db.ts";
import type { DeliverJob } from "./messages.ts";
import { configureMessaging } from "./runtime.ts";
import type { MessagingSettings } from "./settings.ts";
import { deliverMessage, scanDueMessages } from "./delivery.ts";
import { type InboundJob, processInbound, scanDueInbound } from "./inbound.ts";

/** With queues on, the scan only takes what the queue should have handled a minute ago. */
export const SCAN_GRACE_MS = 60_000;

type Handler = (db: Db, job: Record<string, unknown>) => Promise<unknown>;

/** Handlers by "type@version". A new version gets a new entry; old jobs keep their handler. */
const HANDLERS: Record<string, Handler> = {
  "deliver_message@1": (db, job) => deliverMessage(db, (job as unknown as DeliverJob).messageId),
  "inbound_whatsapp@1": (db, job) => processInbound(db, (job as unknown as InboundJob).eventId),
};

/** Runs one queue job. Throws when it should be retried (KV then backs off and retries). */
export async function handleJob(db: Db, job: unknown): Promise<void> {
  const j = (job ?? {}) as Record<string, unknown>;
  const handler = HANDLERS[`${j.type}@${j.v}`];
  if (!handler) {
    // Retrying would not help: log and drop.
    console.error(
      JSON.stringify({ level: "error", job: "queue", note: "unknown job", type: j.type, v: j.v }),
    );
    return;
  }
  await handler(db, j);
}

/** One pass of the scan over due messages and inbound events (both never throw per item). */
export async function scanOnce(db: Db, cutoff: Date = db.now()) {
  const [messages, inbound] = await Promise.all([
    scanDueMessages(db, cutoff),
    scanDueInbound(db, cutoff),
  ]);
  return { messages, inbound };
}

export interface Messaging {
  /** Stops the scan and new jobs, then waits for jobs in flight. Never rejects. */
  stop(): Promise<void>;
  /** Runs a scan now (also what the interval does). */
  scan(): Promise<void>;
}

/**
 * Starts delivery for this store: listenQueue (unless settings.queue is false) and the scan
 * every settings.scanIntervalMs. One per store: a second listener would split the jobs.
 * Closing the KV handle ends listenQueue, which stops the rest too.
 */
export function startMessaging(
  db: Db,
  settings: Partial<MessagingSettings> = {},
  opts: { log?: (line: string) => void } = {},
): Messaging {
  const rt = configureMessaging(db, settings, opts);
  if (rt.dispatcher) throw new Error("messaging is already running on this store");
  let stopped = false;
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    inflight.add(p);
    p.then(() => inflight.delete(p), () => inflight.delete(p));
    return p;
  };

  let scanning: Promise<void> | null = null;
  // False when queues are off or listenQueue failed: then the scan is the delivery path.
  let queueUp = rt.settings.queue;
  const scan = () => {
    if (stopped) return Promise.resolve();
    if (scanning) return scanning;
    const grace = queueUp ? SCAN_GRACE_MS : 0;
    scanning = track(
      scanOnce(db, new Date(db.now().getTime() - grace)).then(
        () => {},
        (e) => {
          // A closed store ends the dispatcher; anything else is logged and retried next time.
          if (e instanceof Deno.errors.BadResource || /closed/i.test(String(e))) void stop();
          else {console.error(
              JSON.stringify({ level: "error", job: "messages.scan", error: String(e) }),
            );}
        },
      ).finally(() => {
        scanning = null;
      }),
    );
    return scanning;
  };

  const timer = setInterval(scan, rt.settings.scanIntervalMs);
  Deno.unrefTimer(timer);

  const stop = async () => {
    if (!stopped) {
      stopped = true;
      clearInterval(timer);
      if (rt.dispatcher === dispatcher) rt.dispatcher = undefined;
    }
    await Promise.allSettled([...inflight]);
  };
  const dispatcher = { stop };
  rt.dispatcher = dispatcher;

  if (rt.settings.queue) {
    db.kv.listenQueue((job: unknown) => {
      // Stopping: refuse new work; KV keeps the job and delivers it again later.
      if (stopped) throw new Error("messaging is stopping");
      return track(handleJob(db, job));
    }).then(
      () => stop(), // the store was closed
      (e) => {
        queueUp = false;
        console.error(JSON.stringify({
          level: "error",
          job: "messages",
          note: "listenQueue failed; the scan delivers (set MESSAGE_QUEUE=false here)",
          error: String(e),
        }));
      },
    );
  }
  void scan(); // leftovers from before a restart, and the only path when queues are off
  return { stop, scan };
}
