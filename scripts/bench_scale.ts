// Over 400 lines on purpose: one benchmark script whose phases share the generated store and the baselines measured in the same run.
// Scale benchmark: generate N contracts, import them, and measure the due list, a month's
// enumeration and the customer page, each against a raw baseline measured in the same run.
//   deno task bench:scale --contracts N [--seconds 4] [--keep] [--dir DIR] [--store DIR]
// --store DIR keeps the imported store in DIR (with store.json: its data key and the import's
// figures) and, when DIR already holds one, reopens it instead of generating and importing
// again (a 1M import takes 12+ minutes); the import figures are then those of the kept run.
// --store DIR holding DIR/pristine-N/ (the store bench:campaign keeps, scale_store.ts
// importedStore) copies that store into the run's directory (--dir, or a temporary one) and
// reopens the copy: the page measurement claims contracts and sends links, and the kept store
// must stay as imported. The copy is deleted at the end.
// Progress goes to stderr; the last line of stdout is one JSON object (see docs/benchmarks.md).
import { arg, contractsArg } from "./bench/args.ts";
import { cpuMs } from "./bench/cpu.ts";
import { addCeilingRoutes, type Ceiling, ceilingPath, CEILINGS } from "./bench/ceilings.ts";
import { Hono } from "hono";
import { loadConfig } from "../app.config.ts";
import { createApp } from "../lib/app.ts";
import { keys } from "../services/keys.ts";
import { ulid } from "../services/ulid.ts";
import { toBase64Url } from "../services/crypto.ts";
import { staffActor } from "../domain/actor.ts";
import { DEMO_PLANS } from "../services/seed.ts";
import { listDue } from "../services/contracts.ts";
import { getCustomers, sealCustomerPii } from "../services/customers.ts";
import { openCasesOfContracts } from "../services/renewals/cases.ts";
import { renewalList } from "../services/due_list.ts";
import { addDays, addMonths, todayInBrazil } from "../services/dates.ts";
import { claimContract, sendLink } from "../services/renewals/staff_actions.ts";
import { readOutbox } from "../services/messaging/mod.ts";
import {
  copyPristineStore,
  generateErpFile,
  importErpFile,
  openScaleStore,
  pristineStoreOf,
  reopenScaleStore,
  saveScaleStoreMeta,
} from "./bench/scale_store.ts";
import { migrate } from "../services/migrations.ts";
import {
  atomics,
  keyBytes,
  MAX_BYTES,
  MAX_KEY_BYTES,
  MAX_MUTATIONS,
  valueBytes,
} from "../services/import/engine.ts";

