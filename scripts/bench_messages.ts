// Message delivery benchmark (not a timed test): stages N messages the way the app does
// (stageMessage inside atomics: record + indexes + deliver_message job), then starts the
// dispatcher and measures how fast the KV queue drains them into a local stand-in of the
// provider (Resend's API through the real SDK, or the WhatsApp Graph API). The stand-in counts
// accepted sends per message, so duplicates show up; an optional failure rate makes it answer
// some requests with 500 to exercise retries. Progress on stderr; the last line is JSON.
//
//   deno run -A scripts/bench_messages.ts [--n 10000] [--channel email|whatsapp]
//     [--fail-rate 0] [--batch 50] [--rate 0] [--kv :memory:|path]
import { openDb } from "../services/db.ts";
import { migrate } from "../services/migrations.ts";
import { keys } from "../services/keys.ts";
import {
  configureMessaging,
  type Message,
  stageMessage,
  startMessaging,
} from "../services/messaging/mod.ts";

function arg(name: string, def: string): string {
  const args = Deno.args;
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return def;
  return args[i].includes("=") ? args[i].split("=")[1] : args[i + 1] ?? def;
}

const N = Number(arg("n", "10000"));
const CHANNEL = arg("channel", "email") as "email" | "whatsapp";
const FAIL_RATE = Number(arg("fail-rate", "0"));
const BATCH = Number(arg("batch", "50"));
const RATE = Number(arg("rate", "0"));
const KV = arg("kv", ":memory:");
const log = (s: string) => console.error(s);

// The stand-in: one counter per message (Idempotency-Key for e-mail; the recipient for
// WhatsApp, which has no idempotency key: every message here goes to its own number).
const accepted = new Map<string, number>();
const byKey = new Map<string, string>();
let requests = 0;
let failures = 0;
let done: () => void;
const allIn = new Promise<void>((r) => done = r);
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
  requests++;
  const body = await req.json();
  if (Math.random() < FAIL_RATE) {
    failures++;
    return Response.json({ statusCode: 500, name: "application_error", message: "x" }, {
      status: 500,
    });
  }
  const marker = CHANNEL === "email" ? req.headers.get("idempotency-key")! : String(body.to); // one recipient per message in this benchmark
  if (CHANNEL === "email" && byKey.has(marker)) return Response.json({ id: byKey.get(marker) });
  accepted.set(marker, (accepted.get(marker) ?? 0) + 1);
  if (accepted.size === N) done();
  const id = `${CHANNEL}-${accepted.size}`;
  byKey.set(marker, id);
  return CHANNEL === "email"
    ? Response.json({ id })
    : Response.json({ messaging_product: "whatsapp", messages: [{ id: `wamid.${id}` }] });
});
const standIn = `http://127.0.0.1:${server.addr.port}`;

if (KV !== ":memory:") await Deno.remove(KV).catch(() => {});
const db = await openDb({ path: KV, dataKey: "B".repeat(43) });
await migrate(db);
const settings = {
  outboxLog: false,
  rate: { email: RATE, whatsapp: RATE },
  quiet: { startMin: 0, endMin: 0, days: [], timeZone: "America/Sao_Paulo" },
  backoffMs: [100, 500, 1000, 2000, 5000],
  scanIntervalMs: 3_600_000,
  email: CHANNEL === "email"
    ? { apiKey: "re_bench", baseUrl: standIn, from: "Bench <bench@exemplo.com.br>" }
    : undefined,
  whatsapp: CHANNEL === "whatsapp"
    ? {
      token: "bench",
      phoneNumberId: "1",
      apiBase: standIn,
      templatePrefix: "renova_",
      templateLanguage: "pt_BR",
    }
    : undefined,
};

// The settings are in force before staging, as in the app (main.ts starts messaging before
// serving): each job carries its retry schedule from the moment it is enqueued.
configureMessaging(db, settings);

// Stage: the messages and their jobs, committed in batches like a burst of state changes.
log(`staging ${N} ${CHANNEL} messages (${BATCH} per atomic, KV ${KV})`);
const ids: string[] = [];
const t0 = performance.now();
for (let i = 0; i < N; i += BATCH) {
  const op = db.kv.atomic();
  for (let j = i; j < Math.min(N, i + BATCH); j++) {
    const m = await stageMessage(db, op, {
      caseId: `bench-case-${j % 500}`,
      channel: CHANNEL,
      template: "protocol",
      to: CHANNEL === "email" ? `cliente${j}@exemplo.com.br` : `55119${String(10000000 + j)}`,
      subject: `Protocolo #${j}`,
      body: `Recebemos sua assinatura. O protocolo do seu atendimento é ${
        String(20260000000000 + j)
      } #${j}.`,
    });
    ids.push(m.id);
  }
  const res = await op.commit();
  if (!res.ok) throw new Error("staging commit failed");
}
const stageMs = performance.now() - t0;
log(`staged in ${Math.round(stageMs)} ms; dispatching`);

// Dispatch: the queue drains into the stand-in.
const t1 = performance.now();
const messaging = startMessaging(db, settings);
const progress = setInterval(
  () => log(`  ${accepted.size}/${N} accepted, ${requests} requests`),
  2000,
);
const timeout = setTimeout(() => done(), 600_000);
await allIn;
const dispatchMs = performance.now() - t1;
clearInterval(progress);
clearTimeout(timeout);
// Let late redeliveries (if any) arrive before counting duplicates.
await new Promise((r) => setTimeout(r, 1500));
await messaging.stop();

const statuses: Record<string, number> = {};
for await (const e of db.kv.list<Message>({ prefix: keys.messages() })) {
  statuses[e.value.status] = (statuses[e.value.status] ?? 0) + 1;
}
let due = 0;
for await (const _ of db.kv.list({ prefix: keys.messagesDue() })) due++;
const duplicates = [...accepted.values()].filter((n) => n > 1).length;
db.kv.close();
await server.shutdown();

const result = {
  bench: "messages",
  n: N,
  channel: CHANNEL,
  kv: KV,
  failRate: FAIL_RATE,
  stageMs: Math.round(stageMs),
  stagedPerSecond: Math.round(N / (stageMs / 1000)),
  dispatchMs: Math.round(dispatchMs),
  messagesPerSecond: Math.round(N / (dispatchMs / 1000)),
  requests,
  injectedFailures: failures,
  accepted: accepted.size,
  duplicates,
  statuses,
  dueIndexLeft: due,
  deno: Deno.version.deno,
};
log(
  `${result.messagesPerSecond} messages/s (${result.accepted}/${N} accepted, ${duplicates} duplicates)`,
);
console.log(JSON.stringify(result));
if (duplicates || accepted.size !== N) Deno.exitCode = 1;
