// Customer and staff pages on a slow phone (issue #21): Chromium with the CPU slowed ×4,
// 1.6 Mbps down / 750 kbps up and 150 ms RTT (CDP), a real server with demo data in :memory:,
// cases walked to each step by the real verbs. One JSON line per page (a first visit, empty
// cache), then one for the same page again (`"visit": "repeat"`, browser cache warm):
//   {"page": "customer-sign", "visit": "first", "bytes_compressed": …, "bytes_raw": …,
//    "js_compressed_bytes": …, "requests": …, "first_paint_ms": …, "ttfb_ms": …, "html_ms": …}
//   deno task bench:pages [--pages customer-plans,staff-list] [--fast] [--runs N]
// `--fast` drops the throttling (the CI smoke run in tests/scripts). `--runs N` measures every
// page N times (a fresh case, browser context and renderer each time) and ends with one
// summary line per page and visit (median and worst first paint): on a shared 2-core machine
// one visit's paint moves by ±250 ms with the load, more than any change to a page. Run `deno task build`
// first (the islands bundle). Figures only: nothing here passes or fails on a time.
import { chromium, type Page } from "playwright-core";
import { start } from "../main.ts";
import { caseAt, type OpenStep } from "../tests/factories.ts";

export const PAGES = [
  "customer-plans",
  "customer-photo",
  "customer-sign",
  "customer-done",
  "staff-list",
  "staff-case",
] as const;
export type PageName = typeof PAGES[number];

/** The case step each customer page is shown at. */
const CUSTOMER_STEP: Record<string, OpenStep> = {
  "customer-plans": "offer",
  "customer-photo": "plan_chosen",
  "customer-sign": "signature_sent",
  "customer-done": "signed",
};

export const SLOW = {
  cpuRate: 4,
  latencyMs: 150,
  downBytesPerS: 1_600_000 / 8,
  upBytesPerS: 750_000 / 8,
};

const USAGE = "Uso: deno task bench:pages [--pages customer-plans,staff-list] [--fast] [--runs N]";

export function parsePagesArgs(
  args: string[],
): { pages: PageName[]; fast: boolean; runs: number } {
  let pages: PageName[] = [...PAGES];
  let fast = false;
  let runs = 1;
  const rest = args.filter((a) => a !== "--");
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--fast") fast = true;
    else if (a === "--runs" || a.startsWith("--runs=")) {
      const raw = a === "--runs" ? rest[++i] ?? "" : a.slice(7);
      runs = Number(raw);
      if (!/^\d+$/.test(raw) || runs < 1 || runs > 50) {
        throw new Error(`Número de rodadas inválido: "${raw}" (de 1 a 50).\n${USAGE}`);
      }
    } else if (a === "--pages" || a.startsWith("--pages=")) {
      const raw = a === "--pages" ? rest[++i] ?? "" : a.slice(8);
      const names = raw.split(",").map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !(PAGES as readonly string[]).includes(n));
      if (!names.length || bad.length) {
        throw new Error(`Página desconhecida: "${bad.join(",") || raw}".\n${USAGE}`);
      }
      pages = names as PageName[];
    } else throw new Error(`Argumento desconhecido: "${a}".\n${USAGE}`);
  }
  return { pages, fast, runs };
}

/** One summary line per page and visit across runs: the median and the worst first paint. */
export function paintSummary(
  lines: { page: string; visit: string; first_paint_ms: number | null }[],
) {
  const groups = new Map<string, number[]>();
  for (const l of lines) {
    const k = `${l.page}\n${l.visit}`;
    if (!groups.has(k)) groups.set(k, []);
    if (l.first_paint_ms !== null) groups.get(k)!.push(l.first_paint_ms);
  }
  return [...groups].map(([k, v]) => {
    const [page, visit] = k.split("\n");
    const sorted = [...v].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = !sorted.length
      ? null
      : sorted.length % 2
      ? sorted[mid]
      : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
    return {
      page,
      visit,
      runs: lines.filter((l) => `${l.page}\n${l.visit}` === k).length,
      first_paint_median_ms: median,
      first_paint_max_ms: sorted.length ? sorted[sorted.length - 1] : null,
    };
  });
}

const PASSWORD = "senha-do-benchmark-de-paginas";

