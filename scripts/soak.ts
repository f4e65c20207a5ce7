// Crash soak: the real server (main.ts) as a child process on a KV file in a temp dir, with
// stand-in WhatsApp and Resend servers; N renewals driven at once over HTTP as the attendant
// and the customer would, K random `kill -9`s with a restart on the same file (requests cut
// by a kill are sent again, the same form), then the store is checked: renewals lost or
// stuck, duplicate messages, duplicate or unexplained numbers, orphan blobs.
//
//   deno task soak [--renewals 20] [--kills 3] [--seed 1] [--invoices 3]
//
// The last stdout line is one JSON object with the counts; exit 1 when any of them is not 0.
import { parseArgs } from "node:util";
import { openDb } from "../services/db.ts";
import { StandIns } from "./soak/standins.ts";
import { ServerProcess } from "./soak/server.ts";
import { formsTo, Http, sleep } from "./soak/http.ts";
import { driveRenewal, type Outcome } from "./soak/driver.ts";
import { checkInvariants } from "./soak/invariants.ts";
import { seeded } from "./gen.ts"; // the same seeded generator as the data generator

const DATA_KEY = "S".repeat(43);
const PASSWORD = "senha-forte-soak-123";

/** Progress on stderr: stdout ends with the JSON line. */
const log = (m: string) => console.error(`soak: ${m}`);

function freePort() {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

export async function soak(
  opts: { renewals: number; kills: number; seed: number; invoices: number },
) {
  const started = Date.now();
  const rand = seeded(opts.seed);
  const dir = await Deno.makeTempDir({ prefix: "renova-soak-" });
  const kvPath = `${dir}/renova.kv`;
  const standins = new StandIns();
  standins.start();
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = new ServerProcess({
    ...Deno.env.toObject(),
    PORT: String(port),
    APP_ORIGIN: base,
    KV_PATH: kvPath,
    RENOVA_DATA_KEY: DATA_KEY,
    SEED_DEMO: "true",
    ATTENDANT1_PASSWORD: PASSWORD,
    ATTENDANT2_PASSWORD: PASSWORD,
    SUPERVISOR_PASSWORD: PASSWORD,
    ADMIN_PASSWORD: PASSWORD,
    PASSWORD_ITERATIONS: "1000",
    LOG_REQUESTS: "false",
    OUTBOX_LOG: "false",
    WHATSAPP_TOKEN: "soak-token",
    WHATSAPP_PHONE_NUMBER_ID: "100200300",
    WHATSAPP_API_BASE: standins.whatsappUrl,
    RESEND_API_KEY: "re_soak",
    RESEND_BASE_URL: standins.resendUrl,
    QUIET_HOURS: "off",
    QUIET_DAYS: "off",
    MESSAGE_RATE_WHATSAPP: "1000",
    MESSAGE_RATE_EMAIL: "1000",
  }, port);
  let kills = 0;
  let outcomes: Outcome[] = [];
  try {
    await server.start();
    log(`server up in ${Date.now() - started} ms`);
    const staff = new Http(base);
    const login = await staff.post("/login", { username: "atendente1", password: PASSWORD });
    if (login.status !== 303) throw new Error(`login answered ${login.status}`);
    // Fewer invoices per renewal (the admin's billing form): the carnê is the slowest render.
    const admin = new Http(base);
    await admin.post("/login", { username: "admin", password: PASSWORD });
    const [billing] = formsTo((await admin.text("/admin/billing")).html, "/admin/billing");
    const saved = await admin.post("/admin/billing", { ...billing, count: String(opts.invoices) });
    if (saved.status !== 303) throw new Error(`billing settings answered ${saved.status}`);
    const list = await staff.text("/app");
    const claims = formsTo(list.html, "/app/claim").slice(0, opts.renewals);
    if (claims.length < opts.renewals) {
      throw new Error(`only ${claims.length} contracts to claim on /app`);
    }
    const photo = await Deno.readFile(new URL("../static/icons/icon-192.png", import.meta.url));
    const progress = { steps: 0 };
    const env = { staff, base, standins, photo, deadlineMs: 150_000, progress };
    const total = claims.length * 11; // contact → closed
    let running = true;
    const drivers = Promise.all(
      claims.map(async (f, i) => {
        await sleep(i * 150); // people do not all click in the same millisecond
        return await driveRenewal(env, f);
      }),
    ).finally(() => (running = false));
    const killer = (async () => {
      // Kill k once about k/(K+1) of all the steps are done, at a random moment around it, so
      // kills land in every phase (claims, PDFs, registers, deliveries).
      for (let k = 0; k < opts.kills && running; k++) {
        const at = total * (k + 1 - 0.5 + rand()) / (opts.kills + 1);
        while (running && progress.steps < at) await sleep(100);
        await sleep(rand() * 1500);
        if (!running) break;
        await server.kill();
        kills++;
        log(`kill ${kills} at ${Date.now() - started} ms`);
        await sleep(rand() * 500);
        await server.start();
      }
    })();
    outcomes = await drivers;
    await killer;
    log(`renewals done at ${Date.now() - started} ms`);
    // Let the queue drain: until no delivery arrives for 3 s (at most 30 s).
    for (let i = 0, seen = -1; i < 30; i++) {
      const n = standins.whatsapp.length + standins.email.length;
      if (n === seen) break;
      seen = n;
      await sleep(3000);
    }
  } finally {
    await server.stop();
    await standins.stop();
  }
  const db = await openDb({ path: kvPath, dataKey: DATA_KEY });
  let inv;
  try {
    inv = await checkInvariants(db, outcomes);
  } finally {
    db.kv.close();
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const dup = standins.duplicates();
  return {
    renewals: opts.renewals,
    kills,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    closed: outcomes.filter((o) => o.final === "closed").length,
    lost: inv.lost,
    stuck: inv.stuck,
    duplicateMessages: dup.total,
    duplicateNumbers: inv.duplicateNumbers,
    unexplainedGaps: inv.unexplainedGaps,
    counterMismatches: inv.counterMismatches,
    orphansBeforeSweep: inv.orphansBeforeSweep,
    orphanBlobs: inv.orphanBlobs,
    messagesWaiting: inv.messagesWaiting,
    errors: outcomes.filter((o) => o.error).map((o) => `${o.caseId ?? o.contractId}: ${o.error}`),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      renewals: { type: "string", default: "20" },
      kills: { type: "string", default: "3" },
      seed: { type: "string", default: "1" },
      invoices: { type: "string", default: "3" },
    },
  });
  const opts = {
    renewals: Math.max(1, Number(values.renewals) || 20),
    kills: Math.max(0, Number(values.kills) || 0),
    seed: Number(values.seed) || 1,
    invoices: Math.min(24, Math.max(1, Number(values.invoices) || 3)),
  };
  console.log(`soak: ${opts.renewals} renewals, ${opts.kills} kills, seed ${opts.seed}`);
  const r = await soak(opts);
  for (const e of r.errors) console.log(`  ${e}`);
  console.log(JSON.stringify(r));
  const bad = r.lost + r.stuck + r.duplicateMessages + r.duplicateNumbers + r.unexplainedGaps +
    r.orphanBlobs + r.counterMismatches;
  Deno.exit(bad ? 1 : 0);
}
