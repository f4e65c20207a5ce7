// The messaging settings and channels in force for one store. Kept per KV handle (not a
// module-level global), so one process could serve several providers, each with its own
// channels; stageMessage() finds them from the db it is given.
import type { Db } from "../db.ts";
import type { Channel } from "./message_types.ts";
import { DEFAULT_SETTINGS, type MessagingSettings } from "./settings.ts";
import { TokenBucket } from "./rate.ts";
import type { MessageChannel } from "./channels/types.ts";
import { emailChannel } from "./channels/email.ts";
import { whatsappChannel } from "./channels/whatsapp.ts";
import { outboxChannel } from "./channels/outbox.ts";

export interface MessagingRuntime {
  settings: MessagingSettings;
  channels: Record<Channel, MessageChannel>;
  buckets: Record<Channel, TokenBucket>;
  /** Set while a dispatcher listens on this store: a second one would split its jobs. */
  dispatcher?: { stop(): Promise<void> };
}

const runtimes = new WeakMap<Deno.Kv, MessagingRuntime>();

function build(settings: MessagingSettings, log?: (line: string) => void): MessagingRuntime {
  // An injected log (tests) always receives the lines; stdout only with OUTBOX_LOG=links.
  const outbox = outboxChannel(log ?? (settings.outboxLog ? (l) => console.log(l) : null));
  return {
    settings,
    // Each channel falls back to the local outbox when its provider is not configured.
    channels: {
      email: settings.email ? emailChannel(settings.email) : outbox,
      whatsapp: settings.whatsapp ? whatsappChannel(settings.whatsapp) : outbox,
    },
    buckets: {
      email: new TokenBucket(settings.rate.email),
      whatsapp: new TokenBucket(settings.rate.whatsapp),
    },
  };
}

/** Sets the settings for this store (startMessaging does it; tests may call it directly). */
export function configureMessaging(
  db: Db,
  settings: Partial<MessagingSettings> = {},
  opts: { log?: (line: string) => void } = {},
): MessagingRuntime {
  const prev = runtimes.get(db.kv);
  const rt = build({ ...DEFAULT_SETTINGS, ...settings }, opts.log);
  rt.dispatcher = prev?.dispatcher;
  runtimes.set(db.kv, rt);
  return rt;
}

/** The runtime of this store; the defaults (local outbox, queues on) when none was set. */
export function runtimeOf(db: Db): MessagingRuntime {
  let rt = runtimes.get(db.kv);
  if (!rt) {
    rt = build(DEFAULT_SETTINGS);
    runtimes.set(db.kv, rt);
  }
  return rt;
}