async function main() {
  let opts: ReturnType<typeof parsePagesArgs>;
  try {
    opts = parsePagesArgs(Deno.args);
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
  // stdout carries our JSON lines only: the seed's credentials and the jobs' logs are muted.
  const print = console.log;
  console.log = () => {};
  const app = await start({
    PORT: "0",
    KV_PATH: ":memory:",
    LOG_REQUESTS: "false",
    OUTBOX_LOG: "false",
    PASSWORD_ITERATIONS: "1000",
    ATTENDANT1_PASSWORD: PASSWORD,
  });
  const base = `http://localhost:${app.server.addr.port}`;
  const urls: Partial<Record<PageName, string>> = {};
  let staffCase = "";
  for (const name of opts.pages) {
    const step = CUSTOMER_STEP[name];
    if (!step) continue;
    // A server that has run for a while: another customer's page at the same step has been
    // rendered (code compiled, the step's CSS made). The measured page itself is not cached.
    const other = await fetch(`${base}/r/${(await caseAt(app.db, step)).token}`, {
      headers: { "accept-encoding": "gzip, br" },
    });
    await other.body?.cancel();
  }
  if (opts.pages.some((p) => p.startsWith("staff-"))) {
    staffCase = (await caseAt(app.db, "photo_sent")).id;
    urls["staff-list"] = `${base}/app`;
    urls["staff-case"] = `${base}/app/cases/${staffCase}`;
  }
  const lines: { page: string; visit: string; first_paint_ms: number | null }[] = [];

  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
  try {
    // A browser that is already running, as on the phone: the first page of a just-launched
    // Chromium also paid for the browser's own start (its first paint came 300 ms later than
    // the same page visited second). Nothing of our site is loaded or cached here.
    const warm = await browser.newContext();
    await (await warm.newPage()).goto("data:text/html,<p>Renova</p>");
    await warm.close();
    for (let run = 0; run < opts.runs; run++) {
      for (const name of opts.pages) {
        const staff = name.startsWith("staff-");
        // Each run a new customer: a page the server rendered before would be a page-cache hit.
        const step = CUSTOMER_STEP[name];
        if (step) urls[name] = `${base}/r/${(await caseAt(app.db, step)).token}`;
        // Staff pages: no service worker, or it serves the page and its JS from the cache it
        // filled while signing in and no script is ever counted (the offline copy is its own
        // feature); what a first visit brings over the network is what is measured.
        const context = await browser.newContext(
          staff
            ? { viewport: { width: 1280, height: 800 }, locale: "pt-BR", serviceWorkers: "block" }
            : {
              viewport: { width: 360, height: 640 },
              isMobile: true,
              hasTouch: true,
              locale: "pt-BR",
            },
        );
        const page = await context.newPage();
        if (staff) await signIn(page, base);
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        // First paint also from the renderer's lifecycle events: the Paint Timing entry is
        // missing when the paint came before the entry could be buffered (first_paint_ms null).
        await cdp.send("Page.enable");
        await cdp.send("Page.setLifecycleEventsEnabled", { enabled: true });
        const mainFrame = (await cdp.send("Page.getFrameTree")).frameTree.frame.id;
        const life = new Map<string, number>();
        cdp.on("Page.lifecycleEvent", (e: { frameId: string; name: string; timestamp: number }) => {
          if (e.frameId === mainFrame && (e.name === "init" || !life.has(e.name))) {
            life.set(e.name, e.timestamp);
          }
        });
        if (!opts.fast) {
          await cdp.send("Emulation.setCPUThrottlingRate", { rate: SLOW.cpuRate });
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: SLOW.latencyMs,
            downloadThroughput: SLOW.downBytesPerS,
            uploadThroughput: SLOW.upBytesPerS,
          });
        }
        // Staff pages: the session is warm (signed in above) but the page's own cache is not.
        if (staff) await cdp.send("Network.clearBrowserCache");
        for (const visit of ["first", "repeat"]) {
          const m = { bytes_compressed: 0, bytes_raw: 0, js_compressed_bytes: 0, requests: 0 };
          const kinds = new Map<string, string>();
          const onResponse = (e: { requestId: string; type?: string; response: { url: string } }) =>
            kinds.set(
              e.requestId,
              e.type === "Script" || /\.js(\?|$)/.test(e.response.url) ? "js" : "",
            );
          const onData = (e: { dataLength: number }) => m.bytes_raw += e.dataLength;
          const onDone = (e: { requestId: string; encodedDataLength: number }) => {
            if (e.encodedDataLength === 0) return; // served by the browser cache
            m.requests++;
            m.bytes_compressed += e.encodedDataLength;
            if (kinds.get(e.requestId) === "js") m.js_compressed_bytes += e.encodedDataLength;
          };
          cdp.on("Network.responseReceived", onResponse);
          cdp.on("Network.dataReceived", onData);
          cdp.on("Network.loadingFinished", onDone);
          // From a blank page: after a same-origin page (the sign-in, the first visit) Chromium
          // holds the old paint and the new document may report no first paint at all.
          await page.goto("about:blank");
          life.clear();
          await page.goto(urls[name]!, { waitUntil: "load" });
          await page.waitForLoadState("networkidle");
          const [entry, nav] = await page.evaluate(() => {
            const paint = performance.getEntriesByType("paint");
            const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
            return [
              paint.find((p) => p.name === "first-contentful-paint")?.startTime ??
                paint[0]?.startTime ?? null,
              n ? { ttfb: n.responseStart, html: n.responseEnd } : null,
            ] as const;
          });
          const painted = life.get("firstContentfulPaint") ?? life.get("firstPaint");
          const init = life.get("init");
          const paint = entry ??
            (painted !== undefined && init !== undefined ? (painted - init) * 1000 : null);
          cdp.off("Network.responseReceived", onResponse);
          cdp.off("Network.dataReceived", onData);
          cdp.off("Network.loadingFinished", onDone);
          const line = {
            page: name,
            visit,
            ...m,
            first_paint_ms: paint === null ? null : Math.round(paint),
            // Where the paint's time went: the first byte of the page, its last byte.
            ttfb_ms: nav ? Math.round(nav.ttfb) : null,
            html_ms: nav ? Math.round(nav.html) : null,
            profile: opts.fast ? "fast" : "slow",
          };
          lines.push(line);
          print(JSON.stringify(opts.runs > 1 ? { ...line, run: run + 1 } : line));
        }
        await context.close();
      }
    }
    if (opts.runs > 1) { for (const s of paintSummary(lines)) print(JSON.stringify(s)); }
  } finally {
    await browser.close();
    await app.stopJobs();
    await app.server.shutdown();
    app.db.kv.close();
  }
}

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Usuário").fill("atendente1");
  await page.getByLabel("Senha", { exact: true }).fill(PASSWORD);
  await Promise.all([
    page.waitForURL(/\/app$/),
    page.getByRole("button", { name: "Entrar" }).click(),
  ]);
}

if (import.meta.main) await main();