const N = contractsArg();
const loadSeconds = Math.min(Math.max(Number(arg("seconds", "4")), 1), 30);
const storeDir = arg("store", "");
// --ceilings: also the uncached page with rendering and compressing free (scripts/bench/ceilings.ts).
const withCeilings = Deno.args.includes("--ceilings");
const pristine = storeDir ? await pristineStoreOf(storeDir, N) : null;
const keep = Deno.args.includes("--keep") || (!!storeDir && !pristine);
const givenDir = (pristine ? "" : storeDir) || arg("dir", "");
const dir = givenDir || await Deno.makeTempDir({ prefix: "renova-bench-" });
if (givenDir) await Deno.mkdir(dir, { recursive: true });
const log = (s: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The raw baseline: the same keys an imported row writes (record, CPF, ERP-id and phone
 * indexes; contract, by-customer, due and ERP-id indexes), values of the same shape and size
 * (a random string as long as a sealed record), no parsing, crypto, lookups or checks, packed
 * into atomics by the import's own limits.
 */
class RawWriter {
  #op: Deno.AtomicOperation;
  #muts = 0;
  #kb = 0;
  #vb = 0;
  atomics = 0;
  constructor(private kv: Deno.Kv) {
    this.#op = kv.atomic();
  }
  async add(row: [Deno.KvKey, unknown][]) {
    let k = 0, v = 0;
    for (const [key, value] of row) k += keyBytes(key), v += valueBytes(value);
    const over = this.#muts + row.length > MAX_MUTATIONS || this.#kb + k > MAX_KEY_BYTES ||
      this.#kb + this.#vb + k + v > MAX_BYTES;
    if (over) await this.flush();
    for (const [key, value] of row) this.#op.set(key, value);
    this.#muts += row.length, this.#kb += k, this.#vb += v;
  }
  async flush() {
    if (!this.#muts) return;
    if (!(await this.#op.commit()).ok) throw new Error("raw commit failed");
    this.atomics++;
    this.#op = this.kv.atomic();
    this.#muts = this.#kb = this.#vb = 0;
  }
}

// Random-looking unique strings without paying for randomness per row (that is not raw work):
// a pooled random prefix, so inserts land all over the index like real HMACs, + a counter.
const rnd = (n: number) => toBase64Url(crypto.getRandomValues(new Uint8Array(n))).slice(0, n);
const POOL = Array.from({ length: 1024 }, () => rnd(32));
const uniq = (i: number, salt: number) =>
  POOL[(i * 7 + salt) & 1023].slice(0, 24) + i.toString(36).padStart(8, "0");
let rawCustomer = "", sealedFiller = "";

function rawRowMutations(i: number, sealedLen: number, planIds: string[]) {
  if (sealedFiller.length !== sealedLen) sealedFiller = rnd(sealedLen);
  const now = new Date().toISOString();
  const cid = ulid();
  const out: [Deno.KvKey, unknown][] = [];
  // The generator gives about 1 customer in 30 a second contract: no customer keys then.
  if (i % 30 !== 29 || !rawCustomer) {
    rawCustomer = ulid();
    const id = rawCustomer;
    out.push([keys.customer(id), {
      id,
      erpId: String(i),
      erpHash: POOL[i & 1023],
      city: "São José dos Campos",
      state: "SP",
      pii: sealedFiller,
      createdAt: now,
      updatedAt: now,
    }]);
    out.push([keys.customerByCpf(uniq(i, 1)), id], [keys.customerByErpId(String(i)), id]);
    out.push([keys.customerByPhone(uniq(i, 2), id), id]);
    if (i % 10 < 3) out.push([keys.customerByPhone(uniq(i, 3), id), id]);
  }
  const planId = planIds[i % 4];
  const end = addDays("2027-01-01", i % 365);
  out.push([keys.contract(cid), {
    id: cid,
    customerId: rawCustomer,
    planId,
    city: "São José dos Campos",
    status: "active",
    startDate: "2024-01-01",
    loyaltyStart: addMonths(end, -12),
    loyaltyEnd: end,
    nextRenewalDue: end,
    erpId: String(100_000 + i),
    erpHash: POOL[i & 1023].slice(0, 11),
    createdAt: now,
    updatedAt: now,
  }]);
  out.push([keys.contractsByCustomer(rawCustomer, cid), cid]);
  out.push([keys.contractsByDue(end, cid), { customerId: rawCustomer, planId, city: "Campinas" }]);
  out.push([keys.contractByErpId(String(100_000 + i)), cid]);
  return out;
}

let peakRss = 0;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
}, 250);

// 1–3. Generate and import, or reopen the store a previous run kept (--store).
if (pristine) {
  log(`copying ${pristine} to ${dir}`);
  await copyPristineStore(pristine, dir);
}
const kept = storeDir ? await reopenScaleStore(dir) : null;
if (pristine) await migrate(kept!.db); // a migration added since the store was kept
const { db, attendant, imported } = kept
  ? { ...kept, imported: kept.meta.imported }
  : await generateAndImport();
if (kept) log(`reopened the kept store in ${dir} (${kept.meta.contracts} contracts)`);
const contracts = kept ? kept.meta.contracts : N;

async function generateAndImport() {
  // 1. The ERP file (not timed as import).
  const { csvPath, genS } = await generateErpFile(dir, N);
  log(`generated ${N} contracts in ${round(genS)} s (${(await Deno.stat(csvPath)).size} bytes)`);

  // 2. A fresh store with the demo plans and one attendant; the raw baseline's own store.
  const { db, attendant, dataKey } = await openScaleStore(dir);
  const rawKv = await Deno.openKv(`${dir}/raw.sqlite`);
  const sealedLen = (await sealCustomerPii(db, ulid(), {
    name: "Maria Conceição Ribeiro",
    cpf: "52998224725",
    phones: ["5519998765432"],
    email: "maria.conceicao.ribeiro.123456@exemplo.com.br",
    address: {
      street: "Avenida Getúlio Vargas",
      number: "1234",
      district: "Jardim Aquarius",
      city: "São José dos Campos",
      state: "SP",
      zip: "12242-123",
    },
  })).length;

  // 3. Import, interleaved with raw slices of the same rows, so both see the same machine load
  // and stores of the same size. The raw slices run inside onBatch and are subtracted.
  const raw = new RawWriter(rawKv);
  const slice = Math.max(5000, Math.ceil(N / 20));
  let rawDone = 0, rawMs = 0, callbackMs = 0;
  const planIds = DEMO_PLANS.map(() => ulid());
  const catchUp = async (upTo: number) => {
    const r0 = performance.now();
    for (; rawDone < upTo; rawDone++) {
      await raw.add(rawRowMutations(rawDone, sealedLen, planIds));
    }
    await raw.flush();
    rawMs += performance.now() - r0;
    callbackMs += performance.now() - r0;
  };
  const t = performance.now();
  const result = await importErpFile(db, csvPath, {
    batchRows: Number(arg("batch-rows", "500")),
    pipeline: !Deno.args.includes("--no-pipeline"),
    onBatch: async (counts: { rows: number }) => {
      if (counts.rows - rawDone >= slice) {
        await catchUp(counts.rows);
        log(`imported ${counts.rows} / ${N}`);
      }
    },
  });
  await catchUp(N);
  const importS = (performance.now() - t - callbackMs) / 1000;
  const rawS = rawMs / 1000;
  if (result.counts.created !== N || result.counts.bad) {
    throw new Error(`import counts: ${JSON.stringify(result.counts)}`);
  }
  log(
    `import ${round(importS)} s (${atomics.count} atomics), raw ${round(rawS)} s (${raw.atomics})`,
  );
  const tm = result.timings;
  const imported = {
    rows_per_atomic: round(N / atomics.count, 1),
    import_rows_per_s: round(N / importS, 0),
    raw_rows_per_s: round(N / rawS, 0),
    import_ratio_vs_raw: round((N / importS) / (N / rawS), 3),
    import_s: round(importS, 1),
    raw_s: round(rawS, 1),
    crypto_us_per_row: round(((tm.crypto_ms + tm.seal_ms) * 1000) / N, 1),
    lookup_us_per_row: round((tm.lookup_ms * 1000) / N, 1),
    commit_us_per_row: round((tm.commit_ms * 1000) / N, 1),
    gen_s: round(genS, 1),
  };
  rawKv.close();
  if (storeDir) {
    await saveScaleStoreMeta(dir, { contracts: N, dataKey, attendantId: attendant.id, imported });
    await Deno.remove(csvPath); // the store is what a later run reuses
  }
  return { db, attendant, imported };
}

// 4. The renewal list's first page and the month, against raw lists of the same index range.
const today = todayInBrazil(db.now());
const windowTo = addDays(today, 60);
const viewer = { id: attendant.id, role: attendant.role };
/** Median ms of each function, called in turns (a, b, c, a, b, c…) so a burst of load from
 * elsewhere on the machine hits all of them alike. */
async function timeTurns(
  fns: (() => Promise<unknown>)[],
  runs = 41,
  warm = 3,
): Promise<number[]> {
  for (let i = 0; i < warm; i++) for (const f of fns) await f();
  const xs = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [j, f] of fns.entries()) {
      const s = performance.now();
      await f();
      xs[j].push(performance.now() - s);
    }
  }
  return xs.map(median);
}
const rawList = async (from: string, to: string, limit?: number) => {
  let n = 0;
  const it = db.kv.list({
    start: [...keys.contractsDue(), from],
    end: [...keys.contractsDue(), addDays(to, 1)],
  }, { limit, batchSize: limit ? undefined : 500 });
  for await (const _ of it) n++;
  return n;
};
// The due list's first page as the renewal list reads it (listDue, 100 index entries), and the
// whole renewal-list service on top (plans, open cases, 25 customer names decrypted).
const firstIds = (await listDue(db, today, windowTo, { limit: 100 })).items;
const [indexPageMs, rawPageMs, listMs, openCasesMs, namesMs] = await timeTurns([
  () => listDue(db, today, windowTo, { limit: 100 }),
  () => rawList(today, windowTo, 100),
  () => renewalList(db, viewer, {}, 60),
  () => openCasesOfContracts(db, firstIds.map((i) => i.contractId)),
  () => getCustomers(db, firstIds.slice(0, 25).map((i) => i.customerId)),
]);
const month = addMonths(today, 1).slice(0, 7);
const monthFrom = `${month}-01`, monthTo = addDays(addMonths(monthFrom, 1), -1);
const monthThroughIndex = async () => {
  let n = 0;
  for (let cursor = "";;) {
    const page = await listDue(db, monthFrom, monthTo, { cursor, limit: 500 });
    n += page.items.length;
    cursor = page.cursor;
    if (!cursor) break;
  }
  return n;
};
const monthCount = await monthThroughIndex();
const monthRawCount = await rawList(monthFrom, monthTo);
// In turns after a warm-up: the first pass over a month reads cold pages from disk, and
// whichever side ran first used to pay for both (the 3.5× of issue #21).
const [monthMs, monthRawMs] = await timeTurns(
  [monthThroughIndex, () => rawList(monthFrom, monthTo)],
  5,
  1,
);
const monthS = monthMs / 1000, monthRawS = monthRawMs / 1000;
log(
  `month ${month}: ${monthCount} contracts in ${round(monthS, 3)} s (raw ${round(monthRawS, 3)})`,
);

