// deno task counters:rebuild [--check] — recomputes the dashboard counters from the cases and
// their audit trail and replaces the stored sums (or, with --check, only compares them).
// Run with the app stopped or quiet. Last stdout line: one JSON object.
import { loadConfig } from "../app.config.ts";
import { openDb } from "../services/db.ts";
import { checkCounters, rebuildCounters } from "../services/renewals/counters_rebuild.ts";

const config = loadConfig();
const db = await openDb({ path: config.kvPath || undefined, dataKey: config.dataKey });
const checkOnly = Deno.args.includes("--check");
const t0 = performance.now();
const r = checkOnly ? await checkCounters(db) : await rebuildCounters(db);
console.log(JSON.stringify({
  mode: checkOnly ? "check" : "rebuild",
  keys: r.keys,
  mismatches: r.mismatches.length,
  sample: r.mismatches.slice(0, 5),
  seconds: Math.round(performance.now() - t0) / 1000,
}));
db.kv.close();
if (checkOnly && r.mismatches.length) Deno.exit(1);
