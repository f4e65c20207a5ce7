// bench:pages runs in CI on a tiny scale (no throttling, two pages): it must print one JSON
// line of figures per page and visit. Figures are never asserted against a time.
import assert from "node:assert/strict";
import { PAGES, paintSummary, parsePagesArgs } from "../../scripts/bench_pages.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("bench:pages arguments: page names are checked, the default is every page", () => {
  assert.deepEqual(parsePagesArgs([]), { pages: [...PAGES], fast: false, runs: 1 });
  assert.deepEqual(parsePagesArgs(["--", "--pages", "customer-sign,staff-list", "--fast"]), {
    pages: ["customer-sign", "staff-list"],
    fast: true,
    runs: 1,
  });
  assert.throws(() => parsePagesArgs(["--pages", "customer-pix"]), /Página desconhecida/);
});

Deno.test("bench:pages --runs takes 1 to 50 rounds and refuses anything else", () => {
  assert.equal(parsePagesArgs(["--runs", "5"]).runs, 5);
  assert.equal(parsePagesArgs(["--runs=7"]).runs, 7);
  for (const bad of ["0", "51", "2.5", "x", ""]) {
    assert.throws(() => parsePagesArgs(["--runs", bad]), /rodadas inválido/, bad);
  }
});

Deno.test("bench:pages summary: median and worst first paint per page and visit", () => {
  const l = (page: string, visit: string, first_paint_ms: number | null) => ({
    page,
    visit,
    first_paint_ms,
  });
  assert.deepEqual(
    paintSummary([
      l("customer-sign", "first", 900),
      l("customer-sign", "repeat", 300),
      l("customer-sign", "first", 500),
      l("customer-sign", "first", 700),
      l("customer-sign", "repeat", null),
      l("customer-sign", "repeat", 400),
    ]),
    [
      {
        page: "customer-sign",
        visit: "first",
        runs: 3,
        first_paint_median_ms: 700,
        first_paint_max_ms: 900,
      },
      // A visit with no paint reported counts as a run but not in the figures.
      {
        page: "customer-sign",
        visit: "repeat",
        runs: 3,
        first_paint_median_ms: 350,
        first_paint_max_ms: 400,
      },
    ],
  );
});

// One run of the script serves the tests below (a browser run is the slow part).
let run: Promise<Record<string, number | string | null>[]> | undefined;
function smokeRun() {
  return run ??= (async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "scripts/bench_pages.ts",
        "--fast",
        "--pages",
        "customer-sign,staff-list",
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assert.equal(out.code, 0, dec.decode(out.stderr));
    return dec.decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
  })();
}

Deno.test("bench:pages prints one JSON line of figures per page and visit", async () => {
  const lines = await smokeRun();
  assert.deepEqual(lines.map((l) => `${l.page}/${l.visit}`), [
    "customer-sign/first",
    "customer-sign/repeat",
    "staff-list/first",
    "staff-list/repeat",
  ]);
  for (const l of lines) {
    for (const k of ["bytes_compressed", "bytes_raw", "js_compressed_bytes", "requests"]) {
      assert.equal(typeof l[k], "number", `${l.page} ${k}`);
    }
    assert.ok(l.first_paint_ms === null || typeof l.first_paint_ms === "number");
    // Where a paint's time went: the page's first and last byte (Navigation Timing).
    assert.equal(typeof l.ttfb_ms, "number", `${l.page} ttfb_ms`);
    assert.ok((l.html_ms as number) >= (l.ttfb_ms as number), `${l.page} html_ms`);
  }
  const first = lines.filter((l) => l.visit === "first");
  assert.ok(
    first.every((l) => (l.requests as number) >= 1 && (l.bytes_compressed as number) > 500),
    "the page came over",
  );
});

Deno.test("bench:pages reports a first paint for every page and visit (never null)", async () => {
  for (const l of await smokeRun()) {
    assert.equal(typeof l.first_paint_ms, "number", `${l.page}/${l.visit}`);
  }
});

Deno.test("bench:pages counts the staff page's scripts on a first visit", async () => {
  const staff = (await smokeRun()).find((l) => l.page === "staff-list" && l.visit === "first")!;
  assert.ok((staff.js_compressed_bytes as number) > 1000, JSON.stringify(staff));
});