// 5. The customer page vs a bare Hono hello, both on loopback, load from another process.
const config = loadConfig({ KV_PATH: `${dir}/renova.sqlite`, LOG_REQUESTS: "false" });
const ctx = {
  db,
  actor: staffActor(attendant),
  baseUrl: "http://127.0.0.1",
  linkTtlDays: 30,
  providerName: config.provider.name,
  provider: config.provider,
};
// Three due contracts without a case (a kept store has the cases of earlier runs).
const candidates = (await listDue(db, today, windowTo, { limit: 100 })).items;
const openOnes = await openCasesOfContracts(db, candidates.map((d) => d.contractId));
for (const d of candidates.filter((d) => !openOnes.get(d.contractId)).slice(0, 3)) {
  const c = await claimContract(ctx, d.contractId, { id: attendant.id, name: attendant.name });
  await sendLink(ctx, c.id, "whatsapp");
}
const token = (await readOutbox(db, 10)).map((m) => m.body.match(/\/r\/([\w-]+)/)?.[1])
  .find(Boolean);
if (!token) throw new Error("no customer link in the outbox");
const app = createApp(db, config);
const quiet = { hostname: "127.0.0.1", port: 0, onListen() {} };
const appServer = Deno.serve(
  quiet,
  (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
);
// The same app with the page cache off: every request resolves the link, reads the case,
// customer and plans, decrypts and renders (what a first visit costs).
const uncachedApp = createApp(db, { ...config, pageCacheEntries: 0 });
if (withCeilings) await addCeilingRoutes(uncachedApp)(token);
const uncachedServer = Deno.serve(
  quiet,
  (req, info) => uncachedApp.fetch(req, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
);
const hello = new Hono();
hello.get("/", (c) => c.text("Olá"));
const helloServer = Deno.serve(quiet, hello.fetch);
const pageUrl = `http://127.0.0.1:${appServer.addr.port}/r/${token}`;
const helloUrl = `http://127.0.0.1:${helloServer.addr.port}/`;
const uncachedUrl = `http://127.0.0.1:${uncachedServer.addr.port}/r/${token}`;
for (const u of [pageUrl, uncachedUrl]) {
  if ((await (await fetch(u)).text()).length < 500) throw new Error("customer page failed");
}
async function load(url: string) {
  const p = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      new URL("./bench_load.ts", import.meta.url).pathname,
      "--url",
      url,
      "--seconds",
      String(loadSeconds),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!p.success) throw new Error(`load generator failed for ${url}`);
  return JSON.parse(new TextDecoder().decode(p.stdout).trim().split("\n").pop()!);
}
type Target = "hello" | "page" | "uncached" | `ceiling_${Ceiling}`;
const targets: [Target, string][] = [["hello", helloUrl], ["page", pageUrl], [
  "uncached",
  uncachedUrl,
]];
if (withCeilings) {
  const origin = `http://127.0.0.1:${uncachedServer.addr.port}`;
  for (const cut of CEILINGS) targets.push([`ceiling_${cut}`, origin + ceilingPath(token, cut)]);
}
const rps: Partial<Record<Target, number[]>> = {};
let loadErrors = 0;
// This process's CPU per answered request (the servers run here, the load elsewhere): other
// work on a shared machine stretches wall time, not the CPU one request costs.
const cpu: Partial<Record<Target, number>> = {}, served: Partial<Record<Target, number>> = {};
for (let i = 0; i < 2; i++) {
  for (const [name, url] of targets) {
    const c0 = cpuMs();
    const r = await load(url);
    cpu[name] = (cpu[name] ?? 0) + cpuMs() - c0;
    served[name] = (served[name] ?? 0) + r.requests + r.errors + r.warmup_requests;
    (rps[name] ??= []).push(r.rps);
    loadErrors += r.errors;
  }
}
const cpuUs = (name: Target) => (cpu[name]! * 1000) / served[name]!;
const meanRps = (name: Target) => rps[name]!.reduce((a, b) => a + b) / rps[name]!.length;
const helloRps = meanRps("hello"), pageRps = meanRps("page"), uncachedRps = meanRps("uncached");
// Each ceiling as the page's own figures: req/s, its ratio to the hello, server CPU per answer.
const ceilingFigures = Object.fromEntries(
  targets.filter(([name]) => name.startsWith("ceiling_")).flatMap(([name]) => [
    [`${name}_rps`, round(meanRps(name), 0)],
    [`${name}_ratio_vs_hello`, round(meanRps(name) / helloRps, 3)],
    [`${name}_cpu_us`, round(cpuUs(name), 0)],
  ]),
);
log(
  `hello ${round(helloRps, 0)} req/s, page ${round(pageRps, 0)} req/s, ` +
    `uncached ${round(uncachedRps, 0)} req/s`,
);
for (const cut of withCeilings ? CEILINGS : []) {
  log(`ceiling ${cut}: ${round(meanRps(`ceiling_${cut}`), 0)} req/s`);
}
await appServer.shutdown();
await uncachedServer.shutdown();
await helloServer.shutdown();
clearInterval(rssTimer);
peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
db.kv.close();
if (keep) log(`kept ${dir}`);
else if (!givenDir) await Deno.remove(dir, { recursive: true });
else {
  for await (const e of Deno.readDir(dir)) {
    if (/^(erp\.csv|(renova|raw)\.sqlite.*|store\.json)$/.test(e.name)) {
      await Deno.remove(`${dir}/${e.name}`);
    }
  }
}

console.log(JSON.stringify({
  contracts,
  ...imported,
  import_from_kept_store: !!kept,
  duelist_first_page_ms: round(indexPageMs),
  duelist_raw_ms: round(rawPageMs),
  duelist_ratio_vs_raw: round(indexPageMs / rawPageMs),
  renewal_list_first_page_ms: round(listMs),
  renewal_list_ratio_vs_raw: round(listMs / rawPageMs),
  renewal_list_open_cases_ms: round(openCasesMs),
  renewal_list_names_ms: round(namesMs),
  month: month,
  month_contracts: monthCount,
  month_enumeration_s: round(monthS, 3),
  month_raw_s: round(monthRawS, 3),
  month_raw_contracts: monthRawCount,
  hello_rps: round(helloRps, 0),
  page_rps: round(pageRps, 0),
  page_rps_ratio_vs_hello: round(pageRps / helloRps, 3),
  page_uncached_rps: round(uncachedRps, 0),
  page_uncached_ratio_vs_hello: round(uncachedRps / helloRps, 3),
  hello_cpu_us: round(cpuUs("hello"), 0),
  page_cpu_us: round(cpuUs("page"), 0),
  page_uncached_cpu_us: round(cpuUs("uncached"), 0),
  page_uncached_cpu_ratio_vs_hello: round(cpuUs("hello") / cpuUs("uncached"), 3),
  store_copied_from_pristine: !!pristine,
  ...ceilingFigures,
  load_errors: loadErrors,
  rss_mb: round(peakRss / 1024 / 1024, 0),
}));
