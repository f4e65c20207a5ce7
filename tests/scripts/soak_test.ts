// The crash soak, tiny: the real server as a child process, 4 renewals over HTTP, one kill -9
// and a restart on the same KV file. Nothing lost or stuck, no number twice or unexplained.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name: "soak: 4 renewals through a kill -9 end closed, with no number lost or issued twice",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/soak.ts", "--renewals", "4", "--kills", "1", "--seed", "7"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    const r = JSON.parse(lines[lines.length - 1]);
    for (
      const k of [
        "renewals",
        "kills",
        "seconds",
        "lost",
        "stuck",
        "duplicateMessages",
        "duplicateNumbers",
        "unexplainedGaps",
        "orphanBlobs",
      ]
    ) {
      assert.equal(typeof r[k], "number", `the report has ${k}`);
    }
    assert.equal(r.renewals, 4);
    assert.equal(r.kills, 1, "the server was killed once");
    assert.deepEqual(r.errors, [], "every renewal was driven to the end");
    assert.equal(r.closed, 4);
    assert.equal(r.lost, 0);
    assert.equal(r.stuck, 0);
    assert.equal(r.duplicateNumbers, 0);
    assert.equal(r.unexplainedGaps, 0);
    assert.equal(r.counterMismatches, 0, "the dashboard counters match a rebuild after the kill");
  },
});
