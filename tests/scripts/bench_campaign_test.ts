// The campaign benchmark end to end at a tiny size (CI): its last stdout line is the JSON the
// issue lists, with no duplicates after the interrupted run and its reruns.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("bench:campaign: small run, last line is the JSON with no duplicates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "renova-bench-campaign-test-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/bench_campaign.ts", "--contracts", "400", "--dir", dir],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const last = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
    const r = JSON.parse(last);
    for (
      const k of [
        "contracts",
        "wave_contracts",
        "plan_s",
        "raw_s",
        "plan_ratio_vs_raw",
        "cases_opened",
        "messages_staged",
        "duplicates",
        "dashboard_ms",
        "dashboard_raw_ms",
        "dashboard_ratio_vs_raw",
        "dashboard_render_ms",
      ]
    ) assert.ok(k in r, k);
    assert.equal(r.contracts, 400);
    assert.ok(r.wave_contracts > 0);
    assert.equal(r.duplicates, 0);
    assert.equal(r.cases_opened, r.wave_contracts);
    assert.equal(r.messages_staged, r.wave_contracts);
    assert.ok(r.first_run_opened > 0 && r.first_run_opened < r.wave_contracts, "cut halfway");
    assert.equal(r.final_rerun_opened, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
